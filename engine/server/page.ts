// The one HTML page the dev server serves: a stage for the canvas, the overlay's styles, and the
// config the client reads (channel path with the session token, canvas size).

/** Where the page loads the engine bundle from (its source map is beside it, `.map`). */
export const CLIENT_SCRIPT = "/client.js";

export interface PageOptions {
  title: string;
  channel: string;
  width: number;
  height: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** JSON inside <script>: `<` escaped so no string can close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function indexHtml(options: PageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)} · Ribbon</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<div id="ribbon-stage"></div>
<script id="ribbon-config" type="application/json">${scriptJson({ channel: options.channel, width: options.width, height: options.height })}</script>
<script type="module" src="${CLIENT_SCRIPT}"></script>
</body>
</html>
`;
}

const STYLES = `
html, body { margin: 0; background: #0b0c10; color: #e6e6e6; font: 13px/1.4 ui-monospace, monospace; }
#ribbon-stage { display: flex; justify-content: center; padding-top: 8px; }
#ribbon-overlay { position: fixed; inset: 0; background: rgba(10, 10, 14, 0.92); color: #ffd7d7; padding: 24px 32px; overflow: auto; z-index: 10; }
#ribbon-overlay[hidden] { display: none; }
#ribbon-overlay h2 { color: #ff6b6b; font-size: 15px; white-space: pre-wrap; }
#ribbon-overlay pre { white-space: pre-wrap; color: #f0f0f0; }
#ribbon-toasts { position: fixed; right: 12px; bottom: 12px; display: flex; flex-direction: column; gap: 6px; z-index: 20; max-width: 50vw; }
.ribbon-toast { padding: 6px 10px; border-radius: 4px; background: #1f3b2a; white-space: pre-wrap; }
.ribbon-toast-warn { background: #4a3b12; }
.ribbon-toast-error { background: #5a1d1d; }
#ribbon-hud { position: fixed; left: 8px; bottom: 52px; background: rgba(0, 0, 0, 0.6); padding: 6px 8px; border-radius: 4px; z-index: 5; }
#ribbon-hud pre { margin: 0 0 4px; }
#ribbon-time button { font: inherit; margin-right: 2px; }
`;

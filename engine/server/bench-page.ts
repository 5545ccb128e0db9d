// The renderer benchmark page the dev server serves at /bench/sprites (issue target: 10,000 sprites
// at 60 FPS). The page (engine/client/bench-sprites.ts, bundled on first request) draws `?n=`
// sprites (default 10,000) with the engine's own renderer from generated Draw command lists and
// reports frame times; scripts/bench-sprites.ts drives it in headless Chromium. No live channel.

import { basename, dirname, join } from "node:path";
import { bundleClient, clientEntry, type ClientBundle } from "./bundle.ts";
import type { GameManifest } from "./game.ts";
import type { BenchConfig } from "../client/bench-sprites.ts";

export const BENCH_PAGE = "/bench/sprites";
export const BENCH_SCRIPT = "/bench/sprites.js";

/** What the page reads from its config script. */
export function benchHtml(manifest: GameManifest): string {
  const textures: Record<string, string> = {};
  for (const [name, file] of Object.entries(manifest.textures)) textures[name] = `/assets/${file.split("/").map(encodeURIComponent).join("/")}`;
  const config: BenchConfig = { width: manifest.width, height: manifest.height, textures };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sprite benchmark · Ribbon</title>
<style>
html, body { margin: 0; background: #0b0c10; color: #e6e6e6; font: 13px/1.4 ui-monospace, monospace; }
#bench-stats { position: fixed; left: 8px; top: 8px; margin: 0; background: rgba(0, 0, 0, 0.7); padding: 6px 8px; border-radius: 4px; z-index: 5; }
#bench-stage canvas { display: block; max-width: 100vw; height: auto; }
</style>
</head>
<body>
<pre id="bench-stats">starting…</pre>
<div id="bench-stage"></div>
<script id="bench-config" type="application/json">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>
<script type="module" src="${BENCH_SCRIPT}"></script>
</body>
</html>
`;
}

/** The page's script (see bundle.ts: minified, source map beside it, cached on disk). */
export function benchBundle(): Promise<ClientBundle> {
  return bundleClient(join(dirname(clientEntry()), "bench-sprites.ts"), basename(BENCH_SCRIPT));
}

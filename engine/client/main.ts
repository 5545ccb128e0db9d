// Entry point of the browser bundle: reads the page's config (channel URL with the session token),
// opens the live-update channel, creates the Pixi renderer, and runs the game on
// requestAnimationFrame: each frame applies what arrived (frame boundary), runs the due 60 Hz
// ticks, then draws the last two ticks' commands interpolated. The session is recorded as it
// runs: "Download recording" (or F2) saves it as `session-<timestamp>.ribbon-replay.json` for
// `ribbon replay`; the timeline slider scrubs a paused game through the last seconds.
// `window.__ribbon` exposes the client for tests and debugging.

import { createRenderer, type GameRenderer } from "../render/renderer.ts";
import { worldHashes } from "../replay/hash.ts";
import { openChannel, type Channel } from "./channel.ts";
import { createGameClient, type GameClient } from "./game-client.ts";
import { recordInput } from "./input.ts";
import { createDevUi, toastText, type DevUi, type TimelineView } from "./overlay.ts";
import { controlTime, type TimeCommand } from "./time.ts";

interface PageConfig {
  channel: string;
  width: number;
  height: number;
}

interface Page {
  client: GameClient;
  renderer: GameRenderer;
  ui: DevUi;
  channel: Channel;
  frames: number;
  fps: number;
  /** Saves the recording so far as a download; returns the file name, or null when there is none. */
  download(): string | null;
  /** The world's hash as recordings store it (replay/hash.ts), for tests comparing with a recording. */
  worldHash(): string | null;
}

declare global {
  interface Window {
    __ribbon?: Page;
  }
}

function readConfig(): PageConfig {
  const text = document.getElementById("ribbon-config")?.textContent ?? "{}";
  return JSON.parse(text) as PageConfig;
}

function channelUrl(path: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

async function boot(): Promise<void> {
  const config = readConfig();
  const renderer = await createRenderer({ width: config.width, height: config.height, background: 0x14161c });
  document.getElementById("ribbon-stage")?.appendChild(renderer.canvas);
  fitCanvas(renderer.canvas, config.width, config.height);
  const page = {} as Page;
  const onTime = (command: TimeCommand) => controlTime(page.client.clock, command);
  page.ui = createDevUi(document.body, { onTime, onDownload: () => void downloadRecording(page), onScrub: (tick) => scrubTo(page, tick) });
  page.renderer = renderer;
  page.frames = 0;
  page.fps = 0;
  page.download = () => downloadRecording(page);
  page.worldHash = () => (page.client.world ? worldHashes(page.client.world).world : null);
  const send = (message: Parameters<Channel["send"]>[0]) => page.channel.send(message);
  page.client = createGameClient({
    send,
    now: () => performance.now(),
    recordingMeta: { recordedBy: "ribbon start (browser)" },
    ui: {
      showErrors: (errors) => page.ui.showErrors(errors),
      toast: (report) => {
        const { text, tone } = toastText(report);
        page.ui.toast(text, tone);
      },
      log: (line) => console.log(line),
      runtimeError: (message) => page.ui.toast(message, "error"),
      started: (game) => void loadTextures(page, game.textures),
      textureChanged: (name, url) => void reloadTexture(page, name, url),
      textureError: (name, reason) => page.ui.toast(`texture ${name}: ${reason}`, "error"),
      progress: (progress) => page.ui.progress(progress),
    },
  });
  page.channel = openChannel(channelUrl(config.channel), (message) => page.client.receive(message), () => page.ui.toast("dev server disconnected: reload the page once it runs again", "error"));
  window.__ribbon = page;
  bindKeys(onTime, () => void downloadRecording(page));
  run(page, recordInput(window, renderer.canvas));
}

/** Margin kept around the canvas, in CSS pixels (the stage's padding). */
const STAGE_MARGIN = 16;

/**
 * Scales the canvas (CSS size only: its pixels stay width x height, which input maps back to) to
 * the largest size that fits the window with the game's aspect ratio, and again on every resize.
 */
function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): void {
  const fit = () => {
    const scale = Math.max(0.1, Math.min((window.innerWidth - STAGE_MARGIN) / width, (window.innerHeight - STAGE_MARGIN) / height));
    canvas.style.display = "block";
    canvas.style.width = `${Math.floor(width * scale)}px`;
    canvas.style.height = `${Math.floor(height * scale)}px`;
  };
  fit();
  window.addEventListener("resize", fit);
}

async function loadTextures(page: Page, textures: Record<string, string>): Promise<void> {
  const results = await page.renderer.loadTextures(textures);
  for (const [name, result] of Object.entries(results)) {
    if (!result.ok) page.ui.toast(`texture ${name}: ${result.reason}`, "error");
  }
}

async function reloadTexture(page: Page, name: string, url: string): Promise<void> {
  const result = await page.renderer.reloadTexture(name, url);
  page.channel.send({ kind: "texture-status", name, ok: result.ok, reason: result.ok ? "" : result.reason });
  page.ui.toast(result.ok ? `texture ${name} reloaded` : `texture ${name}: ${result.reason}`, result.ok ? "ok" : "error");
}

/** F2 download the recording, F6 pause/resume, F7 single step, F8 slower, F9 faster: keys games never see. */
function bindKeys(onTime: (command: TimeCommand) => void, onDownload: () => void): void {
  const commands: Record<string, TimeCommand> = { F6: { kind: "toggle-pause" }, F7: { kind: "step" }, F8: { kind: "slower" }, F9: { kind: "faster" } };
  window.addEventListener("keydown", (event) => {
    if (event.key === "F2") {
      event.preventDefault();
      onDownload();
      return;
    }
    const command = commands[event.key];
    if (!command) return;
    event.preventDefault();
    onTime(command);
  });
}

/** The recording as a JSON file download; the timestamp is the UI's business, never the simulation's. */
function downloadRecording(page: Page): string | null {
  const recording = page.client.recording();
  if (!recording) {
    page.ui.toast("no recording to download yet (the game has not started, or a replay restart is running)", "warn");
    return null;
  }
  const saved = new Date().toISOString();
  const name = `session-${saved.replace(/[:.]/g, "-")}.ribbon-replay.json`;
  const blob = new Blob([JSON.stringify({ ...recording, meta: { ...recording.meta, saved } })], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  page.ui.toast(`recording saved as ${name}: ${recording.ticks} ticks, ${recording.reloads.length} reload${recording.reloads.length === 1 ? "" : "s"}`, "ok");
  return name;
}

function scrubTo(page: Page, tick: number): void {
  const result = page.client.scrub(tick);
  switch (result.kind) {
    case "moved":
      return;
    case "unavailable":
      page.ui.toast(`timeline: ${result.reason}`, "warn");
      return;
    default: {
      const never: never = result;
      return never;
    }
  }
}

function timelineView(client: GameClient): TimelineView {
  const timeline = client.timeline;
  return { paused: client.clock.paused, range: timeline?.range() ?? null, position: timeline?.position ?? 0 };
}

function run(page: Page, input: ReturnType<typeof recordInput>): void {
  let last = performance.now();
  let fpsWindowStart = last;
  let fpsFrames = 0;
  const frame = (now: number) => {
    const elapsed = now - last;
    last = now;
    const result = page.client.frame(elapsed, () => input.next());
    const world = page.client.world;
    page.renderer.render(page.client.previousDraw, world?.draw ?? [], result.alpha);
    page.ui.updateTimeline(timelineView(page.client));
    page.frames++;
    fpsFrames++;
    if (now - fpsWindowStart >= 500) {
      page.fps = (fpsFrames * 1000) / (now - fpsWindowStart);
      fpsFrames = 0;
      fpsWindowStart = now;
      page.ui.updateHud({ fps: page.fps, tickMs: page.client.stats.tickMs, world, clock: page.client.clock, backend: page.renderer.backend });
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

boot().catch((error: unknown) => {
  const pre = document.createElement("pre");
  pre.id = "ribbon-boot-error";
  pre.textContent = `Ribbon failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  document.body.appendChild(pre);
});

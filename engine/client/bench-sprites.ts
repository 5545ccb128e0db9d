// The sprite benchmark page (served at /bench/sprites, see engine/server/bench-page.ts): N sprites
// (`?n=`, default 10,000) move every 60 Hz tick; each tick builds a fresh Draw command list (what a
// game's Draw effect produces) and every animation frame draws the last two lists interpolated
// through the engine's renderer, the same path engine/client/main.ts takes. After a 1 s warm-up it
// measures `?seconds=` (default 5; a slow scene goes on until it has 10 frames, at most 4x as long)
// frame intervals (requestAnimationFrame to requestAnimationFrame) and the CPU time of each frame's
// work (ticks + render call), shows them, and stores the result on `window.__benchResult`.

import { createRenderer } from "../render/renderer.ts";
import type { DrawCommand } from "../runtime/host.ts";

/** What the server embeds in the benchmark page. */
export interface BenchConfig {
  width: number;
  height: number;
  /** Texture name → URL (the game's textures, served from /assets/). */
  textures: Record<string, string>;
}

export interface Stats {
  median: number;
  p95: number;
  max: number;
}

export interface BenchResult {
  n: number;
  backend: string;
  /** The WebGL renderer string when the browser tells it (e.g. SwiftShader), else "". */
  gpu: string;
  frames: number;
  seconds: number;
  /** requestAnimationFrame intervals, ms. */
  frameMs: Stats;
  /** frames / seconds. */
  fps: number;
  /** CPU time of each frame's ticks and render call, ms. */
  workMs: Stats;
}

declare global {
  interface Window {
    __benchResult?: BenchResult;
  }
}

const TICK_MS = 1000 / 60;
const WARM_UP_MS = 1000;
/** A slow scene measures until it has this many frames, or MAX_STRETCH times the asked time. */
const MIN_FRAMES = 10;
const MAX_STRETCH = 4;
/** The client's catch-up limit: a slow frame runs at most this many ticks. */
const MAX_TICKS_PER_FRAME = 4;

interface Mover {
  x: number;
  y: number;
  vx: number;
  vy: number;
  rotation: number;
  spin: number;
  texture: string;
  tint: number;
}

function statsOf(values: number[]): Stats {
  if (values.length === 0) return { median: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

function webglRenderer(): string {
  const gl = document.createElement("canvas").getContext("webgl");
  if (!gl) return "";
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
}

/** A small deterministic generator, so every run draws the same scene. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function movers(count: number, names: string[], width: number, height: number): Mover[] {
  const next = random(1);
  const textures = names.length > 0 ? names : ["missing"];
  return Array.from({ length: count }, (_, index) => ({
    x: next() * width,
    y: next() * height,
    vx: (next() - 0.5) * 6,
    vy: (next() - 0.5) * 6,
    rotation: next() * Math.PI * 2,
    spin: (next() - 0.5) * 0.2,
    texture: textures[index % textures.length],
    tint: 0xffffff,
  }));
}

/** One tick: moves every sprite (bouncing off the edges) and returns a new draw list. */
function tick(all: Mover[], width: number, height: number): DrawCommand[] {
  const draw: DrawCommand[] = [];
  for (const mover of all) {
    mover.x += mover.vx;
    mover.y += mover.vy;
    if (mover.x < 0 || mover.x > width) mover.vx = -mover.vx;
    if (mover.y < 0 || mover.y > height) mover.vy = -mover.vy;
    mover.rotation += mover.spin;
    draw.push({ kind: "sprite", texture: mover.texture, x: mover.x, y: mover.y, rotation: mover.rotation, scale: 1, tint: mover.tint });
  }
  return draw;
}

function show(element: HTMLElement, result: BenchResult, done: boolean): void {
  const f = (value: number) => value.toFixed(2);
  element.textContent = [
    `sprites: ${result.n}   backend: ${result.backend}${result.gpu ? ` (${result.gpu})` : ""}`,
    `${done ? "done" : "measuring"}: ${result.frames} frames in ${result.seconds.toFixed(1)} s`,
    `frame ms  median ${f(result.frameMs.median)}  p95 ${f(result.frameMs.p95)}  max ${f(result.frameMs.max)}   FPS ${result.fps.toFixed(1)}`,
    `work ms   median ${f(result.workMs.median)}  p95 ${f(result.workMs.p95)}  max ${f(result.workMs.max)}`,
  ].join("\n");
}

async function boot(): Promise<void> {
  const config = JSON.parse(document.getElementById("bench-config")?.textContent ?? "{}") as BenchConfig;
  const query = new URLSearchParams(location.search);
  const n = Math.max(0, Math.floor(Number(query.get("n") ?? 10_000) || 0));
  const seconds = Math.max(0.5, Number(query.get("seconds") ?? 5) || 5);
  const stats = document.getElementById("bench-stats")!;
  const renderer = await createRenderer({ width: config.width, height: config.height, background: 0x14161c });
  document.getElementById("bench-stage")!.appendChild(renderer.canvas);
  await renderer.loadTextures(config.textures);
  const all = movers(n, Object.keys(config.textures), config.width, config.height);
  const base = { n, backend: renderer.backend, gpu: webglRenderer() };

  let previous = tick(all, config.width, config.height);
  let current = tick(all, config.width, config.height);
  let accumulator = 0;
  let last = performance.now();
  const started = last;
  let measureFrom = -1;
  const frameMs: number[] = [];
  const workMs: number[] = [];
  let shownAt = 0;
  const resultNow = (now: number): BenchResult => {
    const elapsed = measureFrom < 0 ? 0 : (now - measureFrom) / 1000;
    return { ...base, frames: frameMs.length, seconds: elapsed, frameMs: statsOf(frameMs), fps: elapsed > 0 ? frameMs.length / elapsed : 0, workMs: statsOf(workMs) };
  };
  const frame = (now: number) => {
    const elapsed = now - last;
    last = now;
    const begin = performance.now();
    accumulator += elapsed;
    let ticks = 0;
    while (accumulator >= TICK_MS && ticks < MAX_TICKS_PER_FRAME) {
      previous = current;
      current = tick(all, config.width, config.height);
      accumulator -= TICK_MS;
      ticks++;
    }
    if (ticks === MAX_TICKS_PER_FRAME) accumulator = Math.min(accumulator, TICK_MS);
    renderer.render(previous, current, accumulator / TICK_MS);
    const work = performance.now() - begin;
    if (measureFrom >= 0) {
      frameMs.push(elapsed);
      workMs.push(work);
    } else if (now - started >= WARM_UP_MS) measureFrom = now;
    const measured = measureFrom < 0 ? 0 : now - measureFrom;
    if (measured >= seconds * 1000 * (frameMs.length >= MIN_FRAMES ? 1 : MAX_STRETCH)) {
      const result = resultNow(now);
      show(stats, result, true);
      window.__benchResult = result;
      return;
    }
    if (now - shownAt >= 500) {
      shownAt = now;
      show(stats, resultNow(now), false);
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

boot().catch((error: unknown) => {
  const pre = document.createElement("pre");
  pre.id = "bench-error";
  pre.textContent = `the benchmark failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  document.body.appendChild(pre);
});

// Renderer benchmark (run by hand: npm run bench:sprites): the dev server's /bench/sprites page
// (engine/client/bench-sprites.ts) in headless Chromium, drawing N moving sprites through the
// engine's renderer (Draw command lists, interpolated, Pixi v8) for N = 1,000 and 10,000. The
// baseline in the same run is the same page with N = 0 (an empty scene), so the difference is what
// the sprites cost. Target (issue): 10,000 sprites at 60 FPS on an ordinary laptop GPU; headless
// Chromium here has no GPU (--disable-gpu: WebGL through SwiftShader on the CPU), so only the
// ratios to the baseline mean anything, not the absolute FPS.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "../engine/client/bench-sprites.ts";
import { BENCH_PAGE } from "../engine/server/bench-page.ts";
import { startDevServer } from "../engine/server/dev-server.ts";
import { launchChromium } from "../test/browser/chromium.ts";

const COUNTS = [0, 1_000, 10_000];
const SECONDS = 5;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const server = await startDevServer({ gameDir: join(root, "demo-game"), port: 0, output: { log: () => {}, status: () => {} } });
const browser = await launchChromium();
const results: BenchResult[] = [];
try {
  for (const n of COUNTS) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url.replace(/\/$/, "")}${BENCH_PAGE}?n=${n}&seconds=${SECONDS}`, { timeout: 30_000 });
    await page.waitForFunction(() => window.__benchResult !== undefined || document.getElementById("bench-error") !== null, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.__benchResult ?? document.getElementById("bench-error")!.textContent);
    await page.close();
    if (typeof result === "string" || result === null) throw new Error(`N = ${n}: ${result}`);
    if (errors.length > 0) throw new Error(`N = ${n}: page errors: ${errors.join("; ")}`);
    results.push(result);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close();
}

const f = (value: number) => value.toFixed(2).padStart(7);
const first = results[0];
console.log(`sprites: /bench/sprites in headless Chromium, ${SECONDS} s measured per N (longer, up to 4x, until 10 frames) after a 1 s warm-up; renderer ${first.backend}${first.gpu ? ` (${first.gpu})` : ""}`);
console.log("note: headless Chromium here runs without a GPU (SwiftShader renders WebGL on the CPU), so absolute FPS says nothing about a laptop GPU; compare with the N = 0 baseline.");
console.log("     N   frames   frame ms median     p95     max     FPS   work ms median     p95     max   work vs N=0");
for (const result of results) {
  const ratio = first.workMs.median > 0 ? `${(result.workMs.median / first.workMs.median).toFixed(1)}x` : "-";
  console.log(
    `${String(result.n).padStart(6)} ${String(result.frames).padStart(8)}        ${f(result.frameMs.median)} ${f(result.frameMs.p95)} ${f(result.frameMs.max)} ${result.fps.toFixed(1).padStart(7)}          ${f(result.workMs.median)} ${f(result.workMs.p95)} ${f(result.workMs.max)}   ${ratio.padStart(10)}`,
  );
}
console.log("frame ms: requestAnimationFrame intervals; work ms: CPU time of each frame's ticks (building the draw lists) and the renderer's render call.");

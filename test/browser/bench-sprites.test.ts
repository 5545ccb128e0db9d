// The renderer benchmark page (/bench/sprites, engine/client/bench-sprites.ts) loads in Chromium,
// draws through the engine's renderer and reports frame stats. No timing thresholds: headless
// Chromium here renders on the CPU; scripts/bench-sprites.ts is the benchmark.

import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { join } from "node:path";
import { launchChromium } from "./chromium.ts";
import { startDevServer, type DevServer } from "../../engine/server/dev-server.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer({ gameDir: join(repositoryRoot, "demo-game"), port: 0, output: { log: () => {}, status: () => {} } });
  browser = await launchChromium();
}, 20_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
});

test("the sprite benchmark page reports frame stats", async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server.url}bench/sprites?n=200&seconds=2`, { timeout: 15_000 });
  await page.waitForFunction(() => window.__benchResult !== undefined || document.getElementById("bench-error") !== null, null, { timeout: 15_000 });
  const result = await page.evaluate(() => window.__benchResult ?? null);
  expect(errors).toEqual([]);
  expect(result).not.toBeNull();
  expect(result!.n).toBe(200);
  expect(result!.frames).toBeGreaterThan(0);
  for (const stats of [result!.frameMs, result!.workMs]) {
    expect(Number.isFinite(stats.median) && Number.isFinite(stats.p95) && Number.isFinite(stats.max)).toBe(true);
    expect(stats.max).toBeGreaterThanOrEqual(stats.median);
  }
  expect(result!.fps).toBeGreaterThan(0);
  expect(await page.textContent("#bench-stats")).toContain("frame ms");
}, 20_000);

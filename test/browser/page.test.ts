// The browser side end to end (issue #4), in Debian's Chromium through playwright-core: the dev
// server serves a small test game, the page renders a non-blank frame, a constant edited in the
// .rib file changes behaviour within a few ticks while the tick counter and positions carry on,
// a syntax error opens the overlay while the game keeps running (a fix closes it), and a field
// rename without a migration is rejected with the migration skeleton shown, and a broken manifest
// is shown at its line while the game runs on.

import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { canvasColours, countPixels, launchChromium } from "./chromium.ts";
import { launchDevServer, type Launched } from "../../tools/cli/start.ts";
import { createTestGame, MAIN_RIB, solidPng, type GameFolder } from "../server/fixtures.ts";
import { join } from "node:path";

const WAIT = { timeout: 15_000 };

interface Sample {
  tick: number;
  xs: number[];
}

/** The world's tick and every ball's x, read straight from the pool's column. */
function sample(page: Page): Promise<Sample> {
  return page.evaluate(() => {
    const world = window.__ribbon!.client.world!;
    const pool = world.byName.main.pools.p_balls;
    const column = pool.layout.columns.findIndex((spec) => spec.path === "x");
    const xs = pool.liveSlots().map((slot) => (pool.cols[column] as Float64Array)[slot]);
    return { tick: world.tick, xs };
  });
}

function overlay(page: Page): Promise<{ open: boolean; text: string }> {
  return page.evaluate(() => {
    const element = document.getElementById("ribbon-overlay");
    return { open: !!element && !element.hidden, text: element?.textContent ?? "" };
  });
}

/** Pauses the clock, runs exactly `ticks` single steps, and waits for them. */
async function stepExactly(page: Page, ticks: number): Promise<void> {
  const start = await page.evaluate((count) => {
    const client = window.__ribbon!.client;
    client.clock.paused = true;
    client.clock.steps = count;
    return client.world!.tick;
  }, ticks);
  await page.waitForFunction((target) => window.__ribbon!.client.world!.tick >= target && window.__ribbon!.client.clock.steps === 0, start + ticks, WAIT);
}

function resume(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__ribbon!.client.clock.paused = false;
  });
}

async function waitForReloads(page: Page, count: number): Promise<void> {
  await page.waitForFunction((wanted) => window.__ribbon!.client.stats.reloads >= wanted, count, WAIT);
}

describe("the game in Chromium", () => {
  let game: GameFolder;
  let launched: Launched;
  let browser: Browser;
  let page: Page;
  const status: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    game = createTestGame();
    launched = await launchDevServer({ gameDir: game.gameDir, port: 0, output: { log: () => {}, status: (text) => status.push(text) } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(launched.server.url, WAIT);
    await page.waitForFunction(() => (window.__ribbon?.client.world?.tick ?? 0) > 5, null, WAIT);
  }, 45_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await launched?.close().catch(() => {});
  });

  test("the page renders a non-blank frame", async () => {
    const seen = await canvasColours(page);
    const colours = {
      distinct: seen.size,
      red: countPixels(seen, (red, green, blue) => red > 200 && green < 60 && blue < 60),
      green: countPixels(seen, (red, green, blue) => green > 200 && red < 60 && blue < 60),
    };
    expect(colours.distinct).toBeGreaterThan(3);
    expect(colours.red).toBeGreaterThan(200);
    expect(colours.green).toBeGreaterThan(1000);
    expect(pageErrors).toEqual([]);
  });

  test("editing a constant changes behaviour within a few ticks; tick and positions carry on", async () => {
    await stepExactly(page, 2);
    const before = await sample(page);
    await stepExactly(page, 3);
    const slow = await sample(page);
    expect(slow.xs.map((x, index) => x - before.xs[index])).toEqual([3, 3]);

    writeFileSync(game.mainPath, MAIN_RIB.replace("SPEED := 1.0", "SPEED := 5.0"));
    await waitForReloads(page, 1);
    const reloaded = await sample(page);
    expect(reloaded.tick).toBe(slow.tick);
    expect(reloaded.xs).toEqual(slow.xs);
    await stepExactly(page, 3);
    const fast = await sample(page);
    expect(fast.tick).toBe(slow.tick + 3);
    expect(fast.xs.map((x, index) => x - slow.xs[index])).toEqual([15, 15]);
    await resume(page);
    expect(status.some((line) => line.includes("[reload] main: swapped"))).toBe(true);
  }, 30_000);

  test("a syntax error shows the overlay while the game keeps running; fixing it closes the overlay", async () => {
    const good = readFileSync(game.mainPath, "utf8");
    const reloads = await page.evaluate(() => window.__ribbon!.client.stats.reloads);
    writeFileSync(game.mainPath, good.replace("ticks = ticks + 1", "ticks = = ticks + 1"));
    await waitForReloads(page, reloads + 1);
    const shown = await overlay(page);
    expect(shown.open).toBe(true);
    expect(shown.text).toMatch(/main\.rib:\d+:\d+/);
    expect(shown.text).toContain("ticks = = ticks + 1");
    const during = await sample(page);
    await page.waitForFunction((tick) => window.__ribbon!.client.world!.tick > tick + 10, during.tick, WAIT);

    writeFileSync(game.mainPath, good);
    await waitForReloads(page, reloads + 2);
    expect((await overlay(page)).open).toBe(false);
    expect(await page.evaluate(() => window.__ribbon!.client.stats.lastReport!.outcome)).toBe("swapped");
  }, 30_000);

  test("a field rename without a migration is rejected and the skeleton is shown", async () => {
    const good = readFileSync(game.mainPath, "utf8");
    const reloads = await page.evaluate(() => window.__ribbon!.client.stats.reloads);
    const before = await sample(page);
    writeFileSync(game.mainPath, good.replace("Ball := struct { x: f64, y: f64 }", "Ball := struct { px: f64, y: f64 }").replaceAll("b.x", "b.px").replace("{ x = 20.0", "{ px = 20.0").replace("{ x = 60.0", "{ px = 60.0"));
    await waitForReloads(page, reloads + 1);
    expect(await page.evaluate(() => window.__ribbon!.client.stats.lastReport!.outcome)).toBe("rejected");
    const shown = await overlay(page);
    expect(shown.open).toBe(true);
    expect(shown.text).toMatch(/ball-from-v\d+ := fun \(prev: old Ball\) -> Ball\./);
    expect(shown.text).toContain("px = prev.x");
    const after = await sample(page);
    expect(after.tick).toBeGreaterThanOrEqual(before.tick);

    writeFileSync(game.mainPath, good);
    await waitForReloads(page, reloads + 2);
    expect((await overlay(page)).open).toBe(false);
  }, 30_000);

  test("a broken manifest, then one naming a missing module, show where in manifest.json while the game runs on", async () => {
    const manifestPath = join(game.gameDir, "manifest.json");
    const good = readFileSync(manifestPath, "utf8");
    const during = await sample(page);
    writeFileSync(manifestPath, good.replace('"modules":["main"]', '"modules":["main",]'));
    await page.waitForFunction(() => document.getElementById("ribbon-overlay")?.textContent?.includes("is not valid JSON"), null, WAIT);
    expect((await overlay(page)).text).toMatch(/manifest\.json:1:\d+: manifest\.json is not valid JSON/);
    await page.waitForFunction((tick) => window.__ribbon!.client.world!.tick > tick + 10, during.tick, WAIT);

    writeFileSync(manifestPath, good.replace('"modules":["main"]', '"modules":["main","enemies"]'));
    await page.waitForFunction(() => document.getElementById("ribbon-overlay")?.textContent?.includes("cannot find module enemies"), null, WAIT);
    expect((await overlay(page)).text).toMatch(/manifest\.json:1:\d+: cannot find module enemies: there is no enemies\.rib/);

    const reloads = await page.evaluate(() => window.__ribbon!.client.stats.reloads);
    writeFileSync(manifestPath, good);
    await waitForReloads(page, reloads + 1);
    expect((await overlay(page)).open).toBe(false);
    const after = await sample(page);
    expect(after.tick).toBeGreaterThan(during.tick + 10);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test("asset hot reload: a broken PNG keeps the old texture and says why; a good one is swapped in", async () => {
    const ship = join(game.assetsDir, "ship.png");
    writeFileSync(ship, "not a png at all");
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".ribbon-toast")).some((toast) => toast.textContent!.includes("texture ship: not a PNG")), null, WAIT);
    expect(status.some((line) => line.includes("texture ship: not a PNG file"))).toBe(true);
    writeFileSync(ship, solidPng(24, 24, [250, 250, 0]));
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".ribbon-toast")).some((toast) => toast.textContent === "texture ship reloaded"), null, WAIT);
    await expect.poll(() => status.some((line) => line.includes("[assets] texture ship reloaded")), { timeout: 5000 }).toBe(true);
  }, 30_000);
});

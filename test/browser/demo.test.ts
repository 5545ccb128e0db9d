// The real demo game (demo-game/) in Debian's Chromium through playwright-core: the canvas takes
// the manifest's 1280x720 and is scaled to the window with that aspect ratio, a frame is not blank,
// and holding 'd' for half a second moves the ship right (read from the world via window.__ribbon).

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { canvasColours, countPixels, launchChromium } from "./chromium.ts";
import { launchDevServer, type Launched } from "../../tools/cli/start.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

const WAIT = { timeout: 15_000 };
const VIEWPORT = { width: 1000, height: 700 };

/** The ship's position, from the physics module's `ship` handle into its `bodies` pool. */
function shipPosition(page: Page): Promise<{ tick: number; x: number; y: number }> {
  return page.evaluate(() => {
    const world = window.__ribbon!.client.world!;
    const physics = world.byName.physics;
    const handle = physics.state.s_ship as number;
    const pool = physics.pools.p_bodies;
    const slot = handle % 2 ** 24;
    const column = (path: string) => {
      const index = pool.layout.columns.findIndex((spec) => spec.path === path);
      if (index < 0) throw new Error(`physics/bodies has no column ${path}`);
      return (pool.cols[index] as Float64Array)[slot];
    };
    return { tick: world.tick, x: column("pos.x"), y: column("pos.y") };
  });
}

describe("the demo game in Chromium", () => {
  let launched: Launched;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    launched = await launchDevServer({ gameDir: join(repositoryRoot, "demo-game"), port: 0, output: { log: () => {}, status: () => {} } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(launched.server.url, WAIT);
    await page.waitForFunction(() => (window.__ribbon?.client.world?.tick ?? 0) > 5, null, WAIT);
  }, 30_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await launched?.close().catch(() => {});
  });

  test("the canvas is the manifest's 1280x720, scaled to fit the window with that aspect ratio", async () => {
    const size = await page.evaluate(() => {
      const canvas = document.querySelector("canvas")!;
      const box = canvas.getBoundingClientRect();
      return { width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height, right: box.right, bottom: box.bottom };
    });
    expect({ width: size.width, height: size.height }).toEqual({ width: 1280, height: 720 });
    expect(size.cssWidth / size.cssHeight).toBeCloseTo(1280 / 720, 1);
    expect(size.right).toBeLessThanOrEqual(VIEWPORT.width);
    expect(size.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(size.cssWidth).toBeGreaterThan(VIEWPORT.width * 0.9);
  }, 30_000);

  test("a frame is not blank", async () => {
    const seen = await canvasColours(page);
    const pixels = [...seen.values()].reduce((sum, count) => sum + count, 0);
    const colours = {
      distinct: seen.size,
      commonestShare: Math.max(...seen.values()) / pixels,
      bright: countPixels(seen, (red, green, blue) => red + green + blue > 450),
    };
    expect(colours.distinct, "the canvas shows hardly any colours: nothing was drawn").toBeGreaterThan(20);
    expect(colours.commonestShare, "one colour covers almost the whole canvas").toBeLessThan(0.98);
    expect(colours.bright, "no bright pixels: no HUD text or ship").toBeGreaterThan(100);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test("holding 'd' for half a second moves the ship right", async () => {
    const before = await shipPosition(page);
    await page.keyboard.down("d");
    await page.waitForTimeout(500);
    await page.waitForFunction((tick) => window.__ribbon!.client.world!.tick >= tick + 10, before.tick, WAIT);
    await page.keyboard.up("d");
    const after = await shipPosition(page);
    expect(after.tick).toBeGreaterThan(before.tick);
    expect(after.x - before.x, `the ship went from x = ${before.x} to x = ${after.x} in ${after.tick - before.tick} ticks`).toBeGreaterThan(10);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

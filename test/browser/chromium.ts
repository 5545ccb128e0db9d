// Shared by the browser tests: launching Debian's Chromium through playwright-core, and reading
// the colours of what the page's canvas shows.

import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Never downloads a browser: a missing Chromium fails with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium (apt-get install -y chromium; .ci/run does this)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 20_000 });
}

/** How many pixels of each 0xRRGGBB colour a screenshot of the canvas has. */
export async function canvasColours(page: Page): Promise<Map<number, number>> {
  const shot = await page.locator("canvas").screenshot();
  const entries = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    const seen = new Map<number, number>();
    for (let index = 0; index < data.length; index += 4) {
      const key = (data[index] << 16) | (data[index + 1] << 8) | data[index + 2];
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen];
  }, shot.toString("base64"));
  return new Map(entries);
}

/** Pixels whose colour passes `test` (given red, green, blue). */
export function countPixels(colours: Map<number, number>, test: (red: number, green: number, blue: number) => boolean): number {
  let total = 0;
  for (const [key, count] of colours) if (test(key >> 16, (key >> 8) & 255, key & 255)) total += count;
  return total;
}

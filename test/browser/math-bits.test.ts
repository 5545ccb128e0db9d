// The deterministic math prelude gives the same bits in Chromium as in Node: the engine's
// runtime/math.ts, bundled for the browser as the page gets it, evaluated on pinned and on
// seeded inputs (across all ranges, including huge arguments and special values) in both.

import { build } from "esbuild";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import * as math from "../../engine/runtime/math.ts";
import { nextFloat, seedRandom } from "../../engine/runtime/random.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";
import { launchChromium } from "./chromium.ts";

type Case = [name: string, args: number[]];
const UNARY = ["sin", "cos", "tan", "atan", "asin", "acos", "exp", "log", "sqrt", "floor", "abs"] as const;
const BINARY = ["atan2", "pow", "min", "max", "length2"] as const;

/** Seeded inputs over many magnitudes, both signs, plus the special values. */
function cases(): Case[] {
  const random = seedRandom(20261201);
  const value = () => {
    const magnitude = 10 ** (nextFloat(random) * 44 - 22);
    return (nextFloat(random) < 0.5 ? -1 : 1) * magnitude * nextFloat(random);
  };
  const specials = [0, -0, 1, -1, 0.5, Math.PI, Math.PI / 2, 1e300, -1e300, 5e-324, Infinity, -Infinity, NaN];
  const list: Case[] = [];
  for (const name of UNARY) {
    for (const x of specials) list.push([name, [x]]);
    for (let index = 0; index < 2_000; index++) list.push([name, [name === "asin" || name === "acos" ? nextFloat(random) * 2 - 1 : value()]]);
  }
  for (const name of BINARY) {
    for (const x of specials) list.push([name, [x, specials[(specials.indexOf(x) + 3) % specials.length]]]);
    for (let index = 0; index < 2_000; index++) list.push([name, [value(), name === "pow" ? nextFloat(random) * 8 - 4 : value()]]);
  }
  return list;
}

/** Each result as its 64 bits in hex, so -0 and NaN payloads count too. */
function bitsOf(results: number[]): string[] {
  const view = new DataView(new ArrayBuffer(8));
  return results.map((result) => {
    view.setFloat64(0, result);
    return view.getBigUint64(0).toString(16);
  });
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [join(repositoryRoot, "engine/runtime/math.ts")],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "ribbonMath",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent("<!doctype html><title>math</title>");
  await page.addScriptTag({ content: bundled.outputFiles[0].text });
}, 45_000);

afterAll(async () => {
  await browser?.close();
});

test("sin, cos, atan2, pow, ... return the same bits in Chromium as in Node", async () => {
  const all = cases();
  const functions = math as unknown as Record<string, (...args: number[]) => number>;
  const inNode = bitsOf(all.map(([name, args]) => functions[name](...args)));
  const inPage = await page.evaluate((list) => {
    const table = (window as unknown as { ribbonMath: Record<string, (...args: number[]) => number> }).ribbonMath;
    const view = new DataView(new ArrayBuffer(8));
    return list.map(([name, args]) => {
      view.setFloat64(0, table[name](...args));
      return view.getBigUint64(0).toString(16);
    });
  }, all);
  const differing = all.flatMap(([name, args], index) => (inNode[index] === inPage[index] ? [] : [`${name}(${args.join(", ")}): ${inNode[index]} in Node, ${inPage[index]} in Chromium`]));
  expect(differing).toEqual([]);
  expect(all.length).toBeGreaterThan(30_000);
}, 60_000);

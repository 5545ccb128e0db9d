// Record in Chromium, replay in Node (issue #6), through playwright-core and Debian's Chromium:
// the replay test game (input, seeded randomness, two modules) is played in the page with
// scripted key presses and a click, one constant is edited (a hot reload), the recording is saved
// with the "Download recording" button, and Node replays the downloaded file with every world
// hash matching. Then the timeline: scrubbing a paused game back lands on the world hash recorded
// at that tick, scrubbing forward returns to the head, and resuming from the past truncates the
// recording, which still replays exactly. Last, in a game whose fiber is always suspended, the
// timeline restores the fiber with the world; and a reload that must restart the world (the fiber
// has a frame in the module) is turned into a replay restart in the page, and that recording
// replays too.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./chromium.ts";
import type { Recording } from "../../engine/replay/format.ts";
import { replay } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { parseRecording } from "../../engine/replay/validate.ts";
import { launchDevServer, type Launched } from "../../tools/cli/start.ts";
import { change, here, readGame } from "../replay/helpers.ts";

const WAIT = { timeout: 15_000 };
const sources = readGame();

const fiberSources = readGame(join(here, "fibers"));

interface GameDir {
  root: string;
  gameDir: string;
  mainPath: string;
}

/** `<tmp>/game/{manifest.json,*.rib}`: a replay test game as a dev-server game. */
function createReplayGame(modules: Record<string, string> = sources): GameDir {
  const root = mkdtempSync(join(tmpdir(), "ribbon-recording-"));
  const gameDir = join(root, "game");
  mkdirSync(gameDir);
  writeFileSync(join(gameDir, "manifest.json"), JSON.stringify({ name: "recording", modules: ["main"], seed: 42 }));
  for (const [name, text] of Object.entries(modules)) writeFileSync(join(gameDir, `${name}.rib`), text);
  return { root, gameDir, mainPath: join(gameDir, "main.rib") };
}

interface Opened {
  game: GameDir;
  launched: Launched;
  browser: Browser;
  page: Page;
  pageErrors: string[];
}

/** The dev server on a fresh copy of the game, and Chromium showing it with the game running. */
async function openGame(modules: Record<string, string>): Promise<Opened> {
  const game = createReplayGame(modules);
  const launched = await launchDevServer({ gameDir: game.gameDir, port: 0, output: { log: () => {}, status: () => {} } });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 900, height: 700 }, acceptDownloads: true });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(launched.server.url, WAIT);
  await page.waitForFunction(() => (window.__ribbon?.client.world?.tick ?? 0) > 5, null, WAIT);
  return { game, launched, browser, page, pageErrors };
}

async function closeGame(opened: Partial<Opened>): Promise<void> {
  await opened.browser?.close().catch(() => {});
  await opened.launched?.close().catch(() => {});
  if (opened.game) rmSync(opened.game.root, { recursive: true, force: true });
}

function parsed(text: string): Recording {
  const result = parseRecording(text);
  if (!result.ok) throw new Error(`the downloaded recording does not parse: ${result.error.message}`);
  return result.recording;
}

/** The recording so far, straight from the page's recorder. */
async function recordingOf(page: Page): Promise<Recording> {
  const text = await page.evaluate(() => JSON.stringify(window.__ribbon!.client.recording()));
  return parsed(text);
}

function sessionTick(page: Page): Promise<number> {
  return page.evaluate(() => window.__ribbon!.client.recorder!.ticks);
}

async function waitForSessionTick(page: Page, tick: number): Promise<void> {
  await page.waitForFunction((wanted) => (window.__ribbon?.client.recorder?.ticks ?? 0) >= wanted, tick, WAIT);
}

/** Holds `key` for `ms` of real time. */
async function hold(page: Page, key: string, ms: number): Promise<void> {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
}

/** Moves the timeline slider the way a person does: set its value, fire `input`. */
function slide(page: Page, tick: number): Promise<{ position: number; hash: string | null }> {
  return page.evaluate((wanted) => {
    const slider = document.getElementById("ribbon-timeline") as HTMLInputElement;
    slider.value = String(wanted);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    const page = window.__ribbon!;
    return { position: page.client.timeline!.position, hash: page.worldHash() };
  }, tick);
}

function replays(recording: Recording): void {
  const result = replay(recording);
  expect(formatReplayResult(result)).toMatch(/^replay: ok/);
  expect(result.kind).toBe("matched");
}

describe("recording in Chromium, replaying in Node", () => {
  const opened: Partial<Opened> = {};
  let game: GameDir;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    Object.assign(opened, await openGame(sources));
    ({ game, page, pageErrors } = opened as Opened);
  }, 45_000);

  afterAll(() => closeGame(opened));

  test("a session played with keys and a hot reload, downloaded, replays in Node with identical hashes", async () => {
    await page.mouse.click(300, 200);
    await hold(page, "ArrowRight", 400);
    await page.keyboard.press("Space");
    await page.keyboard.down("ArrowDown");
    await hold(page, "ArrowLeft", 300);
    await page.keyboard.up("ArrowDown");
    await page.keyboard.press("Space");
    await hold(page, "ArrowUp", 300);

    const beforeReload = await sessionTick(page);
    writeFileSync(game.mainPath, change(sources.main, "SPEED := 120.0", "SPEED := 150.0"));
    await page.waitForFunction(() => window.__ribbon!.client.stats.reloads >= 1, null, WAIT);
    expect(await page.evaluate(() => window.__ribbon!.client.stats.lastReport!.outcome)).toBe("swapped");
    await hold(page, "ArrowRight", 300);
    await page.keyboard.press("Space");
    await hold(page, "ArrowDown", 300);
    await waitForSessionTick(page, 120);

    // Paused, so the page's world is where the recording ends.
    await page.click("#ribbon-pause");
    await page.waitForFunction(() => window.__ribbon!.client.clock.paused, null, WAIT);
    const [download] = await Promise.all([page.waitForEvent("download", WAIT), page.click("#ribbon-download")]);
    expect(download.suggestedFilename()).toMatch(/^session-\d{4}-\d\d-\d\dT[\d-]+Z\.ribbon-replay\.json$/);
    const recording = parsed(readFileSync(await download.path(), "utf8"));
    const pageHash = await page.evaluate(() => window.__ribbon!.worldHash());

    expect(recording.ticks).toBe(await sessionTick(page));
    expect(recording.game).toMatchObject({ seed: 42, order: expect.arrayContaining(["main", "swarm"]) });
    expect(recording.meta.recordedBy).toBe("ribbon start (browser)");
    expect(recording.programs[0].roots).toEqual(["main"]);
    expect(Object.keys(recording.programs[0].modules).sort()).toEqual(["main", "swarm"]);
    expect(recording.reloads).toHaveLength(1);
    expect(recording.reloads[0]).toMatchObject({ outcome: "swapped", modules: ["main"], resimulated: 0 });
    expect(recording.reloads[0].tick).toBeGreaterThanOrEqual(beforeReload);
    const frames = recording.input.map(([, frame]) => frame);
    expect(frames.some((frame) => frame.down?.includes("right"))).toBe(true);
    expect(frames.some((frame) => frame.down?.includes("down") && frame.down.includes("left"))).toBe(true);
    expect(frames.some((frame) => frame.pressed?.includes("space"))).toBe(true);
    expect(frames.some((frame) => frame.pointerPressed)).toBe(true);
    expect(recording.hashes.at(-1)!.world).toBe(pageHash);

    replays(recording);
    // The input matters: without the space presses the replay departs from the recorded hashes.
    const tampered = structuredClone(recording);
    for (const [, frame] of tampered.input) delete frame.pressed;
    expect(replay(tampered).kind).toBe("diverged");
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test("the timeline scrubs back to the hash recorded at that tick, forward to the head, and resuming truncates", async () => {
    await page.click("#ribbon-pause");
    await page.waitForFunction(() => !window.__ribbon!.client.clock.paused, null, WAIT);
    // Snapshots start after the reload's probation; wait for three of them.
    await page.waitForFunction(() => {
      const range = window.__ribbon!.client.timeline!.range();
      return range !== null && range.to - range.from >= 150;
    }, null, WAIT);
    expect(await page.evaluate(() => (document.getElementById("ribbon-timeline") as HTMLInputElement).disabled)).toBe(true);
    await hold(page, "ArrowRight", 200);
    await page.click("#ribbon-pause");
    await page.waitForFunction(() => window.__ribbon!.client.clock.paused && !(document.getElementById("ribbon-timeline") as HTMLInputElement).disabled, null, WAIT);

    const head = await sessionTick(page);
    const headHash = await page.evaluate(() => window.__ribbon!.worldHash());
    const range = (await page.evaluate(() => window.__ribbon!.client.timeline!.range()))!;
    const recorded = new Map((await recordingOf(page)).hashes.map((hash) => [hash.tick, hash.world]));
    const targets = [...recorded.keys()].filter((tick) => tick >= range.from && tick < head && tick % 60 === 0);
    expect(targets.length).toBeGreaterThanOrEqual(2);

    for (const tick of [targets[targets.length - 1], targets[0], targets[1]]) {
      const at = await slide(page, tick);
      expect(at.position).toBe(tick);
      expect(at.hash).toBe(recorded.get(tick));
    }
    const back = await slide(page, head);
    expect(back).toEqual({ position: head, hash: headHash });

    // Resume from an earlier tick: the future after it is dropped, recording goes on from there.
    const from = targets[0];
    await slide(page, from);
    expect(await sessionTick(page)).toBe(head);
    await page.click("#ribbon-pause");
    await page.waitForFunction((tick) => window.__ribbon!.client.recorder!.ticks > tick + 20, from, WAIT);
    await page.click("#ribbon-pause");
    await page.waitForFunction(() => window.__ribbon!.client.clock.paused, null, WAIT);
    const resumed = await recordingOf(page);
    expect(resumed.ticks).toBe(await sessionTick(page));
    expect(resumed.hashes.filter((hash) => hash.tick <= from).map((hash) => hash.world)).toEqual([...recorded].filter(([tick]) => tick <= from).map(([, world]) => world));
    expect(resumed.ticks).toBeLessThan(head);
    expect(resumed.input.reduce((sum, [count]) => sum + count, 0)).toBe(resumed.ticks);
    replays(resumed);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

describe("replay restart in Chromium", () => {
  const opened: Partial<Opened> = {};

  beforeAll(async () => {
    Object.assign(opened, await openGame(fiberSources));
  }, 45_000);

  afterAll(() => closeGame(opened));

  test("the timeline scrubs a game whose fiber is always suspended: the fiber is restored with the world", async () => {
    const { page, pageErrors } = opened as Opened;
    await page.waitForFunction(() => {
      const range = window.__ribbon!.client.timeline!.range();
      return range !== null && range.to - range.from >= 120;
    }, null, WAIT);
    await page.click("#ribbon-pause");
    await page.waitForFunction(() => window.__ribbon!.client.clock.paused, null, WAIT);
    expect(await page.evaluate(() => window.__ribbon!.client.world!.fibers.length)).toBe(1);
    const head = await sessionTick(page);
    const headHash = await page.evaluate(() => window.__ribbon!.worldHash());
    const range = (await page.evaluate(() => window.__ribbon!.client.timeline!.range()))!;
    const recorded = new Map((await recordingOf(page)).hashes.map((hash) => [hash.tick, hash.world]));
    const target = [...recorded.keys()].find((tick) => tick >= range.from && tick < head - 30)!;
    expect(target).toBeDefined();
    const at = await slide(page, target);
    expect(at).toEqual({ position: target, hash: recorded.get(target) });
    // Forward from the restored world runs the restored fiber: the head comes back bit for bit.
    expect(await slide(page, head)).toEqual({ position: head, hash: headHash });
    // Resuming from the past: the fiber goes on pulsing in the live game.
    await slide(page, target);
    const pulses = await page.evaluate(() => window.__ribbon!.client.world!.byName.main.state.s_pulses as number);
    await page.click("#ribbon-pause");
    await page.waitForFunction((before) => (window.__ribbon!.client.world!.byName.main.state.s_pulses as number) > before + 1, pulses, WAIT);
    replays(await recordingOf(page));
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test("a reload that restarts the world re-simulates the session's input in the page; the recording replays", async () => {
    const { page, game, pageErrors } = opened as Opened;
    await hold(page, "ArrowRight", 500);
    await waitForSessionTick(page, 60);
    const xBefore = await page.evaluate(() => window.__ribbon!.client.world!.byName.main.state.s_x as number);
    expect(xBefore).toBeGreaterThan(0);
    writeFileSync(game.mainPath, change(fiberSources.main, "STEP := 1.0", "STEP := 2.0"));
    await page.waitForFunction(() => window.__ribbon!.client.stats.reloads >= 1 && !window.__ribbon!.client.resimulating, null, WAIT);
    const report = await page.evaluate(() => window.__ribbon!.client.stats.lastReport!);
    expect(report.outcome).toBe("restarted");
    expect(report.reason).toMatch(/replayed \d+ ticks of recorded input/);
    await hold(page, "ArrowRight", 200);

    await page.click("#ribbon-pause");
    await page.waitForFunction(() => window.__ribbon!.client.clock.paused, null, WAIT);
    const recording = await recordingOf(page);
    expect(recording.reloads).toHaveLength(1);
    expect(recording.reloads[0].outcome).toBe("restarted");
    expect(recording.reloads[0].resimulated).toBe(recording.reloads[0].tick);
    // The new step applies to every recorded tick with 'right held, not just the ones after the edit.
    const x = await page.evaluate(() => window.__ribbon!.client.world!.byName.main.state.s_x as number);
    expect(x).toBeGreaterThanOrEqual(2 * xBefore);
    replays(recording);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

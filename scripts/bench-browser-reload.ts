// Browser hot-reload benchmark (run by hand: npm run bench:browser-reload; about 2.5 minutes),
// measured against the "Hot reload in the browser" table of ../shared/TARGETS.md. The real dev
// server (tools/cli/start.ts: chokidar watcher, compile in Node, WebSocket to the page) serves a
// temp game folder to headless Chromium (playwright-core, /usr/bin/chromium); the script writes the
// .rib file for real and times, on Node's clock: save → reload message in the page, save → first
// requestAnimationFrame callback whose tick ran the new code (a 10,000-entity module; constant edits
// and field add/remove migrations), save of a syntax error → overlay shown, full page reload and
// fast (replay) restart → first frame, and a cold `ribbon start` → first frame. Page timestamps
// come from an init script that wraps requestAnimationFrame, WebSocket and the exposed client
// (`window.__ribbon`), mapped onto Node's clock by the fastest of many page.evaluate round trips
// (by performance.timeOrigin when the page is too busy for a fast one); no engine code is changed.
// Baselines from the same run: the page's plain frame interval, the part of each reload spent
// waiting for the next frame, Node's start-up, and a diagnostic pass with rendering switched off.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { GameClient } from "../engine/client/game-client.ts";
import type { ReloadReport } from "../engine/reload/report.ts";
import { stateKey } from "../engine/runtime/names.ts";
import { launchChromium } from "../test/browser/chromium.ts";
import { createTestGame, type GameFolder } from "../test/server/fixtures.ts";
import { launchDevServer, type Launched } from "../tools/cli/start.ts";
import { DEFAULT_DEBOUNCE_MS } from "../tools/cli/watch.ts";

const EDITS_PER_KIND = 40;
const WARM_UP_EDITS = 6;
/** Edits per kind (and syntax errors) of the diagnostic pass without rendering. */
const DIAGNOSTIC_EDITS_PER_KIND = 20;
const SYNTAX_ERROR_ROUNDS = 40;
const RESTART_ROUNDS = 30;
const WARM_UP_RESTARTS = 3;
const COLD_STARTS = 5;
/** Live ticks the page runs after a page reload before the restart edit (what a restart re-simulates). */
const TICKS_BEFORE_RESTART = 12;
/** Between saves: past the watcher's debounce and the previous reload's report, plus a random frame so saves land at every frame phase. */
const PAUSE_MS = 80;
const FRAME_MS = 1000 / 60;
const IDLE_BASELINE_MS = 2000;
const POLL_MS = 10;
/** After the server has sent a reload, the page is left alone this long before it is polled. */
const QUIET_MS = 60;
const WAIT_MS = 15_000;
/** Clock mapping: at least this many round trips, more (within the budget) until one is this fast. */
const CLOCK_MIN_SAMPLES = 10;
const CLOCK_BUDGET_MS = 400;
const CLOCK_GOOD_ROUND_TRIP_MS = 0.8;
/** A slower best round trip than this falls back to the time-origin mapping. */
const CLOCK_USABLE_ROUND_TRIP_MS = 3;
/** The module state the probe reads after every frame: the VERSION constant of the code that ran the last tick. */
const SHOWN_KEY = stateKey("shown");
const BROKEN_LINE = "shown = = VERSION";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------- the measured games

/** 10,000 live entities; VERSION changes on every save; `spin` comes and goes (a generated migration). */
function crowdModule(version: number, withSpin: boolean): string {
  return `;; bench-browser-reload: 10,000 live entities; VERSION changes on every save
import engine/draw

VERSION := ${version}
shown : mut = -1

Mote := struct { pos: Vec2, vel: Vec2, life: f64 = 10.0${withSpin ? ", spin: f64 = 0.5" : ""} }
motes := pool Mote

init := fun ().
    for i in 0 .. 10000.
        alloc motes { pos = vec2 (float (i % 800)) (float (i % 600)), vel = vec2 (float (i % 5) - 2.0) (float (i % 7) - 3.0) }

move := fun (m: *'motes Mote, dt: f64).
    m.pos = m.pos + m.vel * dt
    if m.pos.x > 800.0 or m.pos.x < 0.0.
        m.vel = vec2 (0.0 - m.vel.x) m.vel.y
    if m.pos.y > 600.0 or m.pos.y < 0.0.
        m.vel = vec2 m.vel.x (0.0 - m.vel.y)
    m.life = m.life - dt
    if m.life < 0.0.
        m.life = 10.0

update := fun (dt: f64).
    shown = VERSION
    for m in motes.
        move m dt
    draw/rect (vec2 0.0 0.0) (vec2 800.0 8.0) 65280
    draw/text ("v" + str VERSION) (vec2 10.0 30.0) 20.0 16777215
`;
}

/** A fiber stays suspended in this module, so every reload of it is a restart (a replay restart in the page). */
function fibersModule(version: number): string {
  return `;; bench-browser-reload: a fiber stays suspended in this module, so every reload of it restarts
import engine/draw

VERSION := ${version}
shown : mut = -1
pulses : mut = 0

pulse := fun ().
    while true.
        wait 0.25
        pulses = pulses + 1

init := fun ().
    spawn (fun (). pulse ())

update := fun (dt: f64).
    shown = VERSION
    draw/circle (vec2 (100.0 + float (pulses % 10) * 20.0) 100.0) 16.0 16711680
    draw/text ("v" + str VERSION) (vec2 10.0 30.0) 20.0 16777215
`;
}

// ---------------------------------------------------------------- the probe, installed in the page

/** One requestAnimationFrame callback of the game's loop, timed with the page's performance.now(). */
interface FrameRecord {
  /** The callback began. */
  start: number;
  /** client.frame returned: messages applied at the boundary, the due ticks run (overlay DOM set); rendering not yet. */
  framed: number;
  /** The callback returned (rendering included). */
  end: number;
  /** Live ticks run in this callback. */
  ticks: number;
  reloads: number;
  tick: number;
  /** The `shown` state of module main after the frame: VERSION of the code that ran the last tick. */
  version: number | null;
  /** The overlay's text while it is visible. */
  overlay: string | null;
  /** The reload report, in the callback where a reload finished applying. */
  report: ReloadReport | null;
}

interface MessageRecord {
  at: number;
  kind: string;
  /** Characters of the JSON text (WebSocket arrivals only). */
  length: number;
}

interface ProbeLog {
  frames: FrameRecord[];
  /** WebSocket message events, before the page's own listener parses them. */
  arrivals: MessageRecord[];
  /** Messages handed to client.receive (parsed, queued for the next frame boundary). */
  queued: MessageRecord[];
}

interface PageProbe extends ProbeLog {
  /** Everything recorded since the last take. */
  take(): ProbeLog;
}

declare global {
  interface Window {
    __reloadProbe?: PageProbe;
  }
}

/**
 * Runs in the page before its scripts (page.addInitScript), so everything it uses is declared
 * inside it. Wraps WebSocket (message arrivals), requestAnimationFrame (each callback's start and
 * end) and, once `window.__ribbon` exists, the client's `frame` and `receive` (what each frame did).
 */
function installProbe(shownKey: string): void {
  /** The callback running now: its start, and its record once the game's frame has run. */
  const callback = { start: 0, frame: null as FrameRecord | null };
  const probe = createProbe();
  window.__reloadProbe = probe;
  timeSocketMessages();
  timeAnimationFrames();

  function createProbe(): PageProbe {
    const created: PageProbe = {
      frames: [],
      arrivals: [],
      queued: [],
      take() {
        const taken = { frames: created.frames, arrivals: created.arrivals, queued: created.queued };
        Object.assign(created, { frames: [], arrivals: [], queued: [] });
        return taken;
      },
    };
    return created;
  }

  /** The listener added in the constructor runs before the page's own one (which parses). */
  function timeSocketMessages(): void {
    const NativeSocket = window.WebSocket;
    window.WebSocket = class TimedSocket extends NativeSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener("message", (event) => {
          const at = performance.now();
          const text = typeof event.data === "string" ? event.data : "";
          probe.arrivals.push({ at, kind: /^\{"kind":"([^"]+)"/.exec(text.slice(0, 40))?.[1] ?? "?", length: text.length });
        });
      }
    };
  }

  function timeAnimationFrames(): void {
    const wrapped = new WeakSet<GameClient>();
    const nativeRequest = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (run) =>
      nativeRequest((time) => {
        callback.start = performance.now();
        callback.frame = null;
        const client = window.__ribbon?.client;
        if (client && !wrapped.has(client)) {
          wrapClient(client);
          wrapped.add(client);
        }
        run(time);
        const recorded = callback.frame as FrameRecord | null; // set by the wrapped client.frame during run()
        if (recorded) recorded.end = performance.now();
      });
  }

  function wrapClient(client: GameClient): void {
    const frame = client.frame;
    client.frame = (elapsedMs, input) => {
      const reloadsBefore = client.stats.reloads;
      const result = frame(elapsedMs, input);
      callback.frame = frameRecord(client, result.ticks, reloadsBefore);
      probe.frames.push(callback.frame);
      return result;
    };
    const receive = client.receive;
    client.receive = (message) => {
      receive(message);
      probe.queued.push({ at: performance.now(), kind: message.kind, length: 0 });
    };
  }

  function frameRecord(client: GameClient, ticks: number, reloadsBefore: number): FrameRecord {
    const framed = performance.now();
    const world = client.world;
    const shown = world?.byName.main?.state[shownKey];
    const overlay = document.getElementById("ribbon-overlay");
    return {
      start: callback.start,
      framed,
      end: framed,
      ticks,
      reloads: client.stats.reloads,
      tick: world?.tick ?? -1,
      version: typeof shown === "number" ? shown : null,
      overlay: overlay && !overlay.hidden ? overlay.textContent : null,
      report: client.stats.reloads !== reloadsBefore ? client.stats.lastReport : null,
    };
  }
}

// ---------------------------------------------------------------- reading the probe from Node

/** Page clock → Node clock: nodeTime = pageTime − offset. */
interface PageClock {
  offset: number;
  /** "round trip": from the fastest page.evaluate round trip; "time origin": from both clocks' performance.timeOrigin (a busy page). */
  method: "round trip" | "time origin";
  /** The fastest round trip (the round-trip mapping is ± half of it). */
  roundTrip: number;
  /** |round-trip offset − time-origin offset|: how far the time-origin mapping is off where it can be checked. */
  disagreement: number;
}

/**
 * Round trips of page.evaluate(() => performance.now()), a few milliseconds apart, until a fast one
 * or the time budget is spent. The page's main thread is often busy (rendering); when no round trip
 * is fast enough, both processes' performance.timeOrigin (the same system clock) map the page's time.
 */
async function measureClock(page: Page): Promise<PageClock> {
  const pageOrigin = await page.evaluate(() => performance.timeOrigin);
  const originOffset = performance.timeOrigin - pageOrigin;
  let best = { offset: 0, roundTrip: Infinity };
  const deadline = performance.now() + CLOCK_BUDGET_MS;
  for (let sample = 0; performance.now() < deadline; sample++) {
    const sent = performance.now();
    const pageTime = await page.evaluate(() => performance.now());
    const received = performance.now();
    if (received - sent < best.roundTrip) best = { offset: pageTime - (sent + received) / 2, roundTrip: received - sent };
    if (sample >= CLOCK_MIN_SAMPLES && best.roundTrip <= CLOCK_GOOD_ROUND_TRIP_MS) break;
    await sleep(Math.random() * 4);
  }
  const precise = best.roundTrip <= CLOCK_USABLE_ROUND_TRIP_MS;
  return { offset: precise ? best.offset : originOffset, method: precise ? "round trip" : "time origin", roundTrip: best.roundTrip, disagreement: Math.abs(best.offset - originOffset) };
}

function takeProbe(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => window.__reloadProbe!.take());
}

/** Polls the probe until `done` holds for everything recorded since the call. */
async function collectUntil(page: Page, done: (log: ProbeLog) => boolean, what: string): Promise<ProbeLog> {
  const log: ProbeLog = { frames: [], arrivals: [], queued: [] };
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const taken = await takeProbe(page);
    log.frames.push(...taken.frames);
    log.arrivals.push(...taken.arrivals);
    log.queued.push(...taken.queued);
    if (done(log)) return log;
    if (performance.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

function firstTickingFrame(log: ProbeLog): FrameRecord | undefined {
  return log.frames.find((frame) => frame.ticks > 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(ready: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

// ---------------------------------------------------------------- a game served to a page

/** When the dev server was told the sources settled, and when it had sent what it compiled (Node clock). */
interface ServerTimes {
  settled: number[];
  sent: number[];
}

interface BrowserGame {
  folder: GameFolder;
  launched: Launched;
  page: Page;
  server: ServerTimes;
  pageErrors: string[];
}

/** Wraps the server's `sourcesChanged` (called by the watcher once a save settles; it compiles and sends synchronously). */
function timeServer(launched: Launched): ServerTimes {
  const times: ServerTimes = { settled: [], sent: [] };
  const original = launched.server.sourcesChanged;
  launched.server.sourcesChanged = () => {
    times.settled.push(performance.now());
    original();
    times.sent.push(performance.now());
  };
  return times;
}

async function openProbedPage(browser: Browser, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.addInitScript(installProbe, SHOWN_KEY);
  return page;
}

/** A temp game folder served by the real dev server, open in a page that has run its first tick. */
async function withBrowserGame<T>(browser: Browser, source: string, use: (game: BrowserGame) => Promise<T>): Promise<T> {
  const folder = createTestGame(source);
  const status: string[] = [];
  const pageErrors: string[] = [];
  let launched: Launched | null = null;
  let page: Page | null = null;
  try {
    launched = await launchDevServer({ gameDir: folder.gameDir, port: 0, output: { log: () => {}, status: (text) => void status.push(text) } });
    page = await openProbedPage(browser, pageErrors);
    await page.goto(launched.server.url, { timeout: WAIT_MS });
    await collectUntil(page, (log) => firstTickingFrame(log) !== undefined, "the first tick");
    const result = await use({ folder, launched, page, server: timeServer(launched), pageErrors });
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join("; ")}`);
    return result;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n  last dev-server lines:\n    ${status.slice(-5).join("\n    ")}`);
  } finally {
    await page?.close().catch(() => {});
    await launched?.close().catch(() => {});
    rmSync(folder.root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- one save, timed

/** Milliseconds after the write (Node clock) of each step a save goes through. */
interface SaveTiming {
  /** The watcher settled and told the dev server. */
  settled: number;
  /** The server had compiled, planned and sent the reload message. */
  sent: number;
  /** The WebSocket message event fired in the page. */
  arrived: number;
  /** Characters of the reload message's JSON. */
  messageLength: number;
  /** Parsed and queued for the next frame boundary. */
  queued: number;
  /** Start of the requestAnimationFrame callback that applied it. */
  applied: number;
  /** Start of the first callback where `reached` held (for a code edit: a tick ran the new code). */
  reachedStart: number;
  /** End of client.frame in that callback (for an error: the overlay's DOM was set). */
  reachedFramed: number;
  /** Callbacks from the one that applied the reload to the one that reached the goal (0: the same). */
  framesAfterApply: number;
  report: ReloadReport;
}

/** What the page recorded for one save, in page time, before the clock is known. */
interface RecordedSave {
  log: ProbeLog;
  /** Node time of the write. */
  written: number;
  /** Index of this save in the server's settled/sent lists. */
  serverIndex: number;
  /** Index in log.frames of the first frame that reached the goal. */
  goal: number;
}

/** Pauses, writes `text` into the game's module, and records the page until a frame satisfies `reached`. */
async function recordSave(game: BrowserGame, text: string, reached: (frame: FrameRecord) => boolean, what: string): Promise<RecordedSave> {
  await sleep(PAUSE_MS + Math.random() * FRAME_MS);
  await takeProbe(game.page);
  const serverIndex = game.server.sent.length;
  const written = performance.now();
  writeFileSync(game.folder.mainPath, text);
  // The page is first polled well after the server has sent, so the benchmark's own work (CDP
  // round trips into the page) stays off the measured path.
  await waitFor(() => game.server.sent.length > serverIndex, `the dev server to compile ${what}`);
  await sleep(QUIET_MS);
  const log = await collectUntil(game.page, (seen) => seen.frames.some(reached), what);
  return { log, written, serverIndex, goal: log.frames.findIndex(reached) };
}

async function timeSave(game: BrowserGame, clock: PageClock, text: string, reached: (frame: FrameRecord) => boolean, what: string): Promise<SaveTiming> {
  return saveTiming(game, await recordSave(game, text, reached, what), clock);
}

function saveTiming(game: BrowserGame, save: RecordedSave, clock: PageClock): SaveTiming {
  const { log, goal } = save;
  const applied = log.frames.findIndex((frame) => frame.report !== null);
  const arrival = log.arrivals.find((message) => message.kind === "reload");
  const queued = log.queued.find((message) => message.kind === "reload");
  if (applied < 0 || applied > goal || !arrival || !queued) throw new Error("a save reached its goal without a reload message and report");
  const sinceWrite = (pageTime: number) => pageTime - clock.offset - save.written;
  return {
    settled: game.server.settled[save.serverIndex] - save.written,
    sent: game.server.sent[save.serverIndex] - save.written,
    arrived: sinceWrite(arrival.at),
    messageLength: arrival.length,
    queued: sinceWrite(queued.at),
    applied: sinceWrite(log.frames[applied].start),
    reachedStart: sinceWrite(log.frames[goal].start),
    reachedFramed: sinceWrite(log.frames[goal].framed),
    framesAfterApply: goal - applied,
    report: log.frames[applied].report!,
  };
}

/** A save of a new VERSION is live once a callback ran a tick whose code set `shown` to it. */
function runsVersion(version: number): (frame: FrameRecord) => boolean {
  return (frame) => frame.version === version && frame.ticks > 0;
}

function expectOutcome(timing: SaveTiming, outcome: ReloadReport["outcome"], what: string): void {
  const report = timing.report;
  if (report.outcome !== outcome) throw new Error(`${what}: expected ${outcome}, got ${report.outcome}: ${report.reason}\n${report.details}`);
}

// ---------------------------------------------------------------- 1, 2, 3: the 10,000-entity module

type EditKind = "constant" | "migration";

/** What the crowd module's file holds now; each save moves VERSION on. */
interface CrowdSource {
  version: number;
  withSpin: boolean;
}

interface HotReloads {
  constant: SaveTiming[];
  migration: SaveTiming[];
}

interface SyntaxErrorRound {
  error: SaveTiming;
  fix: SaveTiming;
}

/** One pass over the crowd page: idle frames, code edits, syntax errors. */
interface CrowdPass {
  idle: FrameRecord[];
  hot: HotReloads;
  syntaxErrors: SyntaxErrorRound[];
}

interface CrowdResults {
  clock: PageClock;
  rendered: CrowdPass;
  /** Diagnostic: the same page with the renderer's render call replaced by a no-op. */
  unrendered: CrowdPass;
}

async function measureCrowd(game: BrowserGame): Promise<CrowdResults> {
  const clock = await measureClock(game.page);
  const source: CrowdSource = { version: 0, withSpin: false };
  const rendered = await measureCrowdPass(game, clock, source, { edits: EDITS_PER_KIND, warmUp: WARM_UP_EDITS, syntaxErrors: SYNTAX_ERROR_ROUNDS });
  await game.page.evaluate(() => {
    window.__ribbon!.renderer.render = () => {};
  });
  const unrendered = await measureCrowdPass(game, clock, source, { edits: DIAGNOSTIC_EDITS_PER_KIND, warmUp: 2, syntaxErrors: DIAGNOSTIC_EDITS_PER_KIND });
  return { clock, rendered, unrendered };
}

async function measureCrowdPass(game: BrowserGame, clock: PageClock, source: CrowdSource, counts: { edits: number; warmUp: number; syntaxErrors: number }): Promise<CrowdPass> {
  const idle = await idleFrames(game.page);
  const hot = await measureHotReloads(game, clock, source, counts.edits, counts.warmUp);
  const syntaxErrors = await measureSyntaxErrors(game, clock, crowdModule(source.version, source.withSpin), counts.syntaxErrors);
  return { idle, hot, syntaxErrors };
}

/** Interleaved constant edits (swapped) and edits that add or remove `spin` (migrated). */
async function measureHotReloads(game: BrowserGame, clock: PageClock, source: CrowdSource, editsPerKind: number, warmUp: number): Promise<HotReloads> {
  const result: HotReloads = { constant: [], migration: [] };
  for (let edit = 1; edit <= warmUp + 2 * editsPerKind; edit++) {
    const kind: EditKind = edit % 2 === 0 ? "migration" : "constant";
    source.version++;
    if (kind === "migration") source.withSpin = !source.withSpin;
    const what = `version ${source.version} (${kind} edit) to run`;
    const timing = await timeSave(game, clock, crowdModule(source.version, source.withSpin), runsVersion(source.version), what);
    expectOutcome(timing, kind === "migration" ? "migrated" : "swapped", what);
    if (edit > warmUp) result[kind].push(timing);
  }
  return result;
}

/** The page's own frames with nothing happening: the frame interval and per-frame work baseline. */
async function idleFrames(page: Page): Promise<FrameRecord[]> {
  await takeProbe(page);
  await sleep(IDLE_BASELINE_MS);
  return (await takeProbe(page)).frames;
}

/** Saves a syntax error until the overlay shows its code frame, then the fix until the overlay closes. */
async function measureSyntaxErrors(game: BrowserGame, clock: PageClock, good: string, rounds: number): Promise<SyntaxErrorRound[]> {
  const result: SyntaxErrorRound[] = [];
  const broken = good.replace("shown = VERSION", BROKEN_LINE);
  const codeFrame = (text: string | null) => text !== null && /main\.rib:\d+:\d+/.test(text) && text.includes(BROKEN_LINE);
  for (let round = 0; round < rounds; round++) {
    const error = await timeSave(game, clock, broken, (frame) => codeFrame(frame.overlay), "the overlay with the code frame");
    expectOutcome(error, "rejected", "the syntax error");
    const fix = await timeSave(game, clock, good, (frame) => frame.report !== null && frame.overlay === null, "the overlay to close");
    expectOutcome(fix, "swapped", "the fix");
    result.push({ error, fix });
  }
  return result;
}

// ---------------------------------------------------------------- 4: full page reload, fast restart

/** Milliseconds after the page was told to load (page.reload or page.goto), on Node's clock. */
interface PageLoadTiming {
  /** The new document's navigation began (its time origin). */
  navigation: number;
  /** client.js (the engine bundle) was downloaded. */
  bundle: number;
  /** The page's `start` message (the running program) arrived. */
  started: number;
  /** Start of the first callback that ran a tick. */
  firstFrame: number;
  /** How the new document's clock was mapped. */
  clock: PageClock;
}

interface Restarts {
  pageReloads: PageLoadTiming[];
  restarts: SaveTiming[];
  /** Ticks each replay restart re-simulated. */
  resimulated: number[];
}

/**
 * Each round: a full page reload (a fresh, short session), a few ticks, then a save that restarts.
 * The new document's clock is mapped after the save, so the session stays short.
 */
async function measureRestarts(game: BrowserGame): Promise<Restarts> {
  const result: Restarts = { pageReloads: [], restarts: [], resimulated: [] };
  for (let round = 1; round <= WARM_UP_RESTARTS + RESTART_ROUNDS; round++) {
    const requested = performance.now();
    await game.page.reload({ timeout: WAIT_MS });
    const load = await recordPageLoad(game.page);
    await waitForTick(game.page, TICKS_BEFORE_RESTART);
    const save = await recordSave(game, fibersModule(round), runsVersion(round), `restart ${round} to run`);
    const clock = await measureClock(game.page);
    const restart = saveTiming(game, save, clock);
    expectOutcome(restart, "restarted", `restart ${round}`);
    if (round <= WARM_UP_RESTARTS) continue;
    result.pageReloads.push(pageLoadTiming(load, clock, requested));
    result.restarts.push(restart);
    result.resimulated.push(Number(/replayed (\d+) ticks?/.exec(restart.report.reason)?.[1] ?? Number.NaN));
  }
  return result;
}

/** What a freshly loaded document recorded up to its first ticking frame (page time). */
interface RecordedLoad {
  log: ProbeLog;
  /** responseEnd of client.js. */
  bundle: number;
}

async function recordPageLoad(page: Page): Promise<RecordedLoad> {
  const log = await collectUntil(page, (seen) => firstTickingFrame(seen) !== undefined, "the first tick of a loaded page");
  const bundle = await page.evaluate(() => (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((entry) => entry.name.endsWith("/client.js"))?.responseEnd ?? Number.NaN);
  return { log, bundle };
}

function pageLoadTiming(load: RecordedLoad, clock: PageClock, requested: number): PageLoadTiming {
  const since = (pageTime: number) => pageTime - clock.offset - requested;
  const started = load.log.arrivals.find((message) => message.kind === "start")?.at ?? Number.NaN;
  return { navigation: since(0), bundle: since(load.bundle), started: since(started), firstFrame: since(firstTickingFrame(load.log)!.start), clock };
}

async function waitForTick(page: Page, tick: number): Promise<void> {
  await page.waitForFunction((wanted) => (window.__ribbon?.client.world?.tick ?? 0) >= wanted, tick, { timeout: WAIT_MS });
}

// ---------------------------------------------------------------- 5: cold start

interface ColdStart {
  /** Spawn → `Ribbon dev server: URL` on stdout. */
  url: number;
  /** From the URL printed (page.goto right then) to the first frame that ran a tick. */
  load: PageLoadTiming;
}

interface ColdStarts {
  starts: ColdStart[];
  /** Baseline: spawn → exit of `node -e 0`, Node's own start-up. */
  nodeStartup: number[];
  /** Baseline: spawn → exit of `ribbon run GAME --ticks 1` (CLI loaded, game compiled, one headless tick). */
  headlessRun: number[];
}

async function measureColdStarts(browser: Browser, gameDir: string): Promise<ColdStarts> {
  const starts: ColdStart[] = [];
  for (let round = 0; round <= COLD_STARTS; round++) {
    const start = await timeColdStart(browser, gameDir);
    if (round > 0) starts.push(start); // the first one warms the CLI bundle and the file cache
  }
  const nodeStartup = timeProcess(["-e", "0"]);
  const headlessRun = timeProcess(["tools/bin/ribbon.mjs", "run", gameDir, "--ticks", "1"]);
  return { starts, nodeStartup, headlessRun };
}

/** Spawn → exit of `node ARGS`, COLD_STARTS times. */
function timeProcess(args: string[]): number[] {
  const times: number[] = [];
  for (let round = 0; round < COLD_STARTS; round++) {
    const spawned = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    times.push(performance.now() - spawned);
    if (run.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${run.stderr}`);
  }
  return times;
}

/** The page is opened (about:blank) before the spawn: the browser is already running, as for a developer. */
async function timeColdStart(browser: Browser, gameDir: string): Promise<ColdStart> {
  const pageErrors: string[] = [];
  const page = await openProbedPage(browser, pageErrors);
  const spawned = performance.now();
  const child = spawn(process.execPath, ["tools/bin/ribbon.mjs", "start", gameDir, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const { url, at } = await printedUrl(child);
    await page.goto(url, { timeout: WAIT_MS });
    const load = await recordPageLoad(page);
    const timing = pageLoadTiming(load, await measureClock(page), at);
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join("; ")}`);
    return { url: at - spawned, load: timing };
  } finally {
    await page.close().catch(() => {});
    await stopProcess(child);
  }
}

/** Resolves when the child prints `Ribbon dev server: URL` (Node clock of that moment). */
function printedUrl(child: ChildProcess): Promise<{ url: string; at: number }> {
  return new Promise((resolve, reject) => {
    const output = { stdout: "", stderr: "" };
    const fail = (why: string) => reject(new Error(`ribbon start ${why}:\n${output.stderr}`));
    const timer = setTimeout(() => fail(`printed no URL within ${WAIT_MS} ms`), WAIT_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      output.stdout += chunk.toString();
      const match = /Ribbon dev server: (\S+)/.exec(output.stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], at: performance.now() });
    });
    child.stderr!.on("data", (chunk: Buffer) => void (output.stderr += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(`exited (${code}) before printing its URL`);
    });
  });
}

/** SIGTERM (ribbon start closes its server and exits), SIGKILL if it is still there after 5 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(killer);
}

// ---------------------------------------------------------------- statistics and output

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(6)} ms`;
}

function spread(values: number[]): string {
  return `median ${ms(median(values))}   p90 ${ms(percentile(values, 0.9))}`;
}

function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(2)).join(" ");
}

/** Whether each target was met, in the order printed. */
type Verdicts = Array<{ name: string; met: boolean }>;

function verdict(verdicts: Verdicts, name: string, value: number, limit: number): string {
  const met = value <= limit;
  verdicts.push({ name, met });
  return met ? "met" : "MISSED";
}

function printClock(clock: PageClock): void {
  console.log(`clock mapping (page performance.now() → Node's), crowd page: ${clockSummary([clock])}`);
}

/** How a set of documents' clocks were mapped, and how precisely. */
function clockSummary(clocks: PageClock[]): string {
  const precise = clocks.filter((clock) => clock.method === "round trip");
  const parts: string[] = [];
  if (precise.length > 0) {
    const worst = Math.max(...precise.map((clock) => clock.roundTrip)) / 2;
    const originError = Math.max(...precise.map((clock) => clock.disagreement));
    parts.push(`${precise.length} of ${clocks.length} mapped by round trip, ± ${worst.toFixed(2)} ms at worst (performance.timeOrigin agreed within ${originError.toFixed(2)} ms)`);
  }
  const busy = clocks.length - precise.length;
  if (busy > 0) parts.push(`${busy} too busy for a fast round trip (best ${ms(Math.min(...clocks.filter((clock) => clock.method !== "round trip").map((clock) => clock.roundTrip))).trim()}), mapped by performance.timeOrigin`);
  return parts.join("; ");
}

function printIdleBaseline(frames: FrameRecord[], label: string): void {
  const intervals = frames.slice(1).map((frame, index) => frame.start - frames[index].start);
  const work = frames.map((frame) => frame.end - frame.start);
  const ticks = frames.filter((frame) => frame.ticks > 0).length;
  console.log(`
baseline, ${label}, idle for ${IDLE_BASELINE_MS / 1000} s (10,000 entities moving, no saves): ${frames.length} frames, ${ticks} of them ran a tick`);
  console.log(`    requestAnimationFrame interval           ${spread(intervals)}   (a save at a random phase waits half of it on average for the frame boundary)`);
  console.log(`    work per callback (ticks + render call)  ${spread(work)}`);
}

function printSaveBreakdown(timings: SaveTiming[]): void {
  const pick = (key: keyof Omit<SaveTiming, "report">) => timings.map((timing) => timing[key]);
  console.log(`      of which: save → watcher settled       ${spread(pick("settled"))}   (chokidar's event + the watcher's ${DEFAULT_DEBOUNCE_MS} ms debounce)`);
  console.log(`                → compiled, planned, sent    ${spread(pick("sent"))}`);
  console.log(`                → message event in the page  ${spread(pick("arrived"))}   (${(median(pick("messageLength")) / 1000).toFixed(1)} kB of JSON)`);
  console.log(`                → frame that applied it      ${spread(pick("applied"))}`);
  const waits = timings.map((timing) => timing.reachedStart - timing.queued);
  const share = median(timings.map((timing) => (timing.reachedStart - timing.queued) / timing.reachedStart));
  const later = timings.filter((timing) => timing.framesAfterApply > 0).length;
  console.log(`      just waiting for the frame (message queued → that frame began): ${spread(waits)}, median ${(share * 100).toFixed(0)}% of the total; ${later} of ${timings.length} also waited a frame for a due tick`);
}

function printReportTimings(timings: SaveTiming[]): void {
  const outcomes = new Map<string, number>();
  for (const timing of timings) outcomes.set(timing.report.outcome, (outcomes.get(timing.report.outcome) ?? 0) + 1);
  const report = (key: keyof ReloadReport["timings"]) => ms(median(timings.map((timing) => timing.report.timings[key]))).trim();
  const migrated = median(timings.map((timing) => Object.values(timing.report.migrated).reduce((sum, count) => sum + count, 0)));
  const counts = [...outcomes].map(([outcome, count]) => `${outcome} ${count}/${timings.length}`).join(", ");
  console.log(`      reload report (lastReport): ${counts}; medians: compile ${report("compile")}, plan ${report("plan")}, migrate ${report("migrate")}, commit ${report("commit")}${migrated > 0 ? `; ${migrated} entities migrated` : ""}`);
}

function editLabel(kind: EditKind): string {
  return kind === "constant" ? "constant edit (swapped)" : "field with a default added or removed (generated migration)";
}

function printHotReloads(hot: HotReloads, verdicts: Verdicts): void {
  console.log(`
1, 2. hot reload of a module whose pool holds 10,000 live entities: ${EDITS_PER_KIND} constant edits and ${EDITS_PER_KIND} field edits, interleaved, after ${WARM_UP_EDITS} warm-up edits`);
  for (const kind of ["constant", "migration"] as const) {
    const timings = hot[kind];
    const queued = timings.map((timing) => timing.queued);
    const live = timings.map((timing) => timing.reachedStart);
    console.log(`  ${editLabel(kind)}`);
    console.log(`    save → reload message in the page, parsed ${spread(queued)}   Vite 9.5 ms, ours ≤ 8 ms: ${verdict(verdicts, `save → message in the page (${kind})`, median(queued), 8)}`);
    console.log(`    save → first frame running the new code  ${spread(live)}   Vite 18.3 ms (p90 23.9), ours ≤ 18 ms: ${verdict(verdicts, `save → first frame running new code (${kind})`, median(live), 18)}`);
    printSaveBreakdown(timings);
    printReportTimings(timings);
  }
}

function printSyntaxErrors(rounds: SyntaxErrorRound[], verdicts: Verdicts): void {
  const shown = rounds.map((round) => round.error.reachedFramed);
  const closed = rounds.map((round) => round.fix.reachedFramed);
  console.log(`
3. syntax error saved → overlay shown with its code frame (same page), ${rounds.length} rounds, each fixed before the next`);
  console.log(`    save → overlay shown                     ${spread(shown)}   Vite 10.5 ms, ours ≤ 10 ms: ${verdict(verdicts, "syntax error → overlay", median(shown), 10)}`);
  console.log(`      (time the overlay's DOM was set, inside the frame callback that applied the rejection; painted with that frame)`);
  printSaveBreakdown(rounds.map((round) => round.error));
  printReportTimings(rounds.map((round) => round.error));
  console.log(`    save of the fix → overlay closed         ${spread(closed)}`);
}

function printRestarts(restarts: Restarts, verdicts: Verdicts): void {
  const loads = restarts.pageReloads;
  const live = restarts.restarts.map((timing) => timing.reachedStart);
  const ticks = restarts.resimulated;
  console.log(`
4. full page reload, and fast restart: a small game with a fiber suspended in its module, ${loads.length} rounds (page reload, ${TICKS_BEFORE_RESTART}+ ticks, save) after ${WARM_UP_RESTARTS} warm-up rounds`);
  console.log(`    page.reload() → first frame with a tick   ${spread(loads.map((load) => load.firstFrame))}   Vite 65.9 ms (no target of ours: the fast restart replaces it)`);
  printPageLoad(loads);
  console.log(`    save → first frame running the new code after a restart, a replay restart re-simulating ${median(ticks)} ticks (median; ${Math.min(...ticks)}–${Math.max(...ticks)})`);
  console.log(`                                             ${spread(live)}   Vite 65.9 ms (full page reload), ours: fast restart ≤ 60 ms: ${verdict(verdicts, "fast restart → first frame", median(live), 60)}`);
  printSaveBreakdown(restarts.restarts);
  printReportTimings(restarts.restarts);
}

function printPageLoad(loads: PageLoadTiming[]): void {
  const pick = (key: Exclude<keyof PageLoadTiming, "clock">) => loads.map((load) => load[key]);
  console.log(`      of which: → navigation began           ${spread(pick("navigation"))}   (the new document's time origin)`);
  console.log(`                → engine bundle downloaded   ${spread(pick("bundle"))}   (client.js)`);
  console.log(`                → start message arrived      ${spread(pick("started"))}   (bundle evaluated, Pixi renderer created, channel open)`);
  console.log(`      (${clockSummary(loads.map((load) => load.clock))})`);
}

function printColdStarts(cold: ColdStarts, verdicts: Verdicts): void {
  const starts = cold.starts;
  const total = starts.map((start) => start.url + start.load.firstFrame);
  console.log(`
5. cold start of the demo game: spawn \`node tools/bin/ribbon.mjs start demo-game --port 0\` → first frame with a tick in a new page of the running browser, ${starts.length} starts after 1 warm-up`);
  console.log(`    spawn → URL printed                      ${spread(starts.map((start) => start.url))}`);
  console.log(`      baselines: \`node -e 0\` spawn → exit  ${spread(cold.nodeStartup)}`);
  console.log(`                 \`ribbon run demo-game --ticks 1\` spawn → exit (CLI, compile, one headless tick) ${spread(cold.headlessRun)}`);
  console.log(`    URL printed → first frame with a tick    ${spread(starts.map((start) => start.load.firstFrame))}`);
  printPageLoad(starts.map((start) => start.load));
  console.log(`    spawn → first frame                      ${spread(total)}   Vite 292 ms, ours ≤ 1 s: ${verdict(verdicts, "cold start → first frame", median(total), 1000)}`);
}

/** The pass without rendering: what is left when SwiftShader's WebGL work no longer blocks the page's main thread. */
function printUnrendered(pass: CrowdPass): void {
  console.log(`
diagnostic, no target judged: the same crowd page with the renderer's render call replaced by a no-op (headless`);
  console.log(`Chromium here renders WebGL with SwiftShader on the CPU; that blocks the page's main thread between frames, so a`);
  console.log(`message that arrives then waits). ${DIAGNOSTIC_EDITS_PER_KIND} edits per kind, ${pass.syntaxErrors.length} syntax errors`);
  printIdleBaseline(pass.idle, "this page without rendering");
  for (const kind of ["constant", "migration"] as const) {
    const timings = pass.hot[kind];
    console.log(`  ${editLabel(kind)}`);
    console.log(`    save → reload message in the page, parsed ${spread(timings.map((timing) => timing.queued))}   (sent by the server: ${spread(timings.map((timing) => timing.sent))})`);
    console.log(`    save → first frame running the new code  ${spread(timings.map((timing) => timing.reachedStart))}`);
  }
  console.log(`  save of a syntax error → overlay shown     ${spread(pass.syntaxErrors.map((round) => round.error.reachedFramed))}`);
}

function printVerdicts(verdicts: Verdicts): void {
  const met = verdicts.filter((entry) => entry.met).map((entry) => entry.name);
  const missed = verdicts.filter((entry) => !entry.met).map((entry) => entry.name);
  console.log(`
targets met: ${met.length} of ${verdicts.length}${met.length > 0 ? `: ${met.join("; ")}` : ""}`);
  console.log(missed.length > 0 ? `targets MISSED: ${missed.join("; ")}` : "no target missed");
}

// ---------------------------------------------------------------- main

interface Results {
  crowd: CrowdResults;
  restarts: Restarts;
  cold: ColdStarts;
}

async function measureAll(browser: Browser): Promise<Results> {
  const crowd = await withBrowserGame(browser, crowdModule(0, false), measureCrowd);
  const restarts = await withBrowserGame(browser, fibersModule(0), measureRestarts);
  const cold = await measureColdStarts(browser, join(ROOT, "demo-game"));
  return { crowd, restarts, cold };
}

function printResults(results: Results): void {
  const verdicts: Verdicts = [];
  const rendered = results.crowd.rendered;
  printClock(results.crowd.clock);
  printIdleBaseline(rendered.idle, "the crowd page");
  printHotReloads(rendered.hot, verdicts);
  printSyntaxErrors(rendered.syntaxErrors, verdicts);
  printRestarts(results.restarts, verdicts);
  printColdStarts(results.cold, verdicts);
  printUnrendered(results.crowd.unrendered);
  printVerdicts(verdicts);
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    console.log(`browser reload: headless Chromium ${browser.version()} (playwright-core), node ${process.version}, load average at start ${loadAverage()}`);
    printResults(await measureAll(browser));
    console.log(`
load average at the end: ${loadAverage()}`);
  } finally {
    await browser.close().catch(() => {});
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench-browser-reload failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}

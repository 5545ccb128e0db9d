// `ribbon dev --headless GAME`: runs a game at a fixed 60 Hz in real time and hot-reloads it on
// every save. The game is a folder (its modules: the list in `manifest.json` if there is one,
// otherwise every `.rib` file in it) or a single `.rib` file. Saves are watched with chokidar
// (tools/cli/watch.ts); a settled change is applied between two ticks, never inside one. The
// compile and plan start while the save settles and are kept only if the settled files are the
// ones they read. `print` goes to stdout; one report line per reload (plus code frames) to stderr.
// `startDevLoop` is also what scripts/bench-reload.ts measures.

import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { SourceProvider } from "../../engine/compiler/compile.ts";
import { formatReportLine, type ReloadReport } from "../../engine/reload/report.ts";
import { startDevSession, type DevSession, type PreparedReload } from "../../engine/reload/session.ts";
import { formatRuntimeError } from "../../engine/runtime/format-error.ts";
import type { Host } from "../../engine/runtime/host.ts";
import { stepWorld, TICKS_PER_SECOND } from "../../engine/runtime/world.ts";
import { manifestProblem, readManifest } from "../../engine/server/game.ts";
import { readIfPresent, watchSources, type SourceChange, type SourceWatcher } from "./watch.ts";

const TICK_MS = 1000 / TICKS_PER_SECOND;
/** Further behind than this (a long compile, a paused process), the clock skips instead of racing. */
const MAX_CATCH_UP_MS = 5 * TICK_MS;
/** Quiet time after a file event before the reload is compiled ahead of the settle. */
const PREPARE_AHEAD_MS = 1;

export const DEV_USAGE = "usage: ribbon dev --headless GAME_DIR_OR_FILE [--ticks N] [--seed N]";

// ---------------------------------------------------------------- the game's files

/** Where a game's sources live and how its root modules are chosen. */
export interface GameLayout {
  /** Folder holding the modules: module `ai/boss` is `<root>/ai/boss.rib`. */
  root: string;
  /** The module when the game is a single file; null for a folder. */
  singleModule: string | null;
}

export function gameLayout(path: string): GameLayout {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`${path} does not exist`);
  if (statSync(absolute).isDirectory()) return { root: absolute, singleModule: null };
  if (!absolute.endsWith(".rib")) throw new Error(`${path} is neither a folder nor a .rib file`);
  return { root: dirname(absolute), singleModule: basename(absolute).slice(0, -".rib".length) };
}

/** `<root>/ai/boss.rib` → `ai/boss`. */
export function moduleNameOf(root: string, path: string): string {
  return relative(root, path).slice(0, -".rib".length).split(sep).join("/");
}

function manifestOf(layout: GameLayout, sources: ReadonlyMap<string, string>): ReturnType<typeof readManifest> | null {
  if (layout.singleModule) return null;
  const text = sources.get(join(layout.root, "manifest.json"));
  return text === undefined ? null : readManifest(layout.root, text);
}

/**
 * The root modules, in update order: the single file; else `manifest.json`'s `modules`; else
 * every `.rib` file of the folder, sorted by path. Throws when the manifest is invalid.
 */
export function rootModules(layout: GameLayout, sources: ReadonlyMap<string, string>): string[] {
  if (layout.singleModule) return [layout.singleModule];
  const manifest = manifestOf(layout, sources);
  if (manifest && !manifest.ok) throw new Error(manifestProblem(manifest));
  if (manifest?.ok) return manifest.manifest.modules;
  return [...sources.keys()]
    .filter((path) => path.endsWith(".rib"))
    .map((path) => moduleNameOf(layout.root, path))
    .sort();
}

/** Relative to the working folder when inside it, else absolute: what diagnostics and status lines show. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" ? "." : shown.startsWith("..") ? path : shown;
}

// ---------------------------------------------------------------- compiling ahead

/**
 * The compiler's view of the game's files, and the reload prepared ahead. The provider normally
 * serves the watcher's settled texts, so a reload never compiles a half-written file. While a
 * save settles, the reload is compiled and planned from the disk as it is, remembering what was
 * read; at the settle it is used only if the settled texts (and roots) are exactly those.
 */
interface GameSources {
  provider: SourceProvider;
  /** A source file was touched: prepare the reload again shortly. */
  prepareSoon(session: DevSession): void;
  /** The reload for the settled sources: the one prepared ahead if it still matches, else a new one. */
  takePrepared(session: DevSession): PreparedReload;
  cancel(): void;
}

interface PreparedAhead {
  prepared: PreparedReload;
  read: Map<string, string | null>;
  roots: string;
}

function gameSources(root: string, watcher: SourceWatcher, roots: readonly string[]): GameSources {
  const settledText = (path: string) => watcher.sources.get(path) ?? readIfPresent(path);
  let read: (path: string) => string | null = settledText;
  let reading: Map<string, string | null> | null = null;
  /** Prepared while the current save settles. */
  let ahead: PreparedAhead | null = null;
  /** What the last reload was prepared from: the disk matching it means there is nothing new. */
  let taken: PreparedAhead | null = null;
  let timer: NodeJS.Timeout | null = null;
  const provider: SourceProvider = (moduleName) => {
    const path = join(root, `${moduleName}.rib`);
    const text = read(path);
    reading?.set(path, text);
    return text === null ? null : { path: displayPath(path), text };
  };
  const prepareRecorded = (session: DevSession, from: (path: string) => string | null): PreparedAhead => {
    read = from;
    reading = new Map();
    try {
      return { prepared: session.prepare(), read: reading, roots: roots.join("\n") };
    } finally {
      read = settledText;
      reading = null;
    }
  };
  /** Whether the files, read with `current`, are still those `candidate` was compiled from. */
  const matches = (candidate: PreparedAhead | null, current: (path: string) => string | null) =>
    candidate !== null && candidate.roots === roots.join("\n") && [...candidate.read].every(([path, text]) => current(path) === text);
  const prepareAhead = (session: DevSession) => {
    timer = null;
    if (matches(ahead, readIfPresent) || matches(taken, readIfPresent)) return;
    ahead = prepareRecorded(session, readIfPresent);
  };
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    ahead = null;
  };
  return {
    provider,
    prepareSoon(session) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => prepareAhead(session), PREPARE_AHEAD_MS);
    },
    takePrepared(session) {
      const usable = matches(ahead, settledText) ? ahead : null;
      cancel();
      taken = usable ?? prepareRecorded(session, settledText);
      return taken.prepared;
    },
    cancel,
  };
}

// ---------------------------------------------------------------- the 60 Hz clock

interface TickClock {
  readonly ticksRun: number;
  /** Starts ticking; the first tick is due now. */
  start(): void;
  /** Runs the next tick now and counts the 60 Hz period from it (after a reload). */
  tickNow(): void;
  stop(): void;
}

/** Real-time fixed ticks; `onLimit` is called once `limit` ticks have run (null: never). */
function createTickClock(step: () => void, limit: number | null, onLimit: () => void): TickClock {
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  let running = false;
  let nextTickAt = 0;
  let ticksRun = 0;
  const cancel = () => {
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
    timer = null;
  };
  const schedule = () => {
    const delay = nextTickAt - performance.now();
    timer = delay <= 0 ? setImmediate(fire) : setTimeout(fire, delay);
  };
  const fire = () => {
    timer = null;
    if (!running) return;
    const now = performance.now();
    if (now >= nextTickAt) {
      step();
      ticksRun++;
      nextTickAt = now - nextTickAt > MAX_CATCH_UP_MS ? now + TICK_MS : nextTickAt + TICK_MS;
      if (limit !== null && ticksRun >= limit) {
        running = false;
        onLimit();
        return;
      }
    }
    schedule();
  };
  return {
    get ticksRun() {
      return ticksRun;
    },
    start() {
      if (running) return;
      running = true;
      nextTickAt = performance.now();
      schedule();
    },
    tickNow() {
      if (!running) return;
      cancel();
      nextTickAt = performance.now();
      fire();
    },
    stop() {
      running = false;
      cancel();
    },
  };
}

// ---------------------------------------------------------------- the loop

export interface DevOutput {
  /** A line the game printed (stdout in the CLI). */
  log(line: string): void;
  /** Reports, diagnostics and status lines (stderr in the CLI); may hold several lines. */
  status(text: string): void;
}

export interface DevLoopOptions {
  /** A game folder or a single `.rib` file. */
  path: string;
  output: DevOutput;
  /** Stop after this many ticks (tests); null or absent runs until stopped. */
  ticks?: number | null;
  /** World seed; default: the manifest's `seed`, else 1. */
  seed?: number | null;
  /** Quiet time that ends a burst of file events (default 10 ms). */
  debounceMs?: number;
  /**
   * After a reload, run the next tick at once and count the 60 Hz period from there (default).
   * A headless game has no display to stay in phase with, so the change is live a frame sooner.
   * With false, the next tick keeps the old phase (up to one frame later).
   */
  rephaseAfterReload?: boolean;
  /** Told about every report after it is printed (benchmarks, tests). */
  onReport?: (report: ReloadReport) => void;
}

export interface DevLoop {
  /** Null until the game compiles. */
  readonly session: DevSession | null;
  readonly ticksRun: number;
  /** Resolves with the exit code once the loop stopped (tick limit or `stop`). */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

export async function startDevLoop(options: DevLoopOptions): Promise<DevLoop> {
  const layout = gameLayout(options.path);
  const output = options.output;
  /** Kept by the session's options: refreshed in place, so each reload compiles the current list. */
  const roots: string[] = [];
  let session: DevSession | null = null;
  let lastReloadRejected = false;
  let stopped = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolveDone) => (finish = resolveDone));

  const watcher = await watchSources(layout.root, {
    debounceMs: options.debounceMs,
    onActivity: () => {
      if (session && !stopped) sources.prepareSoon(session);
    },
    onSettled: (changes) => onSettled(changes),
    onError: (error) => output.status(`[dev] watcher: ${error instanceof Error ? error.message : String(error)}`),
  });
  const sources = gameSources(layout.root, watcher, roots);
  const clock = createTickClock(() => stepWorld(session!.world), options.ticks ?? null, () => void stop());
  const host: Host = {
    log: (line) => output.log(line),
    runtimeError: (error) => output.status(formatRuntimeError(error, session?.running.modules ?? [])),
  };

  const refreshRoots = (): boolean => {
    try {
      roots.splice(0, roots.length, ...rootModules(layout, watcher.sources));
      return true;
    } catch (error) {
      output.status(`[dev] ${(error as Error).message}`);
      return false;
    }
  };

  const tryStart = (): boolean => {
    const manifest = manifestOf(layout, watcher.sources);
    const seed = options.seed ?? (manifest?.ok ? manifest.manifest.seed : 1);
    const started = startDevSession({
      roots,
      // Read at every compile: the manifest may change while the session runs.
      get rootsFile() {
        const current = manifestOf(layout, watcher.sources);
        return current?.ok ? current.manifest.file : undefined;
      },
      provider: sources.provider,
      host,
      seed,
      now: () => performance.now(),
      onReport: (report) => {
        output.status(report.details ? `${formatReportLine(report)}\n${report.details}` : formatReportLine(report));
        options.onReport?.(report);
      },
    });
    if (!started.ok) {
      output.status(`${started.diagnostics}\n[dev] the game starts once it compiles: fix the error and save`);
      return false;
    }
    session = started.session;
    clock.start();
    return true;
  };

  /** A settled burst of saves: at most one reload, between two ticks. */
  const onSettled = (changes: SourceChange[]) => {
    if (stopped) return;
    for (const change of changes) {
      if (change.kind === "removed") output.status(`[dev] ${displayPath(change.path)} was removed`);
    }
    const rootsBefore = roots.join("\n");
    if (!refreshRoots()) return;
    if (!session) {
      if (roots.length > 0 && tryStart()) output.status(`[dev] started: ${roots.join(", ")}`);
      return;
    }
    const running = session;
    const relevant = lastReloadRejected || roots.join("\n") !== rootsBefore || changes.some((change) => touchesProgram(layout, running, change));
    if (!relevant) return;
    const report = running.apply(sources.takePrepared(running));
    lastReloadRejected = report.outcome === "rejected";
    if (report.outcome !== "rejected" && options.rephaseAfterReload !== false) clock.tickNow();
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clock.stop();
    sources.cancel();
    await watcher.close();
    finish(0);
  };

  if (refreshRoots()) {
    if (roots.length === 0) output.status(`[dev] no .rib module in ${displayPath(layout.root)} yet: add one and save`);
    else tryStart();
  }
  const modules = countModules(layout, watcher, session);
  output.status(`[dev] watching ${modules} module${modules === 1 ? "" : "s"} in ${displayPath(layout.root)} at ${TICKS_PER_SECOND} Hz (${session ? "running" : "waiting for a fix"}; Ctrl-C stops)`);

  return {
    get session() {
      return session;
    },
    get ticksRun() {
      return clock.ticksRun;
    },
    done,
    stop,
  };
}

/** The game's own modules in the running program; before it compiles, the `.rib` files found. */
function countModules(layout: GameLayout, watcher: SourceWatcher, session: DevSession | null): number {
  if (session) return session.running.modules.filter((module) => watcher.sources.has(join(layout.root, `${module.name}.rib`))).length;
  return [...watcher.sources.keys()].filter((path) => path.endsWith(".rib")).length;
}

/** Whether a changed file is part of the running program (the manifest always is). */
function touchesProgram(layout: GameLayout, session: DevSession, change: SourceChange): boolean {
  if (!change.path.endsWith(".rib")) return true;
  const name = moduleNameOf(layout.root, change.path);
  return session.running.modules.some((module) => module.name === name);
}

// ---------------------------------------------------------------- the command

interface DevArguments {
  path: string;
  ticks: number | null;
  seed: number | null;
}

function parseDevArguments(args: string[]): DevArguments | string {
  if (!args.includes("--headless")) return "ribbon dev: only --headless is available so far (the browser: ribbon start)";
  let path: string | null = null;
  let ticks: number | null = null;
  let seed: number | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--headless") continue;
    if (arg === "--ticks" || arg === "--seed") {
      const value = Number(args[++index]);
      if (!Number.isInteger(value) || value < 0) return `${arg} needs a whole number, got ${args[index]}`;
      if (arg === "--ticks") ticks = value;
      else seed = value;
    } else if (arg.startsWith("--")) return `ribbon dev: unknown option ${arg}`;
    else if (path === null) path = arg;
    else return `ribbon dev: one game at a time (got ${path} and ${arg})`;
  }
  return path === null ? "ribbon dev: which game? give a folder or a .rib file" : { path, ticks, seed };
}

export async function runDev(args: string[]): Promise<number> {
  const parsed = parseDevArguments(args);
  if (typeof parsed === "string") {
    process.stderr.write(`${parsed}\n${DEV_USAGE}\n`);
    return 1;
  }
  let loop: DevLoop;
  try {
    loop = await startDevLoop({
      ...parsed,
      output: {
        log: (line) => process.stdout.write(`${line}\n`),
        status: (text) => process.stderr.write(`${text}\n`),
      },
    });
  } catch (error) {
    process.stderr.write(`ribbon dev: ${(error as Error).message}\n`);
    return 1;
  }
  const interrupt = () => void loop.stop();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const code = await loop.done;
  process.off("SIGINT", interrupt);
  process.off("SIGTERM", interrupt);
  process.stderr.write(`[dev] stopped after ${loop.ticksRun} ticks\n`);
  return code;
}

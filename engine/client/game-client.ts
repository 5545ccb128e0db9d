// The page's game without the DOM: the world, the fixed-tick loop, and the live-update channel's
// page half. Messages from the server are queued and handled at the next frame boundary (never
// inside a tick; only the errors of a rejected reload are shown on arrival); each reload's report
// goes back through the injected `send`. Tests drive it in
// Node with a fake transport; engine/client/main.ts wires it to a WebSocket, Pixi and the DOM.
//
// Every session is recorded (engine/replay/recorder.ts): each tick's input, each reload with the
// sources it compiled, rollbacks, hashes and checkpoints, so `recording()` can be saved and
// replayed in Node. A `restarted` reload becomes a replay restart, re-simulated in chunks across
// frames (resimulation.ts) before normal ticking resumes. The timeline (timeline.ts) scrubs a
// paused game through its recent past.

import { applyReload } from "../reload/apply.ts";
import type { ReloadPackage } from "../reload/plan-types.ts";
import type { ReloadReport } from "../reload/report.ts";
import type { Recording } from "../replay/format.ts";
import { createRecorder, type Recorder } from "../replay/recorder.ts";
import { describeResimulation } from "../replay/restart.ts";
import { sourcesOf, type SourceSet } from "../replay/sources.ts";
import type { RibbonRuntimeError } from "../runtime/errors.ts";
import type { DrawCommand, Host, InputFrame } from "../runtime/host.ts";
import { createFactoryCache, type FactoryCache } from "../runtime/load.ts";
import { createWorld, startWorld, stepWorld, type World } from "../runtime/world.ts";
import { formatRuntimeError } from "../runtime/format-error.ts";
import type { ClientMessage, GameInfo, ServerMessage } from "./protocol.ts";
import { unreachable } from "./protocol.ts";
import { PROGRESS_AFTER_FRAMES, RESIMULATION_BUDGET_MS, startResimulation, type ChunkedResimulation } from "./resimulation.ts";
import { createClock, interpolationAlpha, ticksDue, type Clock } from "./time.ts";
import { createTimeline, type ScrubResult, type Timeline, type TimelineOptions } from "./timeline.ts";

/** What the game tells the screen (overlay, toasts, textures); all optional in tests. */
export interface ClientUi {
  /** Errors to show in the overlay, or null to close it. */
  showErrors(errors: { reason: string; details: string } | null): void;
  toast(report: ReloadReport): void;
  log(line: string): void;
  runtimeError(message: string): void;
  /** A texture file changed: fetch it and swap it in at a frame boundary. */
  textureChanged(name: string, url: string): void;
  textureError(name: string, reason: string): void;
  /** A new world started (first start, or after the game compiled again from nothing). */
  started(game: GameInfo): void;
  /** Replay restart progress once it takes more than a few frames; null hides it. */
  progress(progress: Progress | null): void;
}

export interface Progress {
  done: number;
  total: number;
}

export interface GameClientOptions {
  send(message: ClientMessage): void;
  ui: Partial<ClientUi>;
  /** Milliseconds for report timings and tick cost; performance.now in the page. */
  now(): number;
  probationTicks?: number;
  /** Milliseconds of replay-restart re-simulation per frame (default 8). */
  resimulationBudgetMs?: number;
  /** The recording's free-form `meta` (who recorded it). */
  recordingMeta?: Record<string, string>;
  /** Snapshot spacing and reach of the timeline (default: every 60 ticks, the last 600). */
  timeline?: Pick<TimelineOptions, "every" | "keep">;
}

export interface ClientStats {
  /** Cost of the last tick, smoothed (ms). */
  tickMs: number;
  reloads: number;
  lastReport: ReloadReport | null;
}

export interface FrameResult {
  ticks: number;
  /** Interpolation between `previousDraw` and `draw`, 0..1. */
  alpha: number;
}

export interface GameClient {
  readonly world: World | null;
  readonly game: GameInfo | null;
  readonly clock: Clock;
  readonly stats: ClientStats;
  /** The draw list of the tick before the last one, for interpolation. */
  readonly previousDraw: readonly DrawCommand[];
  /** Queues a server message; it takes effect at the next `frame`. */
  receive(message: ServerMessage): void;
  /**
   * One animation frame: a replay restart in progress goes on first (nothing else happens until it
   * is done), then pending messages (the frame boundary), then the ticks that are due.
   */
  frame(elapsedMs: number, input: () => InputFrame): FrameResult;
  /** The session's recorder (null before the first start). */
  readonly recorder: Recorder | null;
  readonly timeline: Timeline | null;
  /** The replay restart in progress, if any. */
  readonly resimulating: Progress | null;
  /** The session so far as a replay file's contents (recording goes on); null before the first start or during a replay restart. */
  recording(): Recording | null;
  /** Moves the world to session tick `tick` of the recent past and pauses the game (timeline.ts). */
  scrub(tick: number): ScrubResult;
}

/** The recording half of a running game: recreated with each world. */
interface Session {
  recorder: Recorder;
  timeline: Timeline;
  /** The manifest's modules, the roots every compile of this game starts from. */
  roots: string[];
}

/** A replay restart spread over frames; the reload is reported when it is done. */
interface PendingRestart {
  run: ChunkedResimulation;
  id: number;
  report: ReloadReport;
  sources: SourceSet;
  shown: boolean;
}

interface ClientState {
  options: GameClientOptions;
  world: World | null;
  game: GameInfo | null;
  clock: Clock;
  stats: ClientStats;
  pending: ServerMessage[];
  previousDraw: DrawCommand[];
  session: Session | null;
  restart: PendingRestart | null;
  /** One per page: a world started again (a new game from the server) reuses warm code. */
  factories: FactoryCache;
}

export function createGameClient(options: GameClientOptions): GameClient {
  const state: ClientState = {
    options,
    world: null,
    game: null,
    clock: createClock(),
    stats: { tickMs: 0, reloads: 0, lastReport: null },
    pending: [],
    previousDraw: [],
    session: null,
    restart: null,
    factories: createFactoryCache(),
  };
  return {
    get world() {
      return state.world;
    },
    get game() {
      return state.game;
    },
    clock: state.clock,
    stats: state.stats,
    get previousDraw() {
      return state.previousDraw;
    },
    receive: (message) => receive(state, message),
    frame: (elapsedMs, input) => frame(state, elapsedMs, input),
    get recorder() {
      return state.session?.recorder ?? null;
    },
    get timeline() {
      return state.session?.timeline ?? null;
    },
    get resimulating() {
      return state.restart ? { done: state.restart.run.done, total: state.restart.run.total } : null;
    },
    recording: () => (state.restart ? null : (state.session?.recorder.finish() ?? null)),
    scrub: (tick) => scrub(state, tick),
  };
}

/**
 * Queues a message for the next frame boundary. Errors it brings are shown at once: a rejected
 * reload's diagnostics, or a server waiting for sources that compile, change nothing in the world,
 * so the overlay need not wait for the frame, a replay restart still under way or a paused clock.
 * The rejection itself is still applied (recorded, reported) at the boundary.
 */
function receive(state: ClientState, message: ServerMessage): void {
  state.pending.push(message);
  const errors = message.kind === "waiting" ? message : message.kind === "reload" ? message.pkg.rejection : null;
  if (errors) state.options.ui.showErrors?.({ reason: errors.reason, details: errors.details });
}

function frame(state: ClientState, elapsedMs: number, input: () => InputFrame): FrameResult {
  const idle: FrameResult = { ticks: 0, alpha: 1 };
  if (state.restart && !continueRestart(state)) return idle;
  while (state.pending.length > 0 && !state.restart) handle(state, state.pending.shift()!);
  const world = state.world;
  if (!world || state.restart) return idle;
  const ticks = ticksDue(state.clock, elapsedMs);
  for (let index = 0; index < ticks; index++) runTick(state, world, input());
  return { ticks, alpha: interpolationAlpha(state.clock) };
}

/** One live tick: leaves the past if scrubbed back, then the timeline and recorder see the boundary. */
function runTick(state: ClientState, world: World, input: InputFrame): void {
  const started = state.options.now();
  const session = state.session;
  if (session) {
    session.timeline.commit();
    session.timeline.boundary();
    session.recorder.recordTick(input);
  }
  state.previousDraw = world.draw;
  stepWorld(world, input);
  const cost = state.options.now() - started;
  state.stats.tickMs = state.stats.tickMs === 0 ? cost : state.stats.tickMs * 0.9 + cost * 0.1;
}

function scrub(state: ClientState, tick: number): ScrubResult {
  if (!state.session) return { kind: "unavailable", reason: "the game has not started" };
  if (state.restart) return { kind: "unavailable", reason: "a replay restart is in progress" };
  const result = state.session.timeline.scrub(tick);
  if (result.kind !== "moved") return result;
  // Paused in the same turn, so no live tick truncates the future before the player resumes.
  state.clock.paused = true;
  state.clock.steps = 0;
  state.previousDraw = state.world?.draw ?? [];
  return result;
}

function handle(state: ClientState, message: ServerMessage): void {
  const ui = state.options.ui;
  switch (message.kind) {
    case "start":
      start(state, message);
      return;
    case "waiting":
      ui.showErrors?.({ reason: message.reason, details: message.details });
      return;
    case "reload":
      reload(state, message.id, message.pkg);
      return;
    case "texture":
      ui.textureChanged?.(message.name, message.url);
      return;
    case "texture-error":
      ui.textureError?.(message.name, message.reason);
      return;
    default:
      unreachable(message);
  }
}

function start(state: ClientState, message: Extract<ServerMessage, { kind: "start" }>): void {
  const world = createWorld(message.modules, hostFor(state), { seed: message.game.seed, factories: state.factories });
  for (const instance of world.modules) instance.version = message.versions[instance.name] ?? instance.version;
  startWorld(world);
  state.world = world;
  state.game = message.game;
  state.session = startSession(state, world, message);
  state.previousDraw = [];
  state.clock.accumulator = 0;
  state.options.ui.showErrors?.(null);
  state.options.ui.started?.(message.game);
}

/** A fresh recorder and timeline for a world that just started. */
function startSession(state: ClientState, world: World, message: Extract<ServerMessage, { kind: "start" }>): Session {
  const { options } = state;
  const roots = [...message.game.roots];
  const recorder = createRecorder({ world, roots, sources: sourcesOf(message.modules), probationTicks: options.probationTicks, meta: options.recordingMeta });
  const timeline = createTimeline({ ...options.timeline, world, recorder });
  return { recorder, timeline, roots };
}

function reload(state: ClientState, id: number, pkg: ReloadPackage): void {
  const { options } = state;
  const world = state.world;
  const session = state.session;
  if (!world || !session) return;
  // A reload is live: applied where the world is, so a scrubbed-back timeline leaves the past here.
  session.timeline.commit();
  const report = applyReload(world, pkg, {
    probationTicks: options.probationTicks,
    now: options.now,
    onRollback: (rolledBack) => {
      session.recorder.recordRollback(rolledBack);
      session.timeline.clear();
      options.send({ kind: "rollback", id, report: rolledBack });
      options.ui.toast?.(rolledBack);
    },
  });
  const sources = sourcesOf(pkg.modules);
  // The timeline never reaches back across a reload (even a rejected one: the recording could
  // not be truncated to before it).
  session.timeline.clear();
  if (report.outcome === "restarted") {
    // Replay restart: the world is at its start with the new code; the session's input takes it
    // back to the current tick before anything else happens (continueRestart).
    state.restart = { run: startResimulation(world, session.recorder.input, session.recorder.ticks), id, report, sources, shown: false };
    continueRestart(state);
    return;
  }
  finishReload(state, id, report, sources, 0);
}

/** Runs this frame's share of a replay restart; true when it is done (and the reload reported). */
function continueRestart(state: ClientState): boolean {
  const restart = state.restart;
  if (!restart) return true;
  const ui = state.options.ui;
  const finished = restart.run.advance(state.options.resimulationBudgetMs ?? RESIMULATION_BUDGET_MS, state.options.now);
  if (!finished) {
    if (restart.run.frames >= PROGRESS_AFTER_FRAMES) {
      restart.shown = true;
      ui.progress?.({ done: restart.run.done, total: restart.run.total });
    }
    return false;
  }
  state.restart = null;
  if (restart.shown) ui.progress?.(null);
  const result = restart.run.finish();
  restart.report.reason = `${restart.report.reason}; ${describeResimulation(result)}`;
  state.previousDraw = state.world?.draw ?? [];
  state.clock.accumulator = 0;
  finishReload(state, restart.id, restart.report, restart.sources, result.ticks);
  return true;
}

/** Records the applied reload and tells the server and the screen. */
function finishReload(state: ClientState, id: number, report: ReloadReport, sources: SourceSet, resimulated: number): void {
  const { options } = state;
  const session = state.session;
  if (session) session.recorder.recordReload(sources, session.roots, report, resimulated);
  state.stats.reloads++;
  state.stats.lastReport = report;
  options.send({ kind: "report", id, report });
  options.ui.showErrors?.(report.outcome === "rejected" ? { reason: report.reason, details: report.details } : null);
  options.ui.toast?.(report);
}

function hostFor(state: ClientState): Host {
  return {
    log: (line) => {
      state.options.send({ kind: "log", line });
      state.options.ui.log?.(line);
    },
    runtimeError: (error: RibbonRuntimeError) => {
      const text = formatRuntimeError(error, state.world?.modules.map((instance) => instance.compiled) ?? []);
      state.options.send({ kind: "runtime-error", message: text });
      state.options.ui.runtimeError?.(text);
    },
  };
}

// The page's game without the DOM: the world, the fixed-tick loop, and the live-update channel's
// page half. Messages from the server are queued and handled at the next frame boundary (never
// inside a tick); each reload's report goes back through the injected `send`. Tests drive it in
// Node with a fake transport; engine/client/main.ts wires it to a WebSocket, Pixi and the DOM.

import { applyReload } from "../reload/apply.ts";
import type { ReloadReport } from "../reload/report.ts";
import type { RibbonRuntimeError } from "../runtime/errors.ts";
import type { DrawCommand, Host, InputFrame } from "../runtime/host.ts";
import { createWorld, startWorld, stepWorld, type World } from "../runtime/world.ts";
import type { ClientMessage, GameInfo, ServerMessage } from "./protocol.ts";
import { unreachable } from "./protocol.ts";
import { createClock, interpolationAlpha, ticksDue, type Clock } from "./time.ts";

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
}

export interface GameClientOptions {
  send(message: ClientMessage): void;
  ui: Partial<ClientUi>;
  /** Milliseconds for report timings and tick cost; performance.now in the page. */
  now(): number;
  probationTicks?: number;
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
  /** One animation frame: pending messages first (the frame boundary), then the ticks that are due. */
  frame(elapsedMs: number, input: () => InputFrame): FrameResult;
}

interface ClientState {
  options: GameClientOptions;
  world: World | null;
  game: GameInfo | null;
  clock: Clock;
  stats: ClientStats;
  pending: ServerMessage[];
  previousDraw: DrawCommand[];
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
    receive: (message) => void state.pending.push(message),
    frame: (elapsedMs, input) => frame(state, elapsedMs, input),
  };
}

function frame(state: ClientState, elapsedMs: number, input: () => InputFrame): FrameResult {
  const messages = state.pending.splice(0, state.pending.length);
  for (const message of messages) handle(state, message);
  const world = state.world;
  if (!world) return { ticks: 0, alpha: 1 };
  const ticks = ticksDue(state.clock, elapsedMs);
  for (let index = 0; index < ticks; index++) runTick(state, world, input());
  return { ticks, alpha: interpolationAlpha(state.clock) };
}

function runTick(state: ClientState, world: World, input: InputFrame): void {
  const started = state.options.now();
  state.previousDraw = world.draw;
  stepWorld(world, input);
  const cost = state.options.now() - started;
  state.stats.tickMs = state.stats.tickMs === 0 ? cost : state.stats.tickMs * 0.9 + cost * 0.1;
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
  const world = createWorld(message.modules, hostFor(state), { seed: message.game.seed });
  for (const instance of world.modules) instance.version = message.versions[instance.name] ?? instance.version;
  startWorld(world);
  state.world = world;
  state.game = message.game;
  state.previousDraw = [];
  state.clock.accumulator = 0;
  state.options.ui.showErrors?.(null);
  state.options.ui.started?.(message.game);
}

function reload(state: ClientState, id: number, pkg: Extract<ServerMessage, { kind: "reload" }>["pkg"]): void {
  const { options } = state;
  const world = state.world;
  if (!world) return;
  const report = applyReload(world, pkg, {
    probationTicks: options.probationTicks,
    now: options.now,
    onRollback: (rolledBack) => {
      options.send({ kind: "rollback", id, report: rolledBack });
      options.ui.toast?.(rolledBack);
    },
  });
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
      state.options.send({ kind: "runtime-error", message: error.message });
      state.options.ui.runtimeError?.(error.message);
    },
  };
}

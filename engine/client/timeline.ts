// The page's timeline (issue #6 item 6): world images every TIMELINE_EVERY session ticks for the
// last TIMELINE_KEEP ticks (~10 s) in a bounded buffer, so a paused game can be scrubbed back and
// forth through its recent past.
//
// Behaviour:
// - Positions are session ticks (the recorder's tick count, as in recordings), not the world's
//   own clock, which a rollback or restart puts back.
// - Scrubbing to tick T restores the newest snapshot at or before T (replay/image.ts) and
//   re-simulates the recorded input from there to exactly T; scrubbing forward, up to the newest
//   tick the session reached (the head), re-simulates the recorded input from where the world is.
//   Re-simulation is silent: no print output, runtime errors are not reported a second time.
//   Nothing is recorded while scrubbing. Before the world first leaves the head, the head's hash
//   and checkpoint are written to the recording, so a download while scrubbed back still ends at
//   the head with the head's true hash.
// - Resuming from a past tick (unpausing, a single step, or a reload arriving) truncates the
//   future: the recording's input, hashes and checkpoints after that tick, and the snapshots
//   after it, are dropped, and recording continues from there with live input (`commit`).
// - The timeline never reaches back across a reload, a probation rollback or a restart: those
//   clear it (`clear`), since the page only holds the code that runs now. Snapshots that cannot be
//   restored (a reload on probation, a fiber waiting where its stack cannot be saved: see
//   runtime/fiber-stacks.ts) are not kept.

import { loadImage, snapshotImage, whyNotRestorable, type ImageSnapshot } from "../replay/image.ts";
import type { InputLog } from "../replay/input.ts";
import type { Recorder } from "../replay/recorder.ts";
import type { DrawCommand, Host } from "../runtime/host.ts";
import { stepWorld, type World } from "../runtime/world.ts";

export const TIMELINE_EVERY = 60;
export const TIMELINE_KEEP = 600;

export interface TimelineOptions {
  world: World;
  recorder: Recorder;
  /** A snapshot every this many session ticks (default 60). */
  every?: number;
  /** Snapshots older than this many ticks before the head are dropped (default 600). */
  keep?: number;
}

export type ScrubResult = { kind: "moved"; tick: number } | { kind: "unavailable"; reason: string };

export interface Timeline {
  /** Session tick the world is at now. */
  readonly position: number;
  /** Newest session tick reached (the recorder's tick count). */
  readonly head: number;
  /** Ticks the world can be scrubbed to, or null when there is no restorable snapshot yet. */
  range(): { from: number; to: number } | null;
  /** Live boundary (before the recorder's recordTick): keeps a snapshot when one is due. */
  boundary(): void;
  /** Moves the world to session tick `tick` (clamped to the range). */
  scrub(tick: number): ScrubResult;
  /** The world is about to change live: if scrubbed back, the future is dropped. True if it was. */
  commit(): boolean;
  /** Forgets every snapshot (after a reload, rollback or restart). */
  clear(): void;
}

interface Snapshot {
  tick: number;
  image: ImageSnapshot;
  /** The draw list the world showed at this boundary (the last tick's). */
  draw: DrawCommand[];
}

interface TimelineState {
  world: World;
  recorder: Recorder;
  every: number;
  keep: number;
  /** Oldest first; never more than keep / every + 1. */
  snapshots: Snapshot[];
  /** The session tick the world shows when scrubbed back; null at the head. */
  past: number | null;
}

export function createTimeline(options: TimelineOptions): Timeline {
  const state: TimelineState = {
    world: options.world,
    recorder: options.recorder,
    every: Math.max(1, options.every ?? TIMELINE_EVERY),
    keep: options.keep ?? TIMELINE_KEEP,
    snapshots: [],
    past: null,
  };
  return {
    get position() {
      return state.past ?? state.recorder.ticks;
    },
    get head() {
      return state.recorder.ticks;
    },
    range: () => range(state),
    boundary: () => boundary(state),
    scrub: (tick) => scrub(state, tick),
    commit: () => commit(state),
    clear() {
      state.snapshots = [];
    },
  };
}

function range(state: TimelineState): { from: number; to: number } | null {
  const oldest = state.snapshots[0];
  return oldest ? { from: oldest.tick, to: state.recorder.ticks } : null;
}

function boundary(state: TimelineState): void {
  const tick = state.recorder.ticks;
  const snapshots = state.snapshots;
  if (state.past !== null || tick % state.every !== 0 || snapshots[snapshots.length - 1]?.tick === tick) return;
  const image = snapshotImage(state.world);
  if (whyNotRestorable(image) !== null) return;
  snapshots.push({ tick, image, draw: state.world.draw });
  while (snapshots.length > 0 && snapshots[0].tick < tick - state.keep) snapshots.shift();
}

function scrub(state: TimelineState, wanted: number): ScrubResult {
  const span = range(state);
  if (!span) return { kind: "unavailable", reason: "no snapshot to go back to yet (the timeline starts after a reload, and skips moments when a fiber waits where it cannot be saved)" };
  const tick = Math.min(span.to, Math.max(span.from, Math.round(wanted)));
  const position = state.past ?? span.to;
  if (tick === position) return { kind: "moved", tick };
  // Pin the head's hash and checkpoint while the world still shows it.
  if (state.past === null) state.recorder.boundary(true);
  if (tick > position) {
    stepSilently(state.world, state.recorder.input, position, tick);
  } else {
    const failure = restoreBefore(state, tick);
    if (failure) return { kind: "unavailable", reason: failure };
  }
  state.past = tick === span.to ? null : tick;
  return { kind: "moved", tick };
}

/** Restores the newest snapshot at or before `tick` and re-simulates up to it; null or why not. */
function restoreBefore(state: TimelineState, tick: number): string | null {
  const snapshot = [...state.snapshots].reverse().find((candidate) => candidate.tick <= tick);
  if (!snapshot) return `no snapshot at or before tick ${tick}`;
  const failure = loadImage(state.world, snapshot.image.encode());
  if (failure) return failure;
  state.world.draw = snapshot.draw;
  stepSilently(state.world, state.recorder.input, snapshot.tick, tick);
  return null;
}

/** Steps session ticks [from, to) with their recorded input, with print output and errors muted. */
function stepSilently(world: World, input: InputLog, from: number, to: number): void {
  const host = world.host;
  const silent: Host = { log: () => {}, runtimeError: () => {} };
  world.host = silent;
  try {
    for (let tick = from; tick < to; tick++) stepWorld(world, input.at(tick));
  } finally {
    world.host = host;
  }
}

function commit(state: TimelineState): boolean {
  const past = state.past;
  if (past === null) return false;
  state.recorder.truncate(past);
  state.snapshots = state.snapshots.filter((snapshot) => snapshot.tick <= past);
  state.past = null;
  return true;
}

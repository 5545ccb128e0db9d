// Time controls and the fixed-tick accumulator: pause, single-step, slow motion and fast forward
// scale how much wall time feeds the 60 Hz simulation; the simulation itself never reads a clock.

import { TICKS_PER_SECOND } from "../runtime/world.ts";

export const TICK_MS = 1000 / TICKS_PER_SECOND;
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];
/** More ticks than this in one animation frame (a stalled tab) are dropped, not raced through. */
const MAX_TICKS_PER_FRAME = 8;
/**
 * A frame this close to a whole number of ticks counts as exactly that many (vsync snapping). A
 * 60 Hz display's frames are a hair shorter than a tick (16.6 ms against 16.67) and jitter around
 * it; unsnapped, a frame would now and then run no tick and the next one two, and the first frame
 * after the accumulator restarts (a replay restart, a resume) would show nothing new.
 */
const SNAP_MS = 0.5;

export interface Clock {
  paused: boolean;
  speed: Speed;
  /** Single steps requested while paused, run at the next frame. */
  steps: number;
  /** Scaled milliseconds not yet spent on a tick. */
  accumulator: number;
}

export type TimeCommand =
  | { kind: "toggle-pause" }
  | { kind: "step" }
  | { kind: "speed"; speed: Speed }
  | { kind: "slower" }
  | { kind: "faster" };

export function createClock(): Clock {
  return { paused: false, speed: 1, steps: 0, accumulator: 0 };
}

export function controlTime(clock: Clock, command: TimeCommand): void {
  switch (command.kind) {
    case "toggle-pause":
      clock.paused = !clock.paused;
      clock.accumulator = 0;
      return;
    case "step":
      clock.paused = true;
      clock.steps++;
      return;
    case "speed":
      clock.speed = command.speed;
      return;
    case "slower":
      clock.speed = SPEEDS[Math.max(0, SPEEDS.indexOf(clock.speed) - 1)];
      return;
    case "faster":
      clock.speed = SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(clock.speed) + 1)];
      return;
    default:
      assertNever(command);
  }
}

/** How many ticks this animation frame runs, given the wall milliseconds since the last one. */
export function ticksDue(clock: Clock, elapsedMs: number): number {
  if (clock.paused) {
    const steps = clock.steps;
    clock.steps = 0;
    return steps;
  }
  clock.accumulator += snapped(Math.max(0, elapsedMs) * clock.speed);
  const due = Math.floor(clock.accumulator / TICK_MS);
  clock.accumulator -= due * TICK_MS;
  if (due > MAX_TICKS_PER_FRAME) {
    clock.accumulator = 0;
    return MAX_TICKS_PER_FRAME;
  }
  return due;
}

function snapped(scaledMs: number): number {
  const ticks = Math.round(scaledMs / TICK_MS);
  return ticks >= 1 && Math.abs(scaledMs - ticks * TICK_MS) < SNAP_MS ? ticks * TICK_MS : scaledMs;
}

/** How far the display is between the last tick and the next one, 0..1 (1 while paused). */
export function interpolationAlpha(clock: Clock): number {
  return clock.paused ? 1 : Math.min(1, clock.accumulator / TICK_MS);
}

function assertNever(value: never): never {
  throw new Error(`unknown time command ${JSON.stringify(value)}`);
}

// Replay restart in the page (step 4 of the fallback ladder), spread over animation frames: after
// a `restarted` reload the world is back at its initial state with the new code, and the
// session's recorded input is re-simulated up to the tick the player was at. It runs a few
// milliseconds per frame so a long session does not freeze the tab; the game client shows a
// progress bar once it has taken more than PROGRESS_AFTER_FRAMES frames. Same result as
// replay/restart.ts `resimulate` (the same ticks with the same input): print output is not
// repeated, runtime errors of the new code are collected and passed on once each at the end.

import type { InputLog } from "../replay/input.ts";
import type { Resimulation } from "../replay/restart.ts";
import type { RibbonRuntimeError } from "../runtime/errors.ts";
import type { Host } from "../runtime/host.ts";
import { stepWorld, type World } from "../runtime/world.ts";

/** Milliseconds of re-simulation per animation frame. */
export const RESIMULATION_BUDGET_MS = 8;
/** The progress bar appears when the re-simulation is still running after this many frames. */
export const PROGRESS_AFTER_FRAMES = 3;

export interface ChunkedResimulation {
  /** Ticks re-simulated so far. */
  readonly done: number;
  readonly total: number;
  /** Frames (calls to `advance`) spent so far. */
  readonly frames: number;
  /** Steps ticks until `budgetMs` is spent (at least one tick); true when all are done. */
  advance(budgetMs: number, now: () => number): boolean;
  /** After the last tick: passes each distinct runtime error on to the world's host once. */
  finish(): Resimulation;
}

/** Re-simulates the first `total` ticks of `input` on an already restarted world. */
export function startResimulation(world: World, input: InputLog, total: number): ChunkedResimulation {
  const errors: RibbonRuntimeError[] = [];
  const silent: Host = { log: () => {}, runtimeError: (error) => errors.push(error) };
  let done = 0;
  let frames = 0;
  return {
    get done() {
      return done;
    },
    total,
    get frames() {
      return frames;
    },
    advance(budgetMs, now) {
      const host = world.host;
      const started = now();
      world.host = silent;
      try {
        while (done < total) {
          stepWorld(world, input.at(done));
          done++;
          if (now() - started >= budgetMs) break;
        }
      } finally {
        world.host = host;
      }
      frames++;
      return done >= total;
    },
    finish() {
      const seen = new Set<string>();
      for (const error of errors) {
        if (seen.has(error.message)) continue;
        seen.add(error.message);
        world.host.runtimeError(error);
      }
      return { ticks: done, errors: [...errors] };
    },
  };
}

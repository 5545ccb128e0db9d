// Replay restart, step 4 of the hot-reload fallback ladder: after a fast restart (the world back at
// its initial state with the new code), the session's recorded input is re-simulated at full speed
// so the world returns to the tick the player was at. Old `print` output is not repeated; runtime
// errors of the new code are passed on, since they matter now.

import type { RibbonRuntimeError } from "../runtime/errors.ts";
import type { CompiledModule } from "../runtime/module.ts";
import { restartWorld, stepWorld, type World } from "../runtime/world.ts";
import type { Recording } from "./format.ts";
import { createInputLog, type InputLog } from "./input.ts";

export interface Resimulation {
  ticks: number;
  errors: RibbonRuntimeError[];
}

/** Steps an already restarted world through the first `ticks` ticks of recorded input. */
export function resimulate(world: World, input: InputLog, ticks: number): Resimulation {
  const host = world.host;
  const errors: RibbonRuntimeError[] = [];
  world.host = { log: () => {}, runtimeError: (error) => errors.push(error) };
  try {
    for (let tick = 0; tick < ticks; tick++) stepWorld(world, input.at(tick));
  } finally {
    world.host = host;
  }
  const seen = new Set<string>();
  for (const error of errors) {
    if (seen.has(error.message)) continue;
    seen.add(error.message);
    host.runtimeError(error);
  }
  return { ticks, errors };
}

/**
 * Fast restart with `compiled`, then re-simulation of the session's input up to `ticks` (default:
 * all of it). The input comes from a live Recorder (`recorder.input`) or a finished Recording.
 */
export function replayRestart(world: World, compiled: CompiledModule[], input: InputLog | Pick<Recording, "input" | "ticks">, ticks?: number): Resimulation {
  const log = "at" in input ? input : createInputLog(input.input);
  restartWorld(world, compiled);
  return resimulate(world, log, ticks ?? log.ticks);
}

/** The sentence a `restarted` report gains. */
export function describeResimulation(result: Resimulation): string {
  const errors = result.errors.length === 0 ? "" : `; ${result.errors.length} runtime error${result.errors.length === 1 ? "" : "s"} on the way (first: ${result.errors[0].message})`;
  return `replayed ${result.ticks} tick${result.ticks === 1 ? "" : "s"} of recorded input to return to where the session was${errors}`;
}

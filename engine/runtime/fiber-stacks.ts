// Suspended fibers as data and back, so a checkpoint can hold a world whose fibers are waiting.
// A generator cannot be copied, but each frame of a resumable function records where it waits
// (a restorable point) and how to read its locals; its module's restore entry re-enters it there
// (codegen/resume-plan.ts). A frame waiting anywhere else makes the whole world unsaveable, and
// the reason names the function.

import type { RestoreRecord } from "./support.ts";
import { fiberHandlers, type Fiber, type World } from "./world.ts";

export interface SavedFrame {
  module: string;
  /** Restore entry in the module's code (`F_patrol`, `L0` for a lambda). */
  fn: string;
  /** Restorable point it waits at. */
  at: number;
  /** Parameters, captured locals, then the function's other locals, as plain data. */
  locals: unknown[];
}

export interface SavedFiber {
  id: number;
  module: string;
  wakeTick: number;
  /** Outermost first. */
  frames: SavedFrame[];
}

export type SavedFibers = { kind: "saved"; fibers: SavedFiber[] } | { kind: "unsaved"; why: string };

/** Every suspended fiber of the world as data, or why one of them cannot be saved. */
export function saveFibers(world: World): SavedFibers {
  const fibers: SavedFiber[] = [];
  for (const fiber of world.fibers) {
    const frames = saveFrames(fiber);
    if (typeof frames === "string") return { kind: "unsaved", why: `fiber ${fiber.id} (started in ${fiber.module}) ${frames}` };
    fibers.push({ id: fiber.id, module: fiber.module, wakeTick: fiber.wakeTick, frames });
  }
  return { kind: "saved", fibers };
}

/** The fiber's frames, or why they cannot be saved. */
function saveFrames(fiber: Fiber): SavedFrame[] | string {
  if (!fiber.resumable || fiber.iterator === null || fiber.frames.length === 0) return "has not started yet (it first runs in the next tick)";
  const frames: SavedFrame[] = [];
  for (const frame of fiber.frames) {
    if (frame.fn === null || frame.read === null || frame.at < 0) return `waits in ${frame.label} ${frame.why}, where it cannot be saved`;
    const locals = frame.read();
    if (locals.some(holdsFunction)) return `waits in ${frame.label} holding a function value, which cannot be saved`;
    frames.push({ module: frame.module, fn: frame.fn, at: frame.at, locals: structuredClone(locals) });
  }
  return frames;
}

function holdsFunction(value: unknown): boolean {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(holdsFunction);
}

/**
 * Replaces the world's fibers with the saved ones, re-entered through the restore entries of
 * the world's current code (which must be the code that saved them). Null, or why not.
 */
export function restoreFibers(world: World, saved: readonly SavedFiber[]): string | null {
  const fibers: Fiber[] = [];
  for (const fiber of saved) {
    const chain = restoreChain(world, fiber.frames);
    if (typeof chain === "string") return `fiber ${fiber.id}: ${chain}`;
    fibers.push({
      id: fiber.id,
      module: fiber.module,
      // Stand-ins until the fiber runs and each frame puts its own record in its place.
      frames: fiber.frames.map((frame) => ({ module: frame.module, label: frame.fn, fn: frame.fn, at: frame.at, read: () => frame.locals, why: "" })),
      start: () => chain.enter(chain),
      resumable: true,
      iterator: chain.enter(chain),
      wakeTick: fiber.wakeTick,
      handlers: fiberHandlers(world),
    });
  }
  world.fibers = fibers;
  return null;
}

/** Restore records from the innermost frame out; returns the outermost. */
function restoreChain(world: World, frames: readonly SavedFrame[]): RestoreRecord | string {
  if (frames.length === 0) return "no frames";
  let child: RestoreRecord | null = null;
  for (let depth = frames.length - 1; depth >= 0; depth--) {
    const frame = frames[depth];
    const enter = world.byName[frame.module]?.entry.resume[frame.fn];
    if (!enter) return `module ${frame.module} has no frame ${frame.fn} to re-enter (the code is not the code that saved it)`;
    child = { at: frame.at, locals: structuredClone(frame.locals), depth, child, enter };
  }
  return child!;
}

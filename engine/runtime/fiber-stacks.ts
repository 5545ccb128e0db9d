// Suspended fibers as data and back, so a checkpoint can hold a world whose fibers are waiting.
// A generator cannot be copied, but each frame of a resumable function records where it waits
// (a restorable point) and how to read its locals; its module's restore entry re-enters it there
// (codegen/resume-plan.ts). A frame waiting anywhere else makes the whole world unsaveable, and
// the reason names the function.

import type { RestoreRecord } from "./support.ts";
import { handlerTable, type Fiber, type World } from "./world.ts";

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

/**
 * Every suspended fiber of the world as data, or why one of them cannot be saved. The locals are
 * the frames' own values, not copies: keep them only as an encoding (world images encode at once).
 */
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
    frames.push({ module: frame.module, fn: frame.fn, at: frame.at, locals });
  }
  return frames;
}

function holdsFunction(value: unknown): boolean {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(holdsFunction);
}

/**
 * The saved fibers rebuilt against the world's current code (which must be the code that saved
 * them), ready to become `world.fibers`; or why they cannot be. Changes nothing in the world.
 */
export function restoreFibers(world: World, saved: readonly SavedFiber[]): Fiber[] | string {
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
      handlers: handlerTable(world),
    });
  }
  return fibers;
}

/** Restore records from the innermost frame out; returns the outermost. */
function restoreChain(world: World, frames: readonly SavedFrame[]): RestoreRecord | string {
  if (frames.length === 0) return "no frames";
  let child: RestoreRecord | null = null;
  for (let depth = frames.length - 1; depth >= 0; depth--) {
    const frame = frames[depth];
    const entry = world.byName[frame.module]?.entry.resume[frame.fn];
    const where = `frame ${depth} (${frame.module}, ${frame.fn})`;
    if (!entry) return `${where}: the module's code has no such function to re-enter (not the code that saved it)`;
    if (!Number.isInteger(frame.at) || frame.at < 0 || frame.at >= entry.points) return `${where}: waits at point ${frame.at}, but the function has ${entry.points}`;
    if (frame.locals.length !== entry.locals) return `${where}: holds ${frame.locals.length} locals, but the function has ${entry.locals}`;
    const innermost = depth === frames.length - 1;
    if (entry.calls.includes(frame.at) === innermost) return `${where}: ${innermost ? "is the innermost frame but waits in a call" : "calls the next frame from a point that is a wait"}`;
    child = { at: frame.at, locals: structuredClone(frame.locals), depth, child, enter: entry.enter };
  }
  return child!;
}

// The object generated code receives as `rt`: handler tables, the loop budget, checked pool
// access, integer division and the deterministic math prelude. One per world.

import { RibbonRuntimeError, type Site } from "./errors.ts";
import { formatNumber, formatSymbol, formatVec2 } from "./format.ts";
import * as math from "./math.ts";
import { SLOT_MASK, SLOT_SPAN, type Pool } from "./pool.ts";

/** Handler frames by effect key; each fiber has its own table. */
export type HandlerTable = Record<string, HandlerFrame | undefined>;
export type HandlerFrame = Record<string, unknown> & { outer?: HandlerFrame };

/** `cancel v`: unwinds to the `with` whose frame (or handler value) matches. */
export class Cancel {
  constructor(
    readonly frame: unknown,
    readonly value: unknown,
  ) {}
}

/**
 * One resumable function's frame on a fiber's stack. `at` is the restorable point it waits at
 * (-1: somewhere it cannot be re-entered), `read` returns its locals in the order its restore
 * entry takes them; `fn` names that entry (null: the frame cannot be re-entered anywhere).
 */
export interface FrameRecord {
  module: string;
  /** The function, for messages: `patrol/patrol`, `a lambda in patrol/start`. */
  label: string;
  fn: string | null;
  at: number;
  read: (() => unknown[]) | null;
  /** Where the frame waits when `at` is -1, for the message that it cannot be saved. */
  why: string;
}

/** What generated code receives to re-enter a saved frame (see codegen/resume-plan.ts). */
export interface RestoreRecord {
  at: number;
  locals: unknown[];
  /** Index of this frame on the fiber's stack. */
  depth: number;
  /** The frame it was calling when the fiber was saved, or null for the innermost. */
  child: RestoreRecord | null;
  enter(record: RestoreRecord): Iterator<unknown>;
}

export interface FiberState {
  /** The frames on this fiber's stack, innermost last. */
  frames: FrameRecord[];
}

export interface RuntimeSupport {
  h: HandlerTable;
  fiber: FiberState | null;
  budget: { left: number };
  Cancel: typeof Cancel;
  slot(pool: Pool, handle: number, site: Site): number;
  deadPointer(pool: Pool, site: Site): never;
  idiv(left: number, right: number, site: Site): number;
  imod(left: number, right: number, site: Site): number;
  outOfBudget(site: Site): never;
  spawn(start: () => unknown, module: string, resumable: boolean): void;
  frameFor(table: HandlerTable, key: string, value: HandlerValue): HandlerFrame;
  equal(left: unknown, right: unknown): boolean;
  formatNumber: typeof formatNumber;
  formatVec2: typeof formatVec2;
  formatSymbol: typeof formatSymbol;
  math: typeof math;
  /** Where `math.sincos` leaves cos and sin (read at once into locals by generated code). */
  cosSin: Float64Array;
}

/** A handler as a first-class value (`reload-policy := handler hot/Reload. ...`). */
export interface HandlerValue {
  key: string;
  clauses: Record<string, (...args: unknown[]) => unknown>;
}

export function createRuntimeSupport(spawn: RuntimeSupport["spawn"]): RuntimeSupport {
  return {
    h: {},
    fiber: null,
    budget: { left: Number.POSITIVE_INFINITY },
    Cancel,
    slot,
    deadPointer,
    idiv,
    imod,
    outOfBudget,
    spawn,
    frameFor,
    equal,
    formatNumber,
    formatVec2,
    formatSymbol,
    math,
    cosSin: new Float64Array(2),
  };
}

/**
 * The slot of a live handle. `&` takes the low 24 bits exactly (a handle is an integer below 2^53,
 * and ToInt32 keeps its low 32 bits), and rebuilding the handle from the slot's generation checks
 * liveness with a multiply: cheaper than a division, and `%` on handles past 2^31 is a slow
 * floating-point op. An out-of-range slot reads undefined, which never rebuilds the handle.
 */
function slot(pool: Pool, handle: number, site: Site): number {
  const index = handle & SLOT_MASK;
  if (pool.gens[index] * SLOT_SPAN + index !== handle) deadPointer(pool, site);
  return index;
}

function deadPointer(pool: Pool, site: Site): never {
  throw new RibbonRuntimeError("dead-pointer", `use of a freed pointer into pool '${pool.name} (module ${pool.module})`, site);
}

function idiv(left: number, right: number, site: Site): number {
  if (right === 0) throw new RibbonRuntimeError("division-by-zero", "integer division by zero", site);
  return (left / right) | 0;
}

function imod(left: number, right: number, site: Site): number {
  if (right === 0) throw new RibbonRuntimeError("division-by-zero", "integer remainder by zero", site);
  return left % right | 0;
}

function outOfBudget(site: Site): never {
  const where = site.function ? ` in ${site.module}/${site.function}` : ` in module ${site.module}`;
  throw new RibbonRuntimeError("budget-exceeded", `loop ran past this tick's budget${where}: is it stuck?`, site);
}

/**
 * Installs a handler value: each clause runs with the outer handler of its effect in place.
 * A clause's `cancel` throws to the value, which every `with` of that value shares; the frame
 * whose clause it was re-targets it to itself, so it unwinds to this installation's `with` even
 * when the same value is also installed further in (`with h do with h do ...`).
 */
function frameFor(table: HandlerTable, key: string, value: HandlerValue): HandlerFrame {
  const frame: HandlerFrame = { outer: table[key] };
  for (const [operation, clause] of Object.entries(value.clauses)) {
    frame[operation] = (...args: unknown[]) => {
      table[key] = frame.outer;
      try {
        return clause(...args);
      } catch (thrown) {
        throw thrown instanceof Cancel && thrown.frame === value ? new Cancel(frame, thrown.value) : thrown;
      } finally {
        table[key] = frame;
      }
    };
  }
  return frame;
}

/** Structural equality of plain Ribbon data (numbers, strings, vectors, structs, unions, tuples). */
function equal(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => equal((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}

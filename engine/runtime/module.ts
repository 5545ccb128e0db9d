// A compiled module as data (what the compiler hands the runtime, in Node or the browser) and its
// live instance: exports table, state and pools keep their identity across reloads.

import type { Site } from "./errors.ts";
import type { Pool, PoolLayout } from "./pool.ts";
import type { RestoreRecord } from "./support.ts";

export interface CompiledPool {
  name: string;
  layout: PoolLayout;
}

export interface CompiledModule {
  name: string;
  path: string;
  /** Ribbon source, for code frames in runtime errors. */
  source: string;
  /** Body of the factory function `(rt, instance, modules) => entry`. */
  code: string;
  sites: Site[];
  pools: CompiledPool[];
  /** Names of module `mut` bindings, in declaration order. */
  states: string[];
  imports: string[];
  hasInit: boolean;
  hasUpdate: boolean;
}

/** What a module's factory returns. */
export interface ModuleEntry {
  init: (() => void) | null;
  update: ((dt: number) => void) | null;
  /** Sets every state binding that is not there yet to its initializer. */
  initState: () => void;
  /** By pool key: whole-element reader and writer, used by data migration. */
  pools: Record<string, PoolAccess>;
  /** By `Struct` or `Union/Variant`: the fields that have defaults, as a value. */
  defaults: Record<string, () => Record<string, unknown>>;
  /** By frame name: how to re-enter a saved frame of a resumable function (fiber-stacks.ts). */
  resume: Record<string, ResumeEntry>;
}

export interface ResumeEntry {
  /** Restorable points of the function: a saved frame waits at one of 0 ... points - 1. */
  points: number;
  /** The points that call another resumable function (the others are `wait` and `next-frame`). */
  calls: number[];
  /** How many locals a saved frame holds. */
  locals: number;
  enter(record: RestoreRecord): Iterator<unknown>;
}

export interface PoolAccess {
  read: (pool: Pool, slot: number) => Record<string, unknown>;
  write: (pool: Pool, slot: number, value: Record<string, unknown>) => void;
}

export interface ModuleInstance {
  name: string;
  version: number;
  compiled: CompiledModule;
  /** Exported functions and constants; other modules call through it, so a reload swaps code in place. */
  table: Record<string, unknown>;
  state: Record<string, unknown>;
  pools: Record<string, Pool>;
  entry: ModuleEntry;
}

// The replay file format, version 1, as TypeScript types: what a `.ribbon-replay.json` file holds.
// engine/replay/FORMAT.md documents every field; validate.ts checks a file against these types.

import type { ReloadOutcome } from "../reload/report.ts";
import type { EncodedValue } from "./values.ts";

export const FORMAT_NAME = "ribbon-replay";
export const FORMAT_VERSION = 1;
/** The engine's version (package.json `version`); a test keeps the two equal. */
export const ENGINE_VERSION = "0.1.0";
export const DEFAULT_HASH_EVERY = 60;
export const DEFAULT_CHECKPOINT_EVERY = 600;

export interface Recording {
  format: typeof FORMAT_NAME;
  version: typeof FORMAT_VERSION;
  /** Engine version that recorded the file. */
  engine: string;
  game: GameRecord;
  settings: { hashEvery: number; checkpointEvery: number };
  /** Free-form strings: who recorded it, when. Never read by replay. */
  meta: Record<string, string>;
  /** Content hash (FNV-1a 64, hex, over UTF-8) → module source text. */
  sources: Record<string, string>;
  /** Programs the session compiled: [0] started the session, reloads name the others. */
  programs: ProgramRecord[];
  /** Ticks stepped in the session (stepWorld calls). Every `tick` below counts these. */
  ticks: number;
  /** Run-length-encoded input: [ticks, frame] pairs whose counts add up to `ticks`. */
  input: InputRun[];
  reloads: ReloadRecord[];
  rollbacks: RollbackRecord[];
  /** Every `hashEvery` ticks, and always at tick 0 and at `ticks`. */
  hashes: HashRecord[];
  /** Every `checkpointEvery` ticks, and always at tick 0 and at `ticks`. */
  checkpoints: CheckpointRecord[];
}

export interface GameRecord {
  seed: number;
  probationTicks: number;
  /** Where the game's sources were, relative to the recording's folder (for `--current`), if known. */
  path: string | null;
  /** The world's modules in update order at the start (`ribbon run` uses the manifest's order). */
  order: string[];
}

export interface ProgramRecord {
  roots: string[];
  /** Module name → where it was read from and its source's content hash. */
  modules: Record<string, { path: string; source: string }>;
  /** The program running when this one was compiled (its types are the `old` types); null for [0]. */
  base: number | null;
}

export type InputRun = [count: number, frame: FrameRecord];

/** One tick's input; absent fields are empty / zero / false. Key names are Ribbon symbols. */
export interface FrameRecord {
  down?: string[];
  pressed?: string[];
  released?: string[];
  pointer?: [number, number];
  pointerDown?: boolean;
  pointerPressed?: boolean;
}

export interface ReloadRecord {
  /** Applied at the boundary after this many ticks, before the next one. */
  tick: number;
  program: number;
  outcome: ReloadOutcome;
  modules: string[];
  reason: string;
  /** After a `restarted` outcome: ticks of recorded input re-simulated (replay restart), else 0. */
  resimulated: number;
}

export interface RollbackRecord {
  /** The tick during which probation failed (the world went back to the reload's boundary). */
  tick: number;
  /** Index in `reloads` of the reload that was rolled back. */
  reload: number;
  reason: string;
}

export interface HashRecord {
  tick: number;
  /** 8 hex digits: FNV-1a over the tick, the random state, and each module's name and hash. */
  world: string;
  /** Module name → FNV-1a of its pools (generations, live elements' columns) and its state. */
  modules: Record<string, string>;
}

export interface CheckpointRecord {
  tick: number;
  /** Index in `programs` of the program running at this tick. */
  program: number;
  /** Whether seeking may start here: no suspended fiber, no probation in progress. */
  restorable: boolean;
  /** Why not, when not. */
  why?: string;
  world: WorldImage;
}

export interface WorldImage {
  /** The world's own clock (differs from the recording's tick after a restart or rollback). */
  tick: number;
  random: [number, number, number, number];
  nextFiberId: number;
  /** Suspended fibers. */
  fibers: number;
  /**
   * The suspended fibers' stacks, when every one could be saved (each frame waits at a point it
   * can be re-entered at); absent otherwise, and in files from before fibers were saved.
   */
  stacks?: FiberImage[];
  /** Why the fibers' stacks are absent, when there are fibers. */
  unsaved?: string;
  /**
   * A value the image could not hold (a function: a lambda kept in module state; fields cannot
   * hold one), written as null: the image is not restorable. Absent otherwise. (A waiting fiber
   * holding one is `unsaved`.)
   */
  unkept?: string;
  probation: boolean;
  /** Module → the runtime error that halted it. */
  halted: Record<string, { kind: string; message: string }>;
  /** In update order. */
  modules: ModuleImage[];
}

export interface FiberImage {
  id: number;
  /** Module whose code started the fiber. */
  module: string;
  /** World tick it wakes at. */
  wakeTick: number;
  /** Outermost first: the restore entry (`fn`) of a module, the point it waits at, its locals. */
  frames: Array<{ module: string; fn: string; at: number; locals: EncodedValue[] }>;
}

export interface ModuleImage {
  name: string;
  version: number;
  /** State key (s_name) → value. */
  state: Record<string, EncodedValue>;
  pools: PoolImage[];
}

export interface PoolImage {
  /** Key in the module's pools record (p_name). */
  key: string;
  name: string;
  size: number;
  live: number;
  free: number[];
  /** Uint32 generations of slots [0, size), base64 little-endian. */
  gens: string;
  columns: ColumnImage[];
}

export type ColumnImage =
  | { path: string; kind: "f64" | "i32" | "bool"; data: string }
  | { path: string; kind: "value"; values: EncodedValue[] };

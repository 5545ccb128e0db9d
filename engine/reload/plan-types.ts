// The reload plan as plain data: made by the compiler side (plan.ts), carried to wherever the
// world runs (Node or the page), applied there (apply.ts). Nothing here refers to checker types.

import type { CompiledModule } from "../runtime/module.ts";

/** How one column of a migrated pool gets its values. */
export type ColumnStep =
  | { kind: "copy"; from: number; to: number }
  /** i32 → f64: the one widening Ribbon does implicitly. */
  | { kind: "widen"; from: number; to: number }
  /** A field added with a default: `owner` is a struct `Name` or variant `Union/Variant` of `module`. */
  | { kind: "default"; to: number; module: string; owner: string; path: string[] }
  /** Columns of a variant no live value can use yet. */
  | { kind: "zero"; to: number }
  /** A union's tag column when its variants changed: old index → new index (-1: removed). */
  | { kind: "retag"; from: number; to: number; mapping: number[] };

/** A field the generated migration drops. */
export interface DroppedField {
  /** `Struct.field`, or `Union/Variant.field` for a variant's field. */
  name: string;
  /** For a variant's field, only values in that variant lose data: old tag column and index. */
  variant: { column: number; tag: number } | null;
}

export interface RemovedVariant {
  /** Old tag column and the old index of the removed variant. */
  column: number;
  tag: number;
  name: string;
  typeName: string;
}

export type PoolPlan =
  | { kind: "unchanged"; pool: string }
  | { kind: "added"; pool: string }
  | { kind: "removed"; pool: string }
  | { kind: "generated"; pool: string; steps: ColumnStep[]; droppedFields: DroppedField[]; removedVariants: RemovedVariant[] }
  /** A migration function `(old T) -> T`, exported by `module` under `exportKey`. */
  | { kind: "written"; pool: string; module: string; exportKey: string; functionName: string };

export type StatePlan =
  | { kind: "kept"; name: string }
  | { kind: "initializer-changed"; name: string }
  | { kind: "new"; name: string }
  | { kind: "removed"; name: string }
  | { kind: "written"; name: string; module: string; exportKey: string; functionName: string }
  | { kind: "retyped"; name: string };

/** One line of the plan the game's `hot/Reload` handler and the report see. */
export interface TypeChange {
  typeName: string;
  change: string;
  detail: string;
}

export interface ModulePlan {
  module: string;
  fromVersion: number;
  toVersion: number;
  /** New module (not running before). */
  added: boolean;
  pools: PoolPlan[];
  states: StatePlan[];
  changes: TypeChange[];
  /**
   * Why the generated migration cannot carry this module's data over (with a migration skeleton
   * in `details`). It rejects the reload unless the game's policy resets the module instead.
   */
  problem: { reason: string; details: string } | null;
}

export interface ReloadPackage {
  /** The whole new program, dependencies first. */
  modules: CompiledModule[];
  /** Modules whose code or data changed: the reload set, swapped all together or not at all. */
  plans: ModulePlan[];
  /**
   * Why the reload cannot apply: a one-line reason and diagnostics with code frames. `modules`
   * names what it was about when no plan could be made (the program did not compile).
   */
  rejection: { reason: string; details: string; modules: string[] } | null;
  warnings: string[];
  timings: { compile: number; plan: number };
}

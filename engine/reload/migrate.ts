// Builds a module's new pools beside the old ones. Generated migrations work column by column
// (typed-array copies, widening, defaults, retagged unions); written ones run `(old T) -> T` per
// element. Old pools are only read: a failed migration leaves nothing to undo.

import { fieldKey, poolKey } from "../runtime/names.ts";
import type { ModuleEntry, ModuleInstance } from "../runtime/module.ts";
import { Pool, type Column, type ColumnSpec } from "../runtime/pool.ts";
import type { ColumnStep, DroppedField, PoolPlan, RemovedVariant } from "./plan-types.ts";

/** A pool with the old one's slots, generations and free list, so every handle stays valid. */
export function poolBeside(old: Pool, layoutSource: Pool): Pool {
  const pool = new Pool(old.module, old.name, layoutSource.layout, Math.max(old.capacity, 16));
  pool.gens.set(old.gens);
  pool.size = old.size;
  pool.live = old.live;
  pool.restoreFreeList(old.freeList());
  return pool;
}

export interface MigrationContext {
  /** New module entries (staged, not yet committed), for defaults and migration functions. */
  staged: Map<string, { instance: ModuleInstance }>;
  running: Record<string, ModuleInstance>;
}

/** The values a `default` step needs, evaluated once per step from the owner's defaults. */
function defaultValue(context: MigrationContext, step: ColumnStep & { kind: "default" }, column: ColumnSpec): unknown {
  const owner = context.staged.get(step.module)?.instance ?? context.running[step.module];
  const defaults = owner?.entry.defaults[step.owner]?.() ?? {};
  let value: unknown = defaults;
  for (const segment of step.path) {
    if (value === null || typeof value !== "object") break;
    const record = value as Record<string, unknown>;
    if (segment === "#tag") value = record.tag;
    else if (fieldKey(segment) in record) value = record[fieldKey(segment)];
    else if ((segment === "x" || segment === "y") && segment in record) value = record[segment];
    else if ("tag" in record) continue; // a variant name: the active variant's fields follow
    else value = undefined;
  }
  if (value === undefined) return column.kind === "value" ? undefined : 0;
  return typeof value === "boolean" ? (value ? 1 : 0) : value;
}

export function migrateGenerated(context: MigrationContext, old: Pool, fresh: Pool, plan: PoolPlan & { kind: "generated" }): void {
  for (const step of plan.steps) applyStep(context, old, fresh, step);
}

function applyStep(context: MigrationContext, old: Pool, fresh: Pool, step: ColumnStep): void {
  const size = old.size;
  const target = fresh.cols[step.to];
  switch (step.kind) {
    case "copy":
      copyColumn(old.cols[step.from], target, size);
      return;
    case "widen":
      copyColumn(old.cols[step.from], target, size);
      return;
    case "zero":
      return;
    case "default": {
      const value = defaultValue(context, step, fresh.layout.columns[step.to]);
      for (let slot = 0; slot < size; slot++) if (old.isLive(slot)) (target as unknown[])[slot] = value;
      return;
    }
    case "retag": {
      const source = old.cols[step.from] as Int32Array;
      for (let slot = 0; slot < size; slot++) (target as Int32Array)[slot] = Math.max(0, step.mapping[source[slot]] ?? 0);
      return;
    }
    default: {
      const never: never = step;
      return never;
    }
  }
}

function copyColumn(source: Column, target: Column, size: number): void {
  if (Array.isArray(source) || Array.isArray(target)) {
    for (let slot = 0; slot < size; slot++) (target as unknown[])[slot] = (source as unknown[])[slot];
    return;
  }
  if (source.constructor === target.constructor) (target as Float64Array).set((source as Float64Array).subarray(0, size));
  else for (let slot = 0; slot < size; slot++) (target as Float64Array)[slot] = (source as Float64Array)[slot];
}

/** Live values whose union in tag column `column` holds variant `tag`. */
function countVariant(old: Pool, column: number, tag: number): number {
  const tags = old.cols[column] as Int32Array;
  let count = 0;
  for (let slot = 0; slot < old.size; slot++) if (old.isLive(slot) && tags[slot] === tag) count++;
  return count;
}

/** Live values still using each removed variant (the data-aware check of the contract). */
export function removedVariantUses(old: Pool, removed: RemovedVariant[]): Array<RemovedVariant & { count: number }> {
  return removed.map((variant) => ({ ...variant, count: countVariant(old, variant.column, variant.tag) })).filter((variant) => variant.count > 0);
}

/** How many live values lose each dropped field: all of them, or those in the field's variant. */
export function droppedValues(old: Pool, dropped: DroppedField[]): Array<{ name: string; count: number }> {
  return dropped.map((field) => ({ name: field.name, count: field.variant ? countVariant(old, field.variant.column, field.variant.tag) : old.live }));
}

/** Runs a written migration function over every live element. Throws what the function throws. */
export function migrateWritten(
  oldEntry: ModuleEntry,
  newEntry: ModuleEntry,
  migration: (value: Record<string, unknown>) => Record<string, unknown>,
  old: Pool,
  fresh: Pool,
): void {
  const key = poolKey(old.name);
  const read = oldEntry.pools[key].read;
  const write = newEntry.pools[key].write;
  for (let slot = 0; slot < old.size; slot++) {
    if (old.isLive(slot)) write(fresh, slot, migration(read(old, slot)));
  }
}

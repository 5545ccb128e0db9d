// Field-by-field comparison of two world images (recorded vs actual): which module, pool, slot
// and field differ, with both values. Used when a replay diverges and by `--update` reports.

import type { ModuleImage, WorldImage } from "./format.ts";
import { decodePool, type DecodedPool } from "./image.ts";
import { decodeValue, demangle, describeValue, sameValue } from "./values.ts";

export type Difference =
  | { kind: "clock"; recorded: number; actual: number }
  | { kind: "random"; recorded: string; actual: string }
  | { kind: "fibers"; recorded: number; actual: number }
  | { kind: "module"; module: string; recorded: string; actual: string }
  | { kind: "halted"; module: string; recorded: string; actual: string }
  | { kind: "pool"; module: string; pool: string; recorded: string; actual: string }
  | { kind: "element"; module: string; pool: string; slot: number; recorded: string; actual: string }
  /** The first slot where a field differs, and in how many live slots it does. */
  | { kind: "field"; module: string; pool: string; slot: number; generation: number; field: string; recorded: unknown; actual: unknown; slots: number }
  | { kind: "state"; module: string; name: string; recorded: unknown; actual: unknown }
  | { kind: "output"; recorded: string; actual: string }
  | { kind: "reload"; reload: number; recorded: string; actual: string }
  | { kind: "rollback"; recorded: string; actual: string };

export interface DiffResult {
  differences: Difference[];
  /** Differences found beyond the limit. */
  more: number;
}

class Collector {
  readonly differences: Difference[] = [];
  more = 0;
  constructor(private readonly limit: number) {}
  add(difference: Difference): void {
    if (this.differences.length < this.limit) this.differences.push(difference);
    else this.more++;
  }
}

export function diffImages(recorded: WorldImage, actual: WorldImage, limit = 20): DiffResult {
  const out = new Collector(limit);
  if (recorded.tick !== actual.tick) out.add({ kind: "clock", recorded: recorded.tick, actual: actual.tick });
  if (recorded.random.join() !== actual.random.join()) out.add({ kind: "random", recorded: recorded.random.join(" "), actual: actual.random.join(" ") });
  if (recorded.fibers !== actual.fibers) out.add({ kind: "fibers", recorded: recorded.fibers, actual: actual.fibers });
  const actualModules = new Map(actual.modules.map((module) => [module.name, module]));
  for (const module of recorded.modules) {
    const other = actualModules.get(module.name);
    if (!other) out.add({ kind: "module", module: module.name, recorded: "present", actual: "absent" });
    else diffModule(out, recorded, actual, module, other);
  }
  const recordedNames = new Set(recorded.modules.map((module) => module.name));
  for (const module of actual.modules) {
    if (!recordedNames.has(module.name)) out.add({ kind: "module", module: module.name, recorded: "absent", actual: "present" });
  }
  return { differences: out.differences, more: out.more };
}

function diffModule(out: Collector, recordedWorld: WorldImage, actualWorld: WorldImage, recorded: ModuleImage, actual: ModuleImage): void {
  const module = recorded.name;
  const haltedRecorded = recordedWorld.halted[module]?.message ?? "running";
  const haltedActual = actualWorld.halted[module]?.message ?? "running";
  if (haltedRecorded !== haltedActual) out.add({ kind: "halted", module, recorded: haltedRecorded, actual: haltedActual });
  const actualPools = new Map(actual.pools.map((pool) => [pool.key, pool]));
  for (const pool of recorded.pools) {
    const other = actualPools.get(pool.key);
    if (!other) out.add({ kind: "pool", module, pool: pool.name, recorded: "present", actual: "absent" });
    else diffPool(out, module, decodePool(module, pool), decodePool(module, other));
  }
  const recordedPools = new Set(recorded.pools.map((pool) => pool.key));
  for (const pool of actual.pools) {
    if (!recordedPools.has(pool.key)) out.add({ kind: "pool", module, pool: pool.name, recorded: "absent", actual: "present" });
  }
  const keys = new Set([...Object.keys(recorded.state), ...Object.keys(actual.state)]);
  for (const key of keys) {
    const left = Object.hasOwn(recorded.state, key) ? decodeValue(recorded.state[key]) : undefined;
    const right = Object.hasOwn(actual.state, key) ? decodeValue(actual.state[key]) : undefined;
    if (!sameValue(left, right)) out.add({ kind: "state", module, name: demangle(key), recorded: left, actual: right });
  }
}

function diffPool(out: Collector, module: string, recorded: DecodedPool, actual: DecodedPool): void {
  const pool = recorded.name;
  const layout = (decoded: DecodedPool) => decoded.columns.map((column) => `${column.path}: ${column.kind}`).join(", ");
  if (layout(recorded) !== layout(actual)) out.add({ kind: "pool", module, pool, recorded: `fields ${layout(recorded)}`, actual: `fields ${layout(actual)}` });
  if (recorded.live !== actual.live) out.add({ kind: "pool", module, pool, recorded: `${recorded.live} live`, actual: `${actual.live} live` });
  const actualColumns = new Map(actual.columns.map((column) => [column.path, column]));
  const fields = new Map<string, Extract<Difference, { kind: "field" }>>();
  const size = Math.max(recorded.size, actual.size);
  for (let slot = 0; slot < size; slot++) {
    const recordedGen = slot < recorded.size ? recorded.gens[slot] : 0;
    const actualGen = slot < actual.size ? actual.gens[slot] : 0;
    if (recordedGen !== actualGen) {
      out.add({ kind: "element", module, pool, slot, recorded: describeSlot(recordedGen), actual: describeSlot(actualGen) });
      continue;
    }
    if ((recordedGen & 1) === 0) continue;
    for (const column of recorded.columns) {
      const other = actualColumns.get(column.path);
      if (!other) continue;
      const left = column.values[slot];
      const right = other.values[slot];
      if (sameValue(left, right)) continue;
      const seen = fields.get(column.path);
      if (seen) seen.slots++;
      else fields.set(column.path, { kind: "field", module, pool, slot, generation: recordedGen, field: column.path, recorded: left, actual: right, slots: 1 });
    }
  }
  for (const difference of fields.values()) out.add(difference);
}

function describeSlot(generation: number): string {
  if (generation === 0) return "never used";
  return (generation & 1) === 1 ? `live (generation ${generation})` : `free (generation ${generation})`;
}

/** One line per difference, as the CLI and the tests show them. */
export function formatDifference(difference: Difference): string {
  switch (difference.kind) {
    case "clock":
      return `world clock: recorded tick ${difference.recorded}, actual tick ${difference.actual}`;
    case "random":
      return `random state: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "fibers":
      return `suspended fibers: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "module":
      return `module ${difference.module}: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "halted":
      return `module ${difference.module} halted by a runtime error: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "pool":
      return `${difference.module}/${difference.pool}: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "element":
      return `${difference.module}/${difference.pool} slot ${difference.slot}: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "field":
      return `${difference.module}/${difference.pool} slot ${difference.slot} (generation ${difference.generation}) field ${difference.field}: recorded ${describeValue(difference.recorded)}, actual ${describeValue(difference.actual)}${difference.slots > 1 ? ` (differs in ${difference.slots} live slots)` : ""}`;
    case "state":
      return `${difference.module} state ${difference.name}: recorded ${describeValue(difference.recorded)}, actual ${describeValue(difference.actual)}`;
    case "output":
      return `printed: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "reload":
      return `reload #${difference.reload + 1}: recorded ${difference.recorded}, actual ${difference.actual}`;
    case "rollback":
      return `probation rollback: recorded ${difference.recorded}, actual ${difference.actual}`;
    default: {
      const never: never = difference;
      return never;
    }
  }
}

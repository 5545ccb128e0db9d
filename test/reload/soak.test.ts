// Soak: one live session alternates between two versions of a program for many consecutive
// reloads (a field added with a default, then removed again), with 200 live entities and a
// module counter. After every reload and a few ticks the world must be exactly what arithmetic
// says (checked through the world hash against a reference world holding the expected values),
// compiled code must not pile up, and the heap must not grow.

import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, test } from "vitest";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import { poolKey, stateKey } from "../../engine/runtime/names.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { createWorld, startWorld, type World } from "../../engine/runtime/world.ts";
import { compileSources } from "../helpers/ribbon.ts";
import { rib, startHarness } from "./harness.ts";

const RELOADS = 1000;
const TICKS_BETWEEN = 3;
const ENTITIES = 200;

const V1 = rib`
  Mover := struct { x: f64, v: f64 }
  movers := pool Mover
  steps : mut = 0

  init := fun ().
      for i in 0 .. ${ENTITIES}.
          alloc movers { x = 0.0, v = float i }

  update := fun (dt: f64).
      steps = steps + 1
      for m in movers.
          m.x = m.x + m.v
`;
const V2 = V1.replace("v: f64 }", "v: f64, boost: f64 = 2.0 }").replace("m.x + m.v", "m.x + m.v * m.boost");

/** `global.gc` without restarting vitest with --expose-gc: the flag applies to new contexts. */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function heapAfterGc(gc: () => void): number {
  for (let round = 0; round < 3; round++) gc();
  return process.memoryUsage().heapUsed;
}

/** The world as arithmetic says it must be: a fresh world of `version`, columns set by hand. */
function referenceWorld(compiled: CompiledModule[], factories: World["factories"], tick: number, steps: number, distance: number, boosted: boolean): World {
  const world = createWorld(compiled, createMemoryHost(), { factories });
  startWorld(world);
  const main = world.byName.main;
  main.state[stateKey("steps")] = steps;
  const movers = main.pools[poolKey("movers")];
  const column = (path: string) => movers.cols[movers.layout.columns.findIndex((spec) => spec.path === path)] as Float64Array;
  for (let slot = 0; slot < ENTITIES; slot++) {
    column("x")[slot] = slot * distance;
    if (boosted) column("boost")[slot] = 2;
  }
  world.tick = tick;
  return world;
}

describe("soak: many consecutive reloads of a live session", () => {
  test(`${RELOADS} reloads alternating a field added and removed keep the world exact and the memory flat`, () => {
    const gc = collector();
    const versions = [V1, V2].map((source) => {
      const result = compileSources({ main: source });
      expect(result.ok).toBe(true);
      return result.modules;
    });
    const h = startHarness({ main: V1 });
    const world = h.session.world;
    const referenceFactories: World["factories"] = new Map();
    // Per entity, x grows by v per tick in V1 and by 2v per tick in V2: track the multiplier sum.
    let distance = 0;
    let heapAtStart = 0;

    h.step(TICKS_BETWEEN);
    distance += TICKS_BETWEEN;
    for (let reload = 1; reload <= RELOADS; reload++) {
      const boosted = reload % 2 === 1;
      const report = h.edit(boosted ? V2 : V1);
      if (report.outcome !== "migrated") throw new Error(`reload ${reload}: ${report.outcome}: ${report.reason}`);
      if (report.migrated.movers !== ENTITIES) throw new Error(`reload ${reload}: migrated ${JSON.stringify(report.migrated)}`);
      const warned = boosted ? report.warnings.length === 0 : report.warnings.join() === `field Mover.boost was removed: dropped from ${ENTITIES} live values of pool movers`;
      if (!warned) throw new Error(`reload ${reload}: warnings ${JSON.stringify(report.warnings)}`);
      h.step(TICKS_BETWEEN);
      distance += TICKS_BETWEEN * (boosted ? 2 : 1);

      const expected = referenceWorld(versions[boosted ? 1 : 0], referenceFactories, (reload + 1) * TICKS_BETWEEN, (reload + 1) * TICKS_BETWEEN, distance, boosted);
      if (hashWorld(world) !== hashWorld(expected)) {
        throw new Error(`reload ${reload}: the world diverged: tick ${world.tick}, steps ${h.state("steps")}, last mover ${JSON.stringify(h.elements("movers")[ENTITIES - 1])}, expected x ${(ENTITIES - 1) * distance}`);
      }
      h.reports.length = 0; // the test keeps no history: only the engine's memory is measured
      if (reload === 50) heapAtStart = heapAfterGc(gc);
    }
    const heapAtEnd = heapAfterGc(gc);

    expect(h.state("steps")).toBe((RELOADS + 1) * TICKS_BETWEEN);
    expect(h.elements("movers")[ENTITIES - 1].x).toBe((ENTITIES - 1) * distance);
    expect(h.host.errors).toEqual([]);
    // One compiled factory per distinct version: reloads reuse them instead of piling up code.
    expect(world.factories.size).toBe(2);
    const movers = world.byName.main.pools[poolKey("movers")];
    expect(movers.size).toBe(ENTITIES);
    expect(movers.capacity).toBeLessThanOrEqual(256);
    expect(world.fibers).toEqual([]);
    // What little the heap still grows by is V8's optimised code (measured with heap snapshots),
    // not engine objects.
    expect(heapAtEnd).toBeLessThan(heapAtStart * 1.1);
  });
});

// Turns compiled module code into a live instance. Generated code sees only what is passed in
// (`rt`, its instance, the instances of the modules it imports): no host globals.

import type { CompiledModule, ModuleEntry, ModuleInstance } from "./module.ts";
import { Pool } from "./pool.ts";
import { poolKey } from "./names.ts";
import type { RuntimeSupport } from "./support.ts";

type Factory = (rt: RuntimeSupport, instance: ModuleInstance, modules: Record<string, ModuleInstance>) => ModuleEntry;

/** Compiles the factory once per code string; the engine, not the script, calls `Function`. */
export function createFactory(compiled: CompiledModule): Factory {
  return new Function("rt", "instance", "modules", compiled.code) as Factory;
}

export function createInstance(compiled: CompiledModule, version: number): ModuleInstance {
  const pools: Record<string, Pool> = {};
  for (const pool of compiled.pools) pools[poolKey(pool.name)] = new Pool(compiled.name, pool.name, pool.layout);
  return {
    name: compiled.name,
    version,
    compiled,
    table: Object.create(null) as Record<string, unknown>,
    state: Object.create(null) as Record<string, unknown>,
    pools,
    entry: { init: null, update: null, initState: () => {} },
  };
}

/** Runs the factory: defines the module's functions and constants into its table. */
export function instantiate(
  rt: RuntimeSupport,
  instance: ModuleInstance,
  modules: Record<string, ModuleInstance>,
  factory: Factory = createFactory(instance.compiled),
): void {
  instance.entry = factory(rt, instance, modules);
}

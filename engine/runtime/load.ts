// Turns compiled module code into a live instance. Generated code sees only what is passed in
// (`rt`, its instance, the instances of the modules it imports): no host globals.

import type { CompiledModule, ModuleEntry, ModuleInstance } from "./module.ts";
import { Pool } from "./pool.ts";
import { poolKey } from "./names.ts";
import type { RuntimeSupport } from "./support.ts";

export type Factory = (rt: RuntimeSupport, instance: ModuleInstance, modules: Record<string, ModuleInstance>) => ModuleEntry;

/** Factories by code: a restart or a second world reuses functions V8 has already optimised. */
const FACTORY_CACHE_LIMIT = 64;

/**
 * Worlds that share one cache run one factory per module code, so V8 optimises the generated
 * functions once for all of them: the functions of a second world of the same code start out
 * fast instead of warming up again (a replay after a recording, the fixtures of a test run, a
 * restart). They share code only: every world instantiates its own state, pools and tables.
 */
export type FactoryCache = Map<string, Factory>;

export function createFactoryCache(): FactoryCache {
  return new Map();
}

/** The engine, not the script, calls `Function`: generated code only sees its three arguments. */
export function createFactory(compiled: CompiledModule, cache?: FactoryCache): Factory {
  const cached = cache?.get(compiled.code);
  if (cached) return cached;
  const factory = new Function("rt", "instance", "modules", compiled.code) as Factory;
  if (cache) {
    cache.set(compiled.code, factory);
    // A long editing session makes a new version per save: keep the recent ones only.
    while (cache.size > FACTORY_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  return factory;
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
    entry: { init: null, update: null, initState: () => {}, pools: {}, defaults: {}, resume: {} },
  };
}

/** Runs the factory: defines the module's functions and constants into its table. */
export function instantiate(
  rt: RuntimeSupport,
  instance: ModuleInstance,
  modules: Record<string, ModuleInstance>,
  factory: Factory,
): void {
  instance.entry = factory(rt, instance, modules);
}

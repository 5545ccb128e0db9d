// World snapshots and hashes. A snapshot copies every pool (columns, generations, free list),
// every module's state, the random state and the tick, so a failed reload can put the world back
// exactly; the hash covers the same data, so tests and replays can compare worlds cheaply.

import type { ModuleInstance } from "./module.ts";
import type { Column, Pool } from "./pool.ts";
import { copyRandomState, type RandomState } from "./random.ts";
import type { World } from "./world.ts";

export interface PoolSnapshot {
  pool: Pool;
  gens: Uint32Array;
  cols: Array<Float64Array | Int32Array | Uint8Array | unknown[]>;
  size: number;
  live: number;
  freeList: number[];
}

export interface ModuleSnapshot {
  pools: Record<string, PoolSnapshot>;
  state: Record<string, unknown>;
}

export interface WorldSnapshot {
  tick: number;
  random: RandomState;
  modules: Record<string, ModuleSnapshot>;
}

export function snapshotPool(pool: Pool): PoolSnapshot {
  return {
    pool,
    gens: pool.gens.slice(0, pool.size),
    cols: pool.cols.map((column) => column.slice(0, pool.size)),
    size: pool.size,
    live: pool.live,
    freeList: [...pool.freeList()],
  };
}

/** Puts the pool back as it was. */
export function restorePool(snapshot: PoolSnapshot): Pool {
  snapshot.pool.load({ gens: snapshot.gens, cols: snapshot.cols, size: snapshot.size, live: snapshot.live, freeList: snapshot.freeList });
  return snapshot.pool;
}

export function snapshotWorld(world: World): WorldSnapshot {
  const modules: Record<string, ModuleSnapshot> = {};
  for (const instance of world.modules) {
    const pools: Record<string, PoolSnapshot> = {};
    for (const [key, pool] of Object.entries(instance.pools)) pools[key] = snapshotPool(pool);
    modules[instance.name] = { pools, state: structuredClone({ ...instance.state }) };
  }
  return { tick: world.tick, random: copyRandomState(world.random), modules };
}

/** Restores pools (the same Pool objects, refilled), state, random state and tick. */
export function restoreWorld(world: World, snapshot: WorldSnapshot): void {
  world.tick = snapshot.tick;
  Object.assign(world.random, copyRandomState(snapshot.random));
  for (const instance of world.modules) {
    const saved = snapshot.modules[instance.name];
    if (!saved) continue;
    for (const key of Object.keys(instance.pools)) delete instance.pools[key];
    for (const [key, pool] of Object.entries(saved.pools)) instance.pools[key] = restorePool(pool);
    for (const key of Object.keys(instance.state)) delete instance.state[key];
    Object.assign(instance.state, structuredClone(saved.state));
  }
}

// ---------------------------------------------------------------- hashing

/** FNV-1a over 32-bit words: fast, stable across platforms, good enough to detect divergence. */
export interface Hasher {
  value: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function createHasher(): Hasher {
  return { value: FNV_OFFSET };
}

export function hashWord(hasher: Hasher, word: number): void {
  hasher.value = Math.imul(hasher.value ^ (word >>> 0), FNV_PRIME) >>> 0;
}

export function hashNumber(hasher: Hasher, value: number, scratch: Float64Array, words: Uint32Array): void {
  scratch[0] = value;
  hashWord(hasher, words[0]);
  hashWord(hasher, words[1]);
}

export function hashString(hasher: Hasher, text: string): void {
  hashWord(hasher, text.length);
  for (let index = 0; index < text.length; index++) hashWord(hasher, text.charCodeAt(index));
}

/** Hash of everything that decides the future of the world: pools, state, random state, tick. */
export function hashWorld(world: World): number {
  const hasher = createHasher();
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  hashWord(hasher, world.tick);
  for (const word of [world.random.a, world.random.b, world.random.c, world.random.d]) hashWord(hasher, word);
  for (const instance of world.modules) hashModuleInto(hasher, instance, scratch, words);
  return hasher.value;
}

/** A module's name, pools and state, in a stable order. */
export function hashModuleInto(hasher: Hasher, instance: ModuleInstance, scratch: Float64Array, words: Uint32Array): void {
  hashString(hasher, instance.name);
  for (const key of Object.keys(instance.pools).sort()) hashPool(hasher, instance.pools[key], scratch, words);
  for (const key of Object.keys(instance.state).sort()) {
    hashString(hasher, key);
    hashValue(hasher, instance.state[key], scratch, words);
  }
}

/**
 * Slot by slot, each live slot's generation and then its value in every column, a number as the
 * two 32-bit words of its f64 bits. Hashing is a check every few ticks of a replay, over every
 * element, so the loop keeps the hash in a local and reads each column through an array of its
 * own type (an f64 column through a view of its words), never one access site for mixed types.
 */
export function hashPool(hasher: Hasher, pool: Pool, scratch: Float64Array, words: Uint32Array): void {
  hashString(hasher, pool.name);
  hashWord(hasher, pool.size);
  const columns = pool.cols;
  const count = columns.length;
  const kinds = columns.map(columnKind);
  const empty = { doubles: new Uint32Array(0), ints: new Int32Array(0), bytes: new Uint8Array(0) };
  const doubles = columns.map((column) => (column instanceof Float64Array ? new Uint32Array(column.buffer, column.byteOffset, column.length * 2) : empty.doubles));
  const ints = columns.map((column) => (column instanceof Int32Array ? column : empty.ints));
  const bytes = columns.map((column) => (column instanceof Uint8Array ? column : empty.bytes));
  const gens = pool.gens;
  // Kept signed (`| 0`) inside the loop, so V8 keeps it a 32-bit integer; the bits are the same.
  let hash = hasher.value | 0;
  for (let slot = 0; slot < pool.size; slot++) {
    const generation = gens[slot];
    hash = Math.imul(hash ^ generation, FNV_PRIME);
    if ((generation & 1) === 0) continue;
    for (let index = 0; index < count; index++) {
      let low: number;
      let high: number;
      const kind = kinds[index];
      if (kind === DOUBLE) {
        const bits = doubles[index];
        low = bits[2 * slot];
        high = bits[2 * slot + 1];
        // A NaN goes through a number as it always did: engines need not keep a NaN's payload.
        if (((low | high) & 0x7ff00000) === 0x7ff00000 && isNaN((columns[index] as Float64Array)[slot])) {
          scratch[0] = (columns[index] as Float64Array)[slot];
          low = words[0];
          high = words[1];
        }
      } else if (kind === VALUE) {
        hasher.value = hash >>> 0;
        const value = (columns[index] as unknown[])[slot];
        if (typeof value === "number") hashNumber(hasher, value, scratch, words);
        else hashValue(hasher, value, scratch, words);
        hash = hasher.value | 0;
        continue;
      } else {
        scratch[0] = kind === INT ? ints[index][slot] : bytes[index][slot];
        low = words[0];
        high = words[1];
      }
      hash = Math.imul(hash ^ low, FNV_PRIME);
      hash = Math.imul(hash ^ high, FNV_PRIME);
    }
  }
  hasher.value = hash >>> 0;
}

const DOUBLE = 0;
const INT = 1;
const BYTE = 2;
const VALUE = 3;

function columnKind(column: Column): number {
  if (column instanceof Float64Array) return DOUBLE;
  if (column instanceof Int32Array) return INT;
  if (column instanceof Uint8Array) return BYTE;
  return VALUE;
}

/** Plain Ribbon data: numbers, booleans, strings, arrays and objects with sorted keys. */
export function hashValue(hasher: Hasher, value: unknown, scratch: Float64Array, words: Uint32Array): void {
  switch (typeof value) {
    case "number":
      hashNumber(hasher, value, scratch, words);
      return;
    case "boolean":
      hashWord(hasher, value ? 2 : 1);
      return;
    case "string":
      hashString(hasher, value);
      return;
    case "object":
      if (value === null) return hashWord(hasher, 0);
      for (const key of Object.keys(value).sort()) {
        hashString(hasher, key);
        hashValue(hasher, (value as Record<string, unknown>)[key], scratch, words);
      }
      return;
    default:
      hashWord(hasher, 0);
  }
}

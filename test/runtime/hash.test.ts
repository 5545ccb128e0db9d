// World hashes are stored in every recording, so hashing a pool must give the same value however
// it is computed: the fast pool hash (runtime/snapshot.ts) against the plain definition, value by
// value, on pools with every column kind, free slots and awkward numbers.

import { describe, expect, it } from "vitest";
import { Pool } from "../../engine/runtime/pool.ts";
import { createHasher, hashNumber, hashPool, hashString, hashValue, hashWord, type Hasher } from "../../engine/runtime/snapshot.ts";

/** The definition: name, size, then per slot its generation and, when live, each column's value. */
function plainHash(pool: Pool): number {
  const hasher: Hasher = createHasher();
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);
  hashString(hasher, pool.name);
  hashWord(hasher, pool.size);
  for (let slot = 0; slot < pool.size; slot++) {
    hashWord(hasher, pool.gens[slot]);
    if (!pool.isLive(slot)) continue;
    for (const column of pool.cols) {
      const value = column[slot];
      if (typeof value === "number") hashNumber(hasher, value, scratch, words);
      else hashValue(hasher, value, scratch, words);
    }
  }
  return hasher.value;
}

function fastHash(pool: Pool): number {
  const hasher = createHasher();
  const scratch = new Float64Array(1);
  hashPool(hasher, pool, scratch, new Uint32Array(scratch.buffer));
  return hasher.value;
}

const NUMBERS = [0, -0, 1.5, -2.25e-300, 1e300, Infinity, -Infinity, NaN, 2 ** 53 - 1, 5e-324, Math.PI];

function filledPool(): Pool {
  const pool = new Pool("main", "things", {
    typeName: "Thing",
    columns: [
      { path: "x", kind: "f64" },
      { path: "count", kind: "i32" },
      { path: "alive", kind: "bool" },
      { path: "kind", kind: "value" },
      { path: "handle", kind: "f64" },
    ],
  });
  for (let index = 0; index < 40; index++) {
    const slot = pool.allocSlot();
    (pool.cols[0] as Float64Array)[slot] = NUMBERS[index % NUMBERS.length] * (index % 3 === 0 ? 1 : -1);
    (pool.cols[1] as Int32Array)[slot] = index % 2 === 0 ? -index * 1_000_003 : index;
    (pool.cols[2] as Uint8Array)[slot] = index % 2;
    (pool.cols[3] as unknown[])[slot] = index % 4 === 0 ? `kind-${index}` : index % 4 === 1 ? index * 0.5 : index % 4 === 2 ? true : { a: index, b: "x" };
    (pool.cols[4] as Float64Array)[slot] = pool.handleOf(slot) * 4096;
  }
  for (const slot of [3, 4, 17, 39]) pool.freeSlot(slot);
  return pool;
}

describe("pool hashes", () => {
  it("the fast hash is the value-by-value definition, on every column kind, with free slots", () => {
    const pool = filledPool();
    expect(fastHash(pool)).toBe(plainHash(pool));
  });

  it("every column and every live value counts: changing one changes the hash", () => {
    const pool = filledPool();
    const before = fastHash(pool);
    for (let column = 0; column < pool.cols.length; column++) {
      const changed = filledPool();
      const values = changed.cols[column] as unknown as unknown[];
      values[10] = column === 3 ? "other" : column === 2 ? 1 - (values[10] as number) : 12345;
      expect(fastHash(changed), `column ${column}`).not.toBe(before);
      expect(fastHash(changed), `column ${column}`).toBe(plainHash(changed));
    }
  });
});

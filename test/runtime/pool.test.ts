// Pool handles at the edges of their encoding: generations large enough that a handle is far past
// 2^31 (where integer tricks on 32 bits would break), slots beyond the capacity, and stale handles.

import { describe, expect, test } from "vitest";
import { asRuntimeError } from "../../engine/runtime/errors.ts";
import { Pool, SLOT_SPAN } from "../../engine/runtime/pool.ts";

function emptyPool(): Pool {
  return new Pool("main", "items", { typeName: "Item", columns: [] });
}

describe("pool handles", () => {
  test("a slot reused half a billion times still decodes, and every older handle is dead", () => {
    const pool = emptyPool();
    const slot = pool.allocSlot();
    pool.freeSlot(slot);
    // Fast-forward the slot's generation as if it had been freed and reused 2^29 times.
    pool.gens[slot] = 2 ** 30;
    expect(pool.allocSlot()).toBe(slot);
    const handle = pool.handleOf(slot);
    expect(handle).toBeGreaterThan(2 ** 50);
    expect(pool.slotOf(handle)).toBe(slot);
    expect(pool.slotOf(handle - 2 * SLOT_SPAN)).toBe(-1);
    pool.freeSlot(slot);
    expect(pool.slotOf(handle)).toBe(-1);
  });

  test("handles of other slots and slots past the capacity are not live", () => {
    const pool = emptyPool();
    const first = pool.handleOf(pool.allocSlot());
    const second = pool.handleOf(pool.allocSlot());
    expect(pool.slotOf(first)).toBe(0);
    expect(pool.slotOf(second)).toBe(1);
    expect(pool.slotOf(first + 5)).toBe(-1);
    expect(pool.slotOf(SLOT_SPAN + pool.capacity + 3)).toBe(-1);
  });

  test("a pool holds 2^24 elements at most: the next alloc is an error, a freed slot is reused", () => {
    // Past 2^24 a slot would share its handles with a lower one (a handle keeps 24 slot bits).
    const pool = emptyPool();
    for (let index = 0; index < SLOT_SPAN; index++) pool.allocSlot();
    expect(pool.live).toBe(SLOT_SPAN);
    expect(() => pool.allocSlot()).toThrow("pool 'items (module main) is full: it holds 16777216 elements at most");
    pool.freeSlot(12345);
    expect(pool.allocSlot()).toBe(12345);
    expect(() => pool.allocSlot()).toThrow(/is full/);
  });

  test("running out of memory while a pool grows is Ribbon's too-large error, not an internal one", () => {
    // What V8 throws when it cannot allocate a column's buffer (too big to provoke in a test).
    const error = asRuntimeError(new RangeError("Array buffer allocation failed"), null);
    expect([error.kind, error.message]).toEqual(["too-large", "out of memory growing a pool: is a loop allocating without end?"]);
  });
});

// Ribbon's migratable allocator: a pool of one struct type stored as columns (struct of arrays),
// addressed by generational handles so a freed pointer is caught instead of corrupting data.

import { RibbonRuntimeError, type Site } from "./errors.ts";

/** How one leaf of the element type is stored. Vec2 fields take two f64 columns. */
export type ColumnKind = "f64" | "i32" | "bool" | "value";

export interface ColumnSpec {
  /** Field path, e.g. "pos.x", "mode#tag", "mode.Chase.target". */
  path: string;
  kind: ColumnKind;
}

export interface PoolLayout {
  /** Name of the element type, e.g. "Body". */
  typeName: string;
  columns: ColumnSpec[];
}

export type Column = Float64Array | Int32Array | Uint8Array | unknown[];

/** Everything that decides a pool's behaviour, as `Pool.load` takes it. */
export interface PoolContents {
  gens: Uint32Array;
  cols: Column[];
  size: number;
  live: number;
  freeList: readonly number[];
}

/**
 * Slots per generation step in a handle: handle = generation * SLOT_SPAN + slot. It is also how
 * many elements a pool can hold: a slot past it would share its handles with a lower one.
 */
export const SLOT_SPAN = 16777216;
/** The slot bits of a handle. */
export const SLOT_MASK = SLOT_SPAN - 1;
const INITIAL_CAPACITY = 16;

export class Pool {
  readonly name: string;
  readonly module: string;
  readonly layout: PoolLayout;
  /** Odd generation: slot is live; even: free. Handles remember the generation they were made with. */
  gens: Uint32Array;
  cols: Column[];
  /** One past the highest slot ever used: iteration walks slots [0, size). */
  size = 0;
  live = 0;
  private freeSlots: number[] = [];

  constructor(module: string, name: string, layout: PoolLayout, capacity = INITIAL_CAPACITY) {
    this.module = module;
    this.name = name;
    this.layout = layout;
    this.gens = new Uint32Array(capacity);
    this.cols = layout.columns.map((column) => createColumn(column.kind, capacity));
  }

  get capacity(): number {
    return this.gens.length;
  }

  /**
   * Reserves a slot and returns it; the caller writes every column. Free slots are reused LIFO.
   * `site` is the `alloc` that asks, named in the error when the pool is full.
   */
  allocSlot(site: Site | null = null): number {
    if (this.freeSlots.length === 0 && this.size >= SLOT_SPAN) {
      throw new RibbonRuntimeError("pool-full", `pool '${this.name} (module ${this.module}) is full: it holds ${SLOT_SPAN} elements at most (is a loop allocating without end?)`, site);
    }
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.size++;
    if (slot >= this.gens.length) this.grow(this.gens.length * 2);
    this.gens[slot]++;
    this.live++;
    return slot;
  }

  handleOf(slot: number): number {
    return this.gens[slot] * SLOT_SPAN + slot;
  }

  /** The slot a handle points to, or -1 when the element was freed. */
  slotOf(handle: number): number {
    const slot = handle & SLOT_MASK;
    return this.gens[slot] * SLOT_SPAN + slot === handle ? slot : -1;
  }

  isLive(slot: number): boolean {
    return (this.gens[slot] & 1) === 1;
  }

  freeSlot(slot: number): void {
    this.gens[slot]++;
    this.live--;
    for (let index = 0; index < this.cols.length; index++) {
      const column = this.cols[index];
      if (Array.isArray(column)) column[slot] = undefined;
    }
    this.freeSlots.push(slot);
  }

  /** Empties the pool (module reset); outstanding handles become dead. */
  clear(): void {
    for (let slot = 0; slot < this.size; slot++) if (this.isLive(slot)) this.freeSlot(slot);
  }

  /** Live slots in iteration order. */
  liveSlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.size; slot++) if (this.isLive(slot)) slots.push(slot);
    return slots;
  }

  /** Free list, for snapshots: restoring it keeps allocation order (and so replays) exact. */
  freeList(): readonly number[] {
    return this.freeSlots;
  }

  restoreFreeList(slots: readonly number[]): void {
    this.freeSlots = [...slots];
  }

  /**
   * Replaces the whole contents (snapshot restore, replay checkpoints): arrays are rebuilt at a
   * capacity that fits, so later growth behaves as it would have.
   */
  load(contents: PoolContents): void {
    let capacity = Math.max(INITIAL_CAPACITY, this.capacity);
    while (capacity < contents.size) capacity *= 2;
    this.gens = new Uint32Array(capacity);
    this.gens.set(contents.gens.subarray(0, contents.size));
    this.cols = contents.cols.map((column) => {
      if (Array.isArray(column)) return column.slice(0, contents.size);
      const copy = new (column.constructor as Float64ArrayConstructor)(capacity);
      copy.set((column as Float64Array).subarray(0, contents.size));
      return copy;
    });
    this.size = contents.size;
    this.live = contents.live;
    this.freeSlots = [...contents.freeList];
  }

  /** Growth replaces the arrays; handles stay valid because they hold slots, not references. */
  grow(capacity: number): void {
    const gens = new Uint32Array(capacity);
    gens.set(this.gens);
    this.gens = gens;
    this.cols = this.cols.map((column, index) => {
      const next = createColumn(this.layout.columns[index].kind, capacity);
      if (Array.isArray(column)) (next as unknown[]).push(...column.slice(0, this.size));
      else (next as Float64Array).set(column as Float64Array);
      return next;
    });
  }
}

function createColumn(kind: ColumnKind, capacity: number): Column {
  switch (kind) {
    case "f64":
      return new Float64Array(capacity);
    case "i32":
      return new Int32Array(capacity);
    case "bool":
      return new Uint8Array(capacity);
    case "value":
      return [];
    default: {
      const never: never = kind;
      return never;
    }
  }
}

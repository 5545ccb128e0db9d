// World images: a world's complete simulation state as plain JSON data (checkpoints in replay
// files), and back. Covers what runtime/snapshot.ts covers (pools with generations and free
// lists, module state, random state, tick) plus module versions, halted modules, the fiber
// counter and the suspended fibers' stacks (runtime/fiber-stacks.ts). A world with a fiber whose
// stack cannot be saved (it waits where its frame cannot be re-entered) can be imaged (for diffs)
// but not restored.

import { RibbonRuntimeError, type RuntimeErrorKind } from "../runtime/errors.ts";
import type { ModuleInstance } from "../runtime/module.ts";
import type { Column, ColumnKind, Pool } from "../runtime/pool.ts";
import type { World } from "../runtime/world.ts";
import { restoreFibers, saveFibers, type SavedFiber } from "../runtime/fiber-stacks.ts";
import { decodeTyped, encodeTyped } from "./base64.ts";
import type { ColumnImage, FiberImage, ModuleImage, PoolImage, WorldImage } from "./format.ts";
import { decodeValue, demangle, encodeValue, type EncodedValue } from "./values.ts";

export function captureImage(world: World): WorldImage {
  return snapshotImage(world).encode();
}

/** A world image whose typed-array columns are copied now and encoded on first use. */
export interface ImageSnapshot {
  /** Suspended fibers, whether their stacks were saved, and probation: known at once (restorability). */
  fibers: number;
  stacks?: FiberImage[];
  unsaved?: string;
  unkept?: string;
  probation: boolean;
  encode(): WorldImage;
}

/** The first value an image could not hold, described for `unkept`. */
interface Losses {
  first: string | null;
}

/** encodeValue, noting in `losses` what `where` held that could not be kept. */
function encodeNoting(value: unknown, losses: Losses, where: () => string): EncodedValue {
  const unkept = { functions: 0 };
  const encoded = encodeValue(value, unkept);
  if (unkept.functions > 0 && losses.first === null) losses.first = `${where()} holds a function`;
  return encoded;
}

/**
 * Copies what an image needs (a memory copy per column: cheap enough for a frame) and defers
 * the base64 encoding, so a recording checkpoint does not stall the frame it is taken on.
 */
export function snapshotImage(world: World): ImageSnapshot {
  const halted: WorldImage["halted"] = {};
  for (const [module, error] of world.halted) halted[module] = { kind: error.kind, message: error.message };
  const losses: Losses = { first: null };
  const fibers = fiberStacks(world);
  const modules = world.modules.map((instance) => moduleSnapshot(instance, losses));
  const head = {
    tick: world.tick,
    random: [world.random.a, world.random.b, world.random.c, world.random.d] as WorldImage["random"],
    nextFiberId: world.nextFiberId,
    fibers: world.fibers.length,
    ...fibers,
    ...(losses.first !== null ? { unkept: losses.first } : {}),
    probation: world.probation !== null,
    halted,
  };
  let encoded: WorldImage | null = null;
  return {
    fibers: head.fibers,
    ...(head.stacks ? { stacks: head.stacks } : {}),
    ...(head.unsaved ? { unsaved: head.unsaved } : {}),
    ...(head.unkept ? { unkept: head.unkept } : {}),
    probation: head.probation,
    encode: () => (encoded ??= { ...head, modules: modules.map((module) => module()) }),
  };
}

/** `stacks` when every suspended fiber could be saved, else `unsaved` with the reason; nothing without fibers. */
function fiberStacks(world: World): Pick<WorldImage, "stacks" | "unsaved"> {
  if (world.fibers.length === 0) return {};
  // A fiber holding a function is not saved (runtime/fiber-stacks.ts says which and why).
  const saved = saveFibers(world);
  if (saved.kind === "unsaved") return { unsaved: saved.why };
  return {
    stacks: saved.fibers.map((fiber) => ({
      ...fiber,
      frames: fiber.frames.map((frame) => ({ ...frame, locals: frame.locals.map((local) => encodeValue(local)) })),
    })),
  };
}

function moduleSnapshot(instance: ModuleInstance, losses: Losses): () => ModuleImage {
  const state: Record<string, EncodedValue> = {};
  for (const key of Object.keys(instance.state)) {
    state[key] = encodeNoting(instance.state[key], losses, () => `module ${instance.name} state ${demangle(key)}`);
  }
  const pools = Object.entries(instance.pools).map(([key, pool]) => poolSnapshot(key, pool));
  const name = instance.name;
  const version = instance.version;
  return () => ({ name, version, state, pools: pools.map((pool) => pool()) });
}

function poolSnapshot(key: string, pool: Pool): () => PoolImage {
  const size = pool.size;
  const gens = pool.gens.slice(0, size);
  const columns = pool.layout.columns.map((spec, index) => columnSnapshot(spec.path, spec.kind, pool.cols[index], size));
  const head = { key, name: pool.name, size, live: pool.live, free: [...pool.freeList()] };
  return () => ({ ...head, gens: encodeTyped(gens, size), columns: columns.map((column) => column()) });
}

function columnSnapshot(path: string, kind: ColumnKind, column: Column, size: number): () => ColumnImage {
  switch (kind) {
    case "f64":
    case "i32":
    case "bool": {
      const copy = (column as Float64Array | Int32Array | Uint8Array).slice(0, size);
      return () => ({ path, kind, data: encodeTyped(copy, size) });
    }
    case "value": {
      const values: EncodedValue[] = [];
      for (let slot = 0; slot < size; slot++) values.push(encodeValue((column as unknown[])[slot]));
      return () => ({ path, kind, values });
    }
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Null when seeking may start from this image, else why not. */
export function whyNotRestorable(image: Pick<WorldImage, "fibers" | "stacks" | "unsaved" | "unkept" | "probation">): string | null {
  if (image.unkept) return `${image.unkept}, which an image cannot hold`;
  if (image.fibers > 0 && image.stacks?.length !== image.fibers) {
    return `${image.fibers} suspended fiber${image.fibers === 1 ? "" : "s"}: ${image.unsaved ?? "their stacks are not in the image"}`;
  }
  if (image.probation) return "a reload was on probation";
  return null;
}

// ---------------------------------------------------------------- decoding

/** A column decoded to one value per slot. */
export type DecodedColumn = { path: string; kind: ColumnKind; values: ArrayLike<unknown> };

export interface DecodedPool {
  key: string;
  name: string;
  size: number;
  live: number;
  free: number[];
  gens: Uint32Array;
  columns: DecodedColumn[];
}

/** Decodes a pool image; throws with a sentence when its data is damaged. */
export function decodePool(module: string, image: PoolImage): DecodedPool {
  const where = `checkpoint pool ${module}/${image.name}`;
  const gens = decodeTyped(image.gens, image.size, image.size, (n) => new Uint32Array(n));
  if (!gens) throw new Error(`${where}: generations do not hold ${image.size} slots`);
  const columns = image.columns.map((column): DecodedColumn => {
    if (column.kind === "value") {
      if (column.values.length !== image.size) throw new Error(`${where}: column ${column.path} does not hold ${image.size} slots`);
      return { path: column.path, kind: "value", values: column.values.map(decodeValue) };
    }
    const values = decodeTyped(column.data, image.size, image.size, makerFor(column.kind));
    if (!values) throw new Error(`${where}: column ${column.path} does not hold ${image.size} slots`);
    return { path: column.path, kind: column.kind, values };
  });
  return { key: image.key, name: image.name, size: image.size, live: image.live, free: image.free, gens, columns };
}

function makerFor(kind: "f64" | "i32" | "bool"): (capacity: number) => Float64Array | Int32Array | Uint8Array {
  switch (kind) {
    case "f64":
      return (n) => new Float64Array(n);
    case "i32":
      return (n) => new Int32Array(n);
    case "bool":
      return (n) => new Uint8Array(n);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

// ---------------------------------------------------------------- restoring

/**
 * Puts a world (whose modules are the image's program) into the image's state. Pools are refilled
 * in place, so generated code that holds the pools record keeps working. Returns null, or why the
 * image does not fit the world.
 */
export function loadImage(world: World, image: WorldImage): string | null {
  const why = whyNotRestorable(image);
  if (why) return `cannot restore: ${why}`;
  const names = world.modules.map((instance) => instance.name);
  const imaged = image.modules.map((module) => module.name);
  if ([...names].sort().join(", ") !== [...imaged].sort().join(", ")) return `the checkpoint's modules (${imaged.join(", ")}) are not the program's (${names.join(", ")})`;
  // Rebuilt before anything changes: a stack that does not fit the code leaves the world as it was.
  const fibers = restoreFibers(world, (image.stacks ?? []).map(decodeFiber));
  if (typeof fibers === "string") return `cannot restore the suspended fibers: ${fibers}`;
  // Everything is decoded and checked first, so a damaged image leaves the world as it was.
  let loads: Array<() => void>;
  try {
    loads = image.modules.map((module) => moduleLoad(world.byName[module.name], module));
  } catch (error) {
    return (error as Error).message;
  }
  // Same modules; the image's update order wins (`ribbon run` orders by the manifest).
  world.modules = imaged.map((name) => world.byName[name]);
  for (const load of loads) load();
  world.tick = image.tick;
  [world.random.a, world.random.b, world.random.c, world.random.d] = image.random;
  world.nextFiberId = image.nextFiberId;
  world.fibers = fibers;
  world.probation = null;
  world.halted = new Map(Object.entries(image.halted).map(([module, error]) => [module, new RibbonRuntimeError(error.kind as RuntimeErrorKind, error.message, null)]));
  return null;
}

function decodeFiber(image: FiberImage): SavedFiber {
  return { ...image, frames: image.frames.map((frame) => ({ ...frame, locals: frame.locals.map(decodeValue) })) };
}

/** Decodes and checks a module's image; throws with a sentence, else returns what puts it in place. */
function moduleLoad(instance: ModuleInstance, image: ModuleImage): () => void {
  const state = Object.entries(image.state).map(([key, value]) => [key, decodeValue(value)] as const);
  const keys = Object.keys(instance.pools).sort().join(", ");
  if (keys !== image.pools.map((pool) => pool.key).sort().join(", ")) throw new Error(`module ${instance.name}: the checkpoint's pools do not match the program's`);
  const pools = image.pools.map((poolImage) => poolLoad(instance.pools[poolImage.key], decodePool(instance.name, poolImage)));
  return () => {
    instance.version = image.version;
    for (const key of Object.keys(instance.state)) delete instance.state[key];
    for (const [key, value] of state) instance.state[key] = value;
    for (const load of pools) load();
  };
}

function poolLoad(pool: Pool, decoded: DecodedPool): () => void {
  const specs = pool.layout.columns;
  const layoutOf = (columns: Array<{ path: string; kind: string }>) => columns.map((column) => `${column.path}:${column.kind}`).join(",");
  if (layoutOf(specs) !== layoutOf(decoded.columns)) throw new Error(`pool ${pool.module}/${pool.name}: the checkpoint's columns do not match the program's layout`);
  const cols = decoded.columns.map((column) => (column.kind === "value" ? Array.from(column.values) : (column.values as Float64Array)));
  return () => pool.load({ gens: decoded.gens, cols, size: decoded.size, live: decoded.live, freeList: decoded.free });
}

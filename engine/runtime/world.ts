// A running game: module instances in manifest order, fibers, the seeded random state, this
// tick's input and draw list. `stepWorld` is the fixed-tick scheduler.

import { DRAW_COST, PRINT_COST, SPAWN_COST } from "./budget.ts";
import type { DrawCommand, Host, InputFrame } from "./host.ts";
import { NO_INPUT } from "./host.ts";
import { asRuntimeError, RibbonRuntimeError, type Site } from "./errors.ts";
import { createFactory, createInstance, instantiate, type FactoryCache } from "./load.ts";
import type { CompiledModule, ModuleInstance } from "./module.ts";
import { effectKey, operationKey } from "./names.ts";
import { nextFloat, nextRange, nextInt, seedRandom, type RandomState } from "./random.ts";
import { createRuntimeSupport, type FrameRecord, type HandlerTable, type RuntimeSupport } from "./support.ts";

export const TICKS_PER_SECOND = 60;
export const TICK_SECONDS = 1 / TICKS_PER_SECOND;
/** Loop iterations one update or fiber step may run before it is stopped as stuck. */
export const DEFAULT_LOOP_BUDGET = 50_000_000;
/**
 * Fibers alive at once, at most: the loop budget stops one loop spawning without end, this stops
 * fibers that spawn fibers tick after tick (doubling, they would fill memory in a few seconds).
 */
export const MAX_FIBERS = 1_000_000;

export interface Fiber {
  id: number;
  /** Module whose function started the fiber. */
  module: string;
  frames: FrameRecord[];
  start: () => unknown;
  resumable: boolean;
  iterator: Iterator<unknown> | null;
  wakeTick: number;
  handlers: HandlerTable;
}

export interface World {
  tick: number;
  modules: ModuleInstance[];
  byName: Record<string, ModuleInstance>;
  random: RandomState;
  fibers: Fiber[];
  nextFiberId: number;
  input: InputFrame;
  draw: DrawCommand[];
  /** False: Draw operations do nothing and `draw` stays empty (nothing will show the frame). */
  drawing: boolean;
  rt: RuntimeSupport;
  /**
   * The host's handlers, built once per start and never changed: module code runs on a copy
   * (`rt.h`, which `with` blocks shadow and restore), and so does each fiber (`handlerTable`).
   */
  hostHandlers: HandlerTable;
  host: Host;
  loopBudget: number;
  maxFibers: number;
  /** Modules whose update failed: halted until their next reload, so one bug does not flood. */
  halted: Map<string, RibbonRuntimeError>;
  seed: number;
  factories: FactoryCache;
  /** After a reload: until `untilTick`, a runtime error hands control to `onError` (rollback). */
  probation: { untilTick: number; onError: (error: RibbonRuntimeError) => void } | null;
}

export interface WorldOptions {
  seed?: number;
  loopBudget?: number;
  /** Fibers alive at once, at most (default MAX_FIBERS). */
  maxFibers?: number;
  /**
   * Collect Draw commands (default true). Runs that show nothing (`ribbon run`, replays) turn it
   * off: a command object per sprite per tick is a sizeable share of a busy tick.
   */
  drawing?: boolean;
  /** Shared between worlds (restarts, benchmarks) so compiled functions stay warm. */
  factories?: FactoryCache;
}

export function createWorld(compiled: CompiledModule[], host: Host, options: WorldOptions = {}): World {
  const world = {} as World;
  Object.assign(world, {
    tick: 0,
    modules: [],
    byName: Object.create(null),
    random: seedRandom(options.seed ?? 1),
    fibers: [],
    nextFiberId: 1,
    input: NO_INPUT,
    draw: [],
    drawing: options.drawing ?? true,
    rt: createRuntimeSupport((start, module, resumable) => spawnFiber(world, start, module, resumable)),
    host,
    loopBudget: options.loopBudget ?? DEFAULT_LOOP_BUDGET,
    maxFibers: options.maxFibers ?? MAX_FIBERS,
    halted: new Map(),
    seed: options.seed ?? 1,
    factories: options.factories ?? new Map(),
    probation: null,
  });
  installModules(world, compiled);
  return world;
}

/** Fresh instances of every module, instantiated against this world's runtime support. */
function installModules(world: World, compiled: CompiledModule[]): void {
  world.hostHandlers = buildHostHandlers(world);
  world.rt.h = handlerTable(world);
  world.rt.fiber = null;
  world.modules = [];
  world.byName = Object.create(null);
  for (const module of compiled) {
    const instance = createInstance(module, 1);
    world.modules.push(instance);
    world.byName[module.name] = instance;
  }
  for (const instance of world.modules) {
    instantiate(world.rt, instance, world.byName, createFactory(instance.compiled, world.factories));
  }
}

/**
 * Fast restart: the same World object starts over from its initial state with the given code,
 * without reloading the process, the page or the assets.
 */
export function restartWorld(world: World, compiled: CompiledModule[]): void {
  world.tick = 0;
  Object.assign(world.random, seedRandom(world.seed));
  world.fibers = [];
  world.halted.clear();
  world.probation = null;
  world.draw = [];
  installModules(world, compiled);
  startWorld(world);
}

/** Fresh start: every module's state from its initializers, then each `init` in manifest order. */
export function startWorld(world: World): void {
  for (const instance of world.modules) guard(world, instance.name, () => instance.entry.initState());
  for (const instance of world.modules) {
    const init = instance.entry.init;
    if (init) guard(world, instance.name, () => init());
  }
}

/** One fixed tick: each module's update in manifest order, then the fibers that are due. */
export function stepWorld(world: World, input: InputFrame = NO_INPUT): void {
  world.input = input;
  world.draw = [];
  for (const instance of world.modules) {
    const update = instance.entry.update;
    if (!update || world.halted.has(instance.name)) continue;
    const error = guard(world, instance.name, () => update(TICK_SECONDS));
    if (!error) continue;
    // A rollback puts the world back before the reload, tick included: the rest of this tick
    // must not run on top of it, or the restored world would be half a tick ahead.
    if (onProbationError(world, error)) return;
    world.halted.set(instance.name, error);
  }
  if (runFibers(world) === "rolled-back") return;
  world.tick++;
  if (world.probation && world.tick >= world.probation.untilTick) world.probation = null;
}

/** During probation a runtime error rolls the reload back instead of halting the module. */
function onProbationError(world: World, error: RibbonRuntimeError): boolean {
  const probation = world.probation;
  if (!probation || world.tick >= probation.untilTick) return false;
  world.probation = null;
  probation.onError(error);
  return true;
}

/** Runs Ribbon code with a fresh loop budget; a runtime error is reported, never thrown on. */
function guard(world: World, module: string, body: () => void): RibbonRuntimeError | null {
  world.rt.budget.left = world.loopBudget;
  try {
    body();
    return null;
  } catch (thrown) {
    const error = asRuntimeError(thrown, moduleSite(world, module));
    world.host.runtimeError(error);
    return error;
  }
}

function moduleSite(world: World, module: string): Site | null {
  const instance = world.byName[module];
  return instance ? { module, file: instance.compiled.path, line: 1, column: 1, function: "" } : null;
}

// ---------------------------------------------------------------- fibers

function spawnFiber(world: World, start: () => unknown, module: string, resumable: boolean): void {
  world.rt.budget.left -= SPAWN_COST;
  if (world.fibers.length >= world.maxFibers) {
    throw new RibbonRuntimeError("too-many-fibers", `too many fibers: ${world.maxFibers} are alive (is a fiber spawning fibers without end?)`, moduleSite(world, module));
  }
  world.fibers.push({
    id: world.nextFiberId++,
    module,
    frames: [],
    start,
    resumable,
    iterator: null,
    wakeTick: world.tick,
    handlers: handlerTable(world),
  });
}

/**
 * A handler table of its own for code to run on (module updates, each fiber): the host's
 * handlers, whose entries that code's `with` blocks shadow and restore.
 */
export function handlerTable(world: World): HandlerTable {
  // The operations are shared: a `with` replaces a table's entry for its effect, never an
  // operation of the entry it shadows.
  return { ...world.hostHandlers };
}

/** What resuming a fiber led to; a failure during probation rolls the whole reload back. */
type FiberStep = "suspended" | "finished" | "rolled-back";

/** Resumes due fibers in spawn order; fibers spawned now start in this same phase. */
function runFibers(world: World): "done" | "rolled-back" {
  for (let index = 0; index < world.fibers.length; index++) {
    const fiber = world.fibers[index];
    if (fiber.wakeTick > world.tick) continue;
    const step = resumeFiber(world, fiber);
    switch (step) {
      case "suspended":
        continue;
      case "finished":
        world.fibers.splice(index, 1);
        index--;
        continue;
      case "rolled-back": {
        // The rollback replaced the fiber list; the failed fiber's stack is spent either way.
        const at = world.fibers.indexOf(fiber);
        if (at >= 0) world.fibers.splice(at, 1);
        return "rolled-back";
      }
      default: {
        const never: never = step;
        return never;
      }
    }
  }
  return "done";
}

function resumeFiber(world: World, fiber: Fiber): FiberStep {
  const rt = world.rt;
  const savedHandlers = rt.h;
  rt.h = fiber.handlers;
  rt.fiber = fiber;
  try {
    let alive = false;
    const error = guard(world, fiber.module, () => {
      alive = stepFiber(world, fiber);
    });
    if (error) return onProbationError(world, error) ? "rolled-back" : "finished";
    return alive ? "suspended" : "finished";
  } finally {
    rt.h = savedHandlers;
    rt.fiber = null;
  }
}

function stepFiber(world: World, fiber: Fiber): boolean {
  if (!fiber.resumable) {
    fiber.start();
    return false;
  }
  fiber.iterator ??= fiber.start() as Iterator<unknown>;
  const result = fiber.iterator.next();
  if (result.done) return false;
  fiber.wakeTick = world.tick + ticksFor(result.value as number);
  return true;
}

/** The longest `wait`, in ticks (about 580 years): wake ticks stay whole numbers a world image can hold. */
export const MAX_WAIT_TICKS = 2 ** 40;

/**
 * `wait s` resumes after round(s * 60) ticks, at least one (NaN and negative times too) and at
 * most MAX_WAIT_TICKS (Infinity too); `next-frame ()` waits one tick.
 */
export function ticksFor(seconds: number): number {
  const ticks = Math.round(seconds * TICKS_PER_SECOND);
  return ticks >= 1 ? Math.min(ticks, MAX_WAIT_TICKS) : 1;
}

/** Modules with frames on the stack of a suspended fiber (for the reload stop-the-world check). */
export function modulesOnFiberStacks(world: World): Set<string> {
  const modules = new Set<string>();
  for (const fiber of world.fibers) {
    modules.add(fiber.module);
    for (const frame of fiber.frames) modules.add(frame.module);
  }
  return modules;
}

// ---------------------------------------------------------------- host effects

function buildHostHandlers(world: World): HandlerTable {
  const op = operationKey;
  return {
    [effectKey("Log")]: {
      [op("print-line")]: (line: string) => {
        world.rt.budget.left -= PRINT_COST;
        world.host.log(line);
      },
    },
    [effectKey("engine/input/Input")]: {
      [op("down")]: (key: string) => world.input.down.has(key),
      [op("pressed")]: (key: string) => world.input.pressed.has(key),
      [op("released")]: (key: string) => world.input.released.has(key),
      [op("pointer")]: () => ({ x: world.input.pointer.x, y: world.input.pointer.y }),
      [op("pointer-down")]: () => world.input.pointerDown,
      [op("pointer-pressed")]: () => world.input.pointerPressed,
    },
    [effectKey("engine/rand/Rand")]: {
      [op("float")]: () => nextFloat(world.random),
      [op("range")]: (low: number, high: number) => nextRange(world.random, low, high),
      [op("int")]: (low: number, high: number) => nextInt(world.random, low, high),
      [op("chance")]: (probability: number) => nextFloat(world.random) < probability,
    },
    [effectKey("engine/draw/Draw")]: drawHandlers(world),
    [effectKey("hot/Reload")]: { [op("migrate")]: () => ({ tag: 0 }) },
  };
}

/**
 * Vec2 arguments arrive split into x and y, as generated code passes them. With drawing off (a
 * headless replay) every operation does nothing, without building the command first, and the
 * handler says it is `silent`: functions that draw then run their quiet twins, which skip what is
 * only drawn but still fail where the drawing code fails (failing changes what the rest of its
 * update does).
 */
function drawHandlers(world: World): Record<string, unknown> {
  const op = operationKey;
  const push = (command: DrawCommand) => {
    world.rt.budget.left -= DRAW_COST;
    world.draw.push(command);
  };
  const handlers: Record<string, unknown> = {
    [op("sprite")]: (texture: string, x: number, y: number, rotation: number, scale: number) =>
      push({ kind: "sprite", texture, x, y, rotation, scale, tint: 0xffffff }),
    [op("tinted")]: (texture: string, x: number, y: number, rotation: number, scale: number, tint: number) =>
      push({ kind: "sprite", texture, x, y, rotation, scale, tint }),
    [op("circle")]: (x: number, y: number, radius: number, color: number) => push({ kind: "circle", x, y, radius, color }),
    [op("rect")]: (x: number, y: number, width: number, height: number, color: number) =>
      push({ kind: "rect", x, y, width, height, color }),
    [op("line")]: (x1: number, y1: number, x2: number, y2: number, width: number, color: number) =>
      push({ kind: "line", x1, y1, x2, y2, width, color }),
    [op("text")]: (text: string, x: number, y: number, size: number, color: number) => push({ kind: "text", text, x, y, size, color }),
    [op("camera")]: (x: number, y: number, zoom: number) => push({ kind: "camera", x, y, zoom }),
  };
  if (world.drawing) return handlers;
  const nothing = () => {
    world.rt.budget.left -= DRAW_COST;
  };
  // `silent`: generated drawing code may then run its quiet twin (codegen/quiet-draw.ts).
  return { ...Object.fromEntries(Object.keys(handlers).map((key) => [key, nothing])), silent: true };
}

// The code buffer of one generated JavaScript function: indented lines, fresh temporaries, and
// ordered evaluation (when a later operand needs statements, earlier operands are spilled first).

import type { Span } from "../diagnostics/diagnostic.ts";
import { locate } from "../diagnostics/source.ts";
import type { Site } from "../runtime/errors.ts";
import type { CheckedProgram, FunExpr, LocalBinding, ModuleInfo } from "../checker/program.ts";
import type { StructInfo } from "../checker/types.ts";
import type { BodyFacts } from "./facts.ts";
import type { IndexedLayout } from "./layout.ts";
import type { ResumePlan } from "./resume-plan.ts";
import type { ScalarUnion } from "./scalar-unions.ts";

export interface ModuleGen {
  program: CheckedProgram;
  module: ModuleInfo;
  sites: Site[];
  /** Module-level helper declarations (readers, writers, formatters, variant constants). */
  helpers: string[];
  helperNames: Map<string, string>;
  nextTemp: number;
  /** Whether an expression (a loop or `with` body) may free or allocate, found once (see pool-effects.ts). */
  bodyEffects: Map<object, { free: boolean; alloc: boolean }>;
  /** Which functions have a quiet twin (quiet-draw.ts), found once. */
  quietTwins: Map<object, boolean>;
  /** The same for the bodies of quiet twins (quiet-draw.ts), whose own Draw operations do nothing. */
  quietBodyEffects: Map<object, { free: boolean; alloc: boolean }>;
  /**
   * Other modules the code reads, each bound once in the module header: its imports, plus modules
   * reached without an import (a default of an imported struct naming its own module's constant,
   * a pointer into a pool of a module imported only by an import).
   */
  referenced: Set<string>;
  /** What each top-level function's body calls and contains (facts.ts), found once. */
  facts: Map<object, BodyFacts>;
  /** Pool element layouts, built once per struct. */
  layouts: Map<StructInfo, IndexedLayout>;
  /** Memo of which functions may free or allocate (see pool-effects.ts). */
  poolEffects: Map<object, Map<"free" | "alloc", boolean>>;
  /** Names of `with` frames and handler values, the targets `cancel` throws to. */
  cancelNames: Map<object, string>;
  /** Top-level function being generated (or compiled in place), for runtime error messages. */
  functionName: string;
  /** Whether calls may be compiled in place at all (inline.ts). */
  inline: boolean;
  /**
   * Whether imported constants written as literals compile as their values (expressions.ts
   * literalConstant): not in a module a fiber can wait in, whose code must stay the same when
   * only an imported module changes (see generate.ts canHoldFiberFrames).
   */
  foldImportedConstants: boolean;
  /** Size of a function whose calls may be compiled in place, or null (inline.ts), found once. */
  inlinable: Map<object, number | null>;
  /** Calls of each function of the module by the module's functions (inline.ts), counted once. */
  callSites: Map<object, number> | null;
  /** Scalar union locals of each function body compiled in place (inline.ts), found once. */
  inlinedScalarUnions: Map<object, Map<LocalBinding, ScalarUnion>>;
  /** Resumable lambdas with restorable points, compiled as module-level functions. */
  lambdas: string[];
  /** `name: { points, calls, locals, enter }` for each function a saved fiber frame can re-enter. */
  resumeEntries: string[];
}

/**
 * How a `for x in pool.` binder reaches its element without decoding the handle. Code generation
 * tracks, along the straight-line code it emits, whether the element is known to be alive
 * (`verified`) and whether the cached column arrays are current (`fresh`); only calls, `free` and
 * `alloc` can change that, so most accesses need neither a check nor a reload.
 */
export interface PoolBinder {
  pool: string;
  /** For a loop binder: the pool expression the loop's `pool` local was bound from. */
  source?: string;
  slot: string;
  /** Generation captured at the start of the iteration, or null when the body cannot free. */
  generation: string | null;
  /**
   * Set for an immutable pointer local decoded once (not a loop binder): its handle, re-checked
   * with `rt.slot` when no longer verified. Such a binder lives in the block that decoded it.
   */
  handle?: string;
  /** Locals caching `pool.cols[i]`, refreshed after anything that may grow the pool. */
  columns: string[];
  verified: boolean;
  fresh: boolean;
}

/**
 * A column array of a pool, read once into a local of the function (`let k3 = POOLS.p_bodies.cols[0]`
 * declared at its top) and re-read only after something that may grow the pool. Tracked like a
 * binder's columns: `fresh` along the code emitted so far.
 */
export interface ColumnCache {
  name: string;
  /** `POOLS.p_bodies.cols[0]`. */
  source: string;
  verified: boolean;
  fresh: boolean;
}

export interface FunctionGen {
  module: ModuleGen;
  lines: string[];
  indent: string;
  resumable: boolean;
  binders: Map<LocalBinding, PoolBinder>;
  /** Union locals of this function kept as scalars (scalar-unions.ts); empty outside functions. */
  scalarUnions: Map<LocalBinding, ScalarUnion>;
  /** Where a saved frame of this resumable function can be re-entered, or null (resume-plan.ts). */
  resume: ResumePlan | null;
  /** Column arrays read through decoded pointers, by source; null outside function bodies. */
  columnCaches: Map<string, ColumnCache> | null;
  /** How many calls compiled in place (inline.ts) the code being emitted is inside. */
  inlineDepth: number;
  /** How many loop bodies the code being emitted is inside (a body compiled in place counts its caller's). */
  loopDepth: number;
  /** Expressions compiled in place into this function so far (inline.ts). */
  inlinedSize: number;
  /** This is a quiet twin (quiet-draw.ts): Draw operations reach the silent handler. */
  quietDraw: boolean;
  /** In a quiet twin, the locals only dropped values read (quiet-draw.ts); null elsewhere. */
  quietLocals: Set<LocalBinding> | null;
}

export function createFunctionGen(module: ModuleGen, resumable: boolean, indent = "  "): FunctionGen {
  return { module, lines: [], indent, resumable, binders: new Map(), scalarUnions: new Map(), resume: null, columnCaches: null, inlineDepth: 0, loopDepth: 0, inlinedSize: 0, quietDraw: false, quietLocals: null };
}

/**
 * The local holding `${pool}.cols[index]`, (re)loaded here when it may be stale. Only in function
 * bodies (whose locals `declareColumnCaches` declares); elsewhere the plain expression.
 */
export function cachedColumn(gen: FunctionGen, pool: string, index: number): string {
  const source = `${pool}.cols[${index}]`;
  const caches = gen.columnCaches;
  if (!caches) return source;
  let cache = caches.get(source);
  if (!cache) {
    cache = { name: newTemp(gen, "k"), source, verified: true, fresh: false };
    caches.set(source, cache);
  }
  if (!cache.fresh) emit(gen, `${cache.name} = ${source};`);
  cache.fresh = true;
  return cache.name;
}

/** `let k1, k2;` for the column caches a function body used, to put at its top. */
export function declareColumnCaches(gen: FunctionGen): string[] {
  const names = [...(gen.columnCaches?.values() ?? [])].map((cache) => cache.name);
  return names.length > 0 ? [`${gen.indent}let ${names.join(", ")};`] : [];
}

export function emit(gen: FunctionGen, line: string): void {
  gen.lines.push(gen.indent + line);
}

export function newTemp(gen: FunctionGen, prefix = "t"): string {
  return `${prefix}${gen.module.nextTemp++}`;
}

/** Runs `body` one indentation level deeper. */
export function nested(gen: FunctionGen, body: () => void): void {
  const saved = gen.indent;
  const outside = gen.binders.size > 0 ? new Set(gen.binders.keys()) : null;
  gen.indent += "  ";
  body();
  gen.indent = saved;
  // A slot decoded in this block is a `const` of the block: gone after it.
  for (const [binding, binder] of gen.binders) if (binder.handle && !outside?.has(binding)) gen.binders.delete(binding);
}

const SIMPLE = /^(?:[A-Za-z_$][\w$]*|-?\d[\w.+-]*|"(?:[^"\\]|\\.)*"|true|false|undefined)$/;

export function isSimple(code: string): boolean {
  return SIMPLE.test(code);
}

/** Binds `code` to a temporary unless it is already a name or a literal. */
export function spill(gen: FunctionGen, code: string, prefix = "t"): string {
  if (isSimple(code)) return code;
  const name = newTemp(gen, prefix);
  emit(gen, `const ${name} = ${code};`);
  return name;
}

/**
 * Produces several operands left to right. Operands are JavaScript expressions that are only
 * evaluated where they are used, so when a later operand emits statements (a call spilled to a
 * temporary, an `if` turned into statements), the earlier ones are bound to temporaries first,
 * at the point before those statements: source evaluation order is kept.
 */
export function ordered(gen: FunctionGen, producers: Array<() => string[]>): string[][] {
  const results: string[][] = [];
  for (const produce of producers) {
    const mark = gen.lines.length;
    const value = produce();
    if (gen.lines.length > mark) spillEarlier(gen, results, mark);
    results.push(value);
  }
  return results;
}

function spillEarlier(gen: FunctionGen, results: string[][], mark: number): void {
  const spills: string[] = [];
  for (const parts of results) {
    for (let index = 0; index < parts.length; index++) {
      if (isSimple(parts[index])) continue;
      const name = newTemp(gen);
      spills.push(`${gen.indent}const ${name} = ${parts[index]};`);
      parts[index] = name;
    }
  }
  gen.lines.splice(mark, 0, ...spills);
}

/** Registers a source position for runtime errors and returns the expression that names it. */
export function site(gen: FunctionGen, span: Span): string {
  const moduleGen = gen.module;
  const { line, column } = locate(moduleGen.module.file, span.start);
  moduleGen.sites.push({ module: moduleGen.module.name, file: moduleGen.module.file.path, line, column, function: moduleGen.functionName });
  return `SITES[${moduleGen.sites.length - 1}]`;
}

/** Adds a module-level helper once per key and returns its name. */
export function helper(moduleGen: ModuleGen, key: string, build: (name: string) => string): string {
  const existing = moduleGen.helperNames.get(key);
  if (existing) return existing;
  const name = `H${moduleGen.helperNames.size}`;
  moduleGen.helperNames.set(key, name);
  moduleGen.helpers.push(build(name));
  return name;
}

/** Something ran that may free pool elements and/or allocate (growing a pool's arrays). */
export function invalidateBinders(gen: FunctionGen, frees: boolean, allocates: boolean): void {
  for (const binder of gen.binders.values()) {
    if (frees) binder.verified = false;
    if (allocates) binder.fresh = false;
  }
  if (allocates && gen.columnCaches) for (const cache of gen.columnCaches.values()) cache.fresh = false;
}

/** What code generation knows about a binder or a column cache along the code emitted so far. */
type Tracked = { verified: boolean; fresh: boolean };
type BinderStates = Array<[Tracked, boolean, boolean]>;

function binderStates(gen: FunctionGen): BinderStates {
  const tracked: Tracked[] = [...gen.binders.values(), ...(gen.columnCaches?.values() ?? [])];
  return tracked.map((binder) => [binder, binder.verified, binder.fresh]);
}

/** A column cache first loaded inside a path (a branch, a loop body) is not loaded after it. */
function forgetNewCaches(gen: FunctionGen, before: BinderStates): void {
  if (!gen.columnCaches) return;
  const known = new Set(before.map(([tracked]) => tracked));
  for (const cache of gen.columnCaches.values()) if (!known.has(cache)) cache.fresh = false;
}

/** A binder's state at the end of a path; one the path no longer has counts as neither. */
function stateAtEnd(states: BinderStates, binder: Tracked): [boolean, boolean] {
  const found = states.find((entry) => entry[0] === binder);
  return found ? [found[1], found[2]] : [false, false];
}

/**
 * Emits a loop body: it may run zero times, and `break` leaves it anywhere, so a check or reload
 * emitted inside proves nothing after the loop. The state from before it comes back; that state
 * already allows for what the body may do (loops invalidate on entry). A `with` body is emitted
 * the same way: a cancel may leave it before a column cache it loads is loaded.
 */
/** A loop body: a path that may run any number of times, one level deeper. */
export function loopBody(gen: FunctionGen, body: () => void): void {
  gen.loopDepth++;
  partialPath(gen, () => nested(gen, body));
  gen.loopDepth--;
}

export function partialPath(gen: FunctionGen, path: () => void): void {
  const before = binderStates(gen);
  path();
  for (const [binder, verified, fresh] of before) {
    binder.verified = verified;
    binder.fresh = fresh;
  }
  forgetNewCaches(gen, before);
}

/**
 * Emits alternative paths (if/else, match arms): each starts from the state before them, and
 * afterwards a binder counts as verified or fresh only if it is on every path.
 */
export function alternatives(gen: FunctionGen, paths: Array<() => void>, mayFallThrough: boolean): void {
  const before = binderStates(gen);
  const ends: BinderStates[] = mayFallThrough ? [before] : [];
  for (const path of paths) {
    for (const [binder, verified, fresh] of before) {
      binder.verified = verified;
      binder.fresh = fresh;
    }
    forgetNewCaches(gen, before);
    path();
    ends.push(binderStates(gen));
  }
  for (const [binder] of before) {
    binder.verified = ends.every((states) => stateAtEnd(states, binder)[0]);
    binder.fresh = ends.every((states) => stateAtEnd(states, binder)[1]);
  }
  forgetNewCaches(gen, before);
}

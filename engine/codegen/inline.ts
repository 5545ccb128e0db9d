// Calls of small functions of the same module compiled in place. V8 inlines small JavaScript
// functions itself, but only up to a budget per caller, and a call it does not inline passes every
// f64 argument and result boxed (a heap number each): handles are f64, so an AI loop calling a
// few helpers per enemy allocates several heap numbers per enemy per tick. Compiled in place, the
// callee's parameters are locals of the caller and its pointer accesses share the caller's
// decoded slots. Only same-module calls: another module's function is reached through its table
// so that a reload of that module replaces it, while a reload of this one recompiles both.

import type { FunctionInfo, LocalBinding } from "../checker/program.ts";
import { resolve } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { compileArguments } from "./calls.ts";
import { emit, nested, newTemp, type FunctionGen } from "./emitter.ts";
import { compileInto, type ResultSlot } from "./expressions.ts";
import { bodyFacts } from "./facts.ts";
import { isRecursive } from "./functions.ts";
import { hasQuietTwin } from "./quiet-draw.ts";
import { isBareUnion, scalarUnionLocals, type ScalarUnion } from "./scalar-unions.ts";
import { isVec, localNames } from "./values.ts";

type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;

/** Callees this small (in expressions) are compiled in place wherever they are called. */
const ALWAYS_INLINED_SIZE = 24;
/**
 * Larger ones only where the call runs per iteration of a loop (per element: where a call's cost
 * adds up), and only while the copies stay within this many expressions for the whole module.
 */
const MAX_INLINED_COPIES_SIZE = 800;
/**
 * And at most this many expressions compiled in place into one function: past a size V8 stops
 * optimizing a function at all (a few times this budget made the demo's collision pass run five
 * times slower), and it compiles big functions slowly.
 */
const MAX_INLINED_PER_FUNCTION = 1000;
/** Calls compiled in place inside a body compiled in place, and so on: at most this deep. */
const MAX_INLINE_DEPTH = 3;

/** The function a call may be compiled in place of, or null when it must stay a call. */
function inlineCandidate(gen: FunctionGen, expr: CallExpr): FunctionInfo | null {
  if (!gen.module.inline || gen.resumable || gen.resume !== null || gen.inlineDepth >= MAX_INLINE_DEPTH) return null;
  const moduleGen = gen.module;
  const resolution = expr.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(expr.callee) : undefined;
  if (resolution?.kind !== "Function") return null;
  const fn = resolution.function;
  if (fn.module !== moduleGen.module.name || fn.migrates !== null || fn.uncheckedMigration) return null;
  // Drawing code keeps its own function, which runs its quiet twin in headless worlds.
  if (hasQuietTwin(moduleGen, fn)) return null;
  let size = moduleGen.inlinable.get(fn.node);
  if (size === undefined) {
    size = inlinableSize(gen, fn);
    moduleGen.inlinable.set(fn.node, size);
  }
  if (size === null || gen.inlinedSize + size > MAX_INLINED_PER_FUNCTION) return null;
  if (size <= ALWAYS_INLINED_SIZE) return fn;
  return gen.loopDepth > 0 && size * callSites(gen, fn) <= MAX_INLINED_COPIES_SIZE ? fn : null;
}

/** How many calls of `fn` the module makes (each may become a copy of its body); counted once per module. */
function callSites(gen: FunctionGen, fn: FunctionInfo): number {
  const moduleGen = gen.module;
  if (!moduleGen.callSites) {
    const counts = new Map<object, number>();
    for (const other of moduleGen.module.functions.values()) {
      for (const callee of bodyFacts(moduleGen, other.node).callees) counts.set(callee, (counts.get(callee) ?? 0) + 1);
    }
    moduleGen.callSites = counts;
  }
  return moduleGen.callSites.get(fn.node) ?? 0;
}

/**
 * The size in expressions of a function that can be compiled in place, or null: plain functions
 * (no Wait) whose body is a value, with no `return` (which would need a jump out of the caller's
 * code), no lambdas, handlers or `with` (which name frames of their function), not recursive.
 */
function inlinableSize(gen: FunctionGen, fn: FunctionInfo): number | null {
  const program = gen.module.program;
  if (program.rows.get(fn.node)?.has("Wait")) return null;
  if (fn.node.params.some((param) => !program.bindings.get(param))) return null;
  const facts = bodyFacts(gen.module, fn.node);
  return facts.returns || facts.namesFrames || isRecursive(gen.module, fn.node) ? null : facts.size;
}

/** The call compiled in place when it may be, its value in the slot returned; null when it must stay a call. */
export function compileInPlace(gen: FunctionGen, expr: CallExpr): ResultSlot | null {
  const fn = inlineCandidate(gen, expr);
  if (!fn) return null;
  const slot = declareInlineResult(gen, fn);
  compileInlineCall(gen, expr, fn, slot);
  return slot;
}

/**
 * Compiles the call in place: the arguments bound to the callee's parameters in a block of their
 * own, then the body with its value put in `slot`. Runtime errors in it name the callee.
 */
function compileInlineCall(gen: FunctionGen, expr: CallExpr, fn: FunctionInfo, slot: ResultSlot): void {
  const program = gen.module.program;
  const args = compileArguments(gen, program.callArguments.get(expr) ?? []);
  const params = fn.node.params.map((param) => program.bindings.get(param) as LocalBinding);
  const aliases = aliasBinders(gen, params, program.callArguments.get(expr) ?? []);
  for (const [binding, union] of calleeScalarUnions(gen, fn)) gen.scalarUnions.set(binding, union);
  const caller = gen.module.functionName;
  gen.module.functionName = fn.name;
  gen.inlineDepth++;
  gen.inlinedSize += gen.module.inlinable.get(fn.node) ?? 0;
  emit(gen, "{");
  nested(gen, () => {
    const bound = params.flatMap(localNames).map((name, index) => `${name} = ${args.flat()[index]}`);
    if (bound.length > 0) emit(gen, `let ${bound.join(", ")};`);
    compileInto(gen, fn.node.body, resultOf(fn, slot));
  });
  emit(gen, "}");
  gen.inlineDepth--;
  gen.module.functionName = caller;
  for (const binding of aliases) gen.binders.delete(binding);
}

/** The callee's union locals that live as scalars, as its own compile finds them (once per module). */
function calleeScalarUnions(gen: FunctionGen, fn: FunctionInfo): Map<LocalBinding, ScalarUnion> {
  let unions = gen.module.inlinedScalarUnions.get(fn.node);
  if (!unions) {
    unions = scalarUnionLocals(gen.module.program, fn.node.body);
    gen.module.inlinedScalarUnions.set(fn.node, unions);
  }
  return unions;
}

/** A unit result is dropped whatever the caller asked for (it reads `undefined`). */
function resultOf(fn: FunctionInfo, slot: ResultSlot): ResultSlot {
  const kind = resolve(fn.type.result).kind;
  return kind === "Unit" || kind === "Never" ? { kind: "discard" } : slot;
}

/**
 * A parameter given a pointer the caller has decoded (a loop binder, or an immutable local already
 * decoded) reaches the element through the caller's slot: same handle, same liveness tracking.
 */
function aliasBinders(gen: FunctionGen, params: LocalBinding[], args: Ast.Expr[]): LocalBinding[] {
  const aliases: LocalBinding[] = [];
  params.forEach((param, index) => {
    const arg = args[index];
    if (!arg || arg.kind !== "NameExpr" || isVec(param.type)) return;
    const resolution = gen.module.program.resolutions.get(arg);
    const binder = resolution?.kind === "Local" ? gen.binders.get(resolution.binding) : undefined;
    if (!binder || resolution?.kind !== "Local" || resolution.binding.mutable) return;
    gen.binders.set(param, binder);
    aliases.push(param);
  });
  return aliases;
}

/** A fresh result slot of the callee's type, declared here; `discard` for a unit result. */
function declareInlineResult(gen: FunctionGen, fn: FunctionInfo): ResultSlot {
  const type = resolve(fn.type.result);
  if (type.kind === "Unit" || type.kind === "Never") return { kind: "discard" };
  if (isVec(type)) {
    const x = newTemp(gen, "rx");
    const y = newTemp(gen, "ry");
    emit(gen, `let ${x} = 0, ${y} = 0;`);
    return { kind: "vec", x, y };
  }
  const name = newTemp(gen, "r");
  if (type.kind === "Union" && isBareUnion(type.union)) {
    // Its tag alone: the caller reads the tag, or picks the shared variant by it (calls.ts).
    emit(gen, `let ${name} = 0;`);
    return { kind: "tag", name, union: type.union };
  }
  emit(gen, type.kind === "Int" || type.kind === "Float" ? `let ${name} = 0;` : `let ${name};`);
  return { kind: "value", name };
}

// Calls in generated code: direct calls within a module, calls through another module's table,
// `yield*` into resumable functions, effect operations through the per-effect handler slot, and
// the prelude compiled inline.

import { resolve } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { effectKey, operationKey } from "../runtime/names.ts";
import { invalidateBinders, ordered, site, spill, type FunctionGen } from "./emitter.ts";
import { compile, compileVec, simpleVec, variantOfTag, type ResultSlot } from "./expressions.ts";
import { formatValue } from "./format.ts";
import { compileInPlace } from "./inline.ts";
import { callMayDo } from "./pool-effects.ts";
import { compileAlive, compileAlloc, compileFree } from "./pools.ts";
import { isDrawOperation } from "./facts.ts";
import { compileQuietDraw } from "./quiet-draw.ts";
import { isResumableType, isVec, memberExpression, typeOf } from "./values.ts";

type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;

/** Arguments flattened: a Vec2 argument becomes two JavaScript arguments. */
export function compileArguments(gen: FunctionGen, args: Ast.Expr[], before: Array<() => string[]> = []): string[][] {
  return ordered(gen, [...before, ...args.map((arg) => () => (isVec(typeOf(gen, arg)) ? compileVec(gen, arg) : [compile(gen, arg)]))]);
}

export function compileCall(gen: FunctionGen, expr: CallExpr): string {
  const program = gen.module.program;
  const args = program.callArguments.get(expr) ?? [];
  const resolution = expr.callee.kind === "NameExpr" ? program.resolutions.get(expr.callee) : undefined;
  if (resolution?.kind === "Builtin") return compileBuiltin(gen, resolution.name, args, expr);
  if (gen.quietDraw && isDrawOperation(gen.module, expr)) return compileQuietDraw(gen, args);
  const inPlace = compileInPlace(gen, expr);
  if (inPlace) return inPlaceValue(gen, inPlace);
  const call = compileUserCall(gen, expr, args);
  // Code after the call cannot assume loop binders are still alive or their columns unchanged,
  // unless the callee provably neither frees nor allocates.
  invalidateBinders(gen, callMayDo(gen.module, expr, "free", new Set()), callMayDo(gen.module, expr, "alloc", new Set()));
  return call;
}

/** The value a call compiled in place left in its slot. */
function inPlaceValue(gen: FunctionGen, slot: ResultSlot): string {
  switch (slot.kind) {
    case "value":
      return slot.name;
    case "vec":
      return `{ x: ${slot.x}, y: ${slot.y} }`;
    case "tag":
      return variantOfTag(gen, slot.union, slot.name);
    case "discard":
      return "undefined";
    default: {
      const never: never = slot;
      return never;
    }
  }
}

function compileUserCall(gen: FunctionGen, expr: CallExpr, args: Ast.Expr[]): string {
  const { call, resumable } = compileCallParts(gen, expr, args);
  return resumable ? suspendHere(gen, `yield* ${call}`) : call;
}

/** The call expression (for a resumable callee: the generator it makes) and whether it suspends. */
function compileCallParts(gen: FunctionGen, expr: CallExpr, args: Ast.Expr[]): { call: string; resumable: boolean } {
  const program = gen.module.program;
  const resolution = expr.callee.kind === "NameExpr" ? program.resolutions.get(expr.callee) : undefined;
  if (resolution?.kind === "Operation") {
    const operation = resolution.operation;
    const target = `rt.h.${effectKey(operation.effect.qualifiedName)}.${operationKey(operation.name)}`;
    return { call: `${target}(${compileArguments(gen, args).flat().join(", ")})`, resumable: false };
  }
  if (resolution?.kind === "Function") {
    const call = `${memberExpression(gen, resolution)}(${compileArguments(gen, args).flat().join(", ")})`;
    return { call, resumable: program.rows.get(resolution.function.node)?.has("Wait") ?? false };
  }
  const [[callee], ...rest] = compileArguments(gen, args, [() => [spill(gen, compile(gen, expr.callee), "f")]]);
  return { call: `${callee}(${rest.flat().join(", ")})`, resumable: isResumableType(typeOf(gen, expr.callee)) };
}

/**
 * A suspension the frame cannot be re-entered at: in a re-enterable function its record says so
 * (`at = -1`) while it waits here, so a fiber waiting here is not saved.
 */
function suspendHere(gen: FunctionGen, suspension: string): string {
  return gen.resume ? `(frame$.at = -1, ${suspension})` : `(${suspension})`;
}

/** For a restorable point (resume.ts): the generator of a call to a resumable function, not yet run. */
export function compileGeneratorCall(gen: FunctionGen, expr: CallExpr): string {
  const args = gen.module.program.callArguments.get(expr) ?? [];
  const { call, resumable } = compileCallParts(gen, expr, args);
  if (!resumable) throw new Error("internal: a restorable point that does not suspend");
  return call;
}

const MATH_FUNCTIONS: Record<string, string> = {
  sqrt: "Math.sqrt",
  floor: "Math.floor",
  ceil: "Math.ceil",
  round: "Math.round",
  sin: "M.sin",
  cos: "M.cos",
  tan: "M.tan",
  atan2: "M.atan2",
};

function compileBuiltin(gen: FunctionGen, name: string, args: Ast.Expr[], expr: CallExpr): string {
  const math = MATH_FUNCTIONS[name];
  if (math) return `${math}(${compileArguments(gen, args).flat().join(", ")})`;
  switch (name) {
    case "print":
      return `rt.h.${effectKey("Log")}.${operationKey("print-line")}(${formatArgument(gen, args[0])})`;
    case "str":
      return formatArgument(gen, args[0]);
    case "length": {
      const [x, y] = simpleVec(gen, args[0]);
      return `Math.sqrt(${x} * ${x} + ${y} * ${y})`;
    }
    case "dot": {
      const [[ax, ay], [bx, by]] = ordered(gen, [() => compileVec(gen, args[0]), () => compileVec(gen, args[1])]);
      return `(${ax} * ${bx} + ${ay} * ${by})`;
    }
    case "vec2":
    case "normalize": {
      const [x, y] = compileVec(gen, expr);
      return `{ x: ${x}, y: ${y} }`;
    }
    default:
      return compileDataBuiltin(gen, name, args, expr);
  }
}

function compileDataBuiltin(gen: FunctionGen, name: string, args: Ast.Expr[], expr: CallExpr): string {
  const values = () => compileArguments(gen, args).flat();
  const isInt = resolve(typeOf(gen, expr)).kind === "Int";
  switch (name) {
    case "abs":
      return isInt ? `(Math.abs(${values()[0]}) | 0)` : `Math.abs(${values()[0]})`;
    case "min":
    case "max":
      return `Math.${name}(${values().join(", ")})`;
    case "clamp": {
      const [value, low, high] = values();
      return `Math.min(Math.max(${value}, ${low}), ${high})`;
    }
    case "float":
      return `(+${values()[0]})`;
    case "int":
      return `(${values()[0]} | 0)`;
    case "count":
      return `${compile(gen, args[0])}.live`;
    case "alive":
      return compileAlive(gen, poolOfPointer(gen, args[0]), args[0]);
    case "free":
      compileFree(gen, poolOfPointer(gen, args[0]), args[0], expr.span);
      return "undefined";
    case "alloc": {
      const poolType = typeOf(gen, args[0]);
      if (poolType.kind !== "PoolType") throw new Error("internal: alloc on a non-pool");
      return compileAlloc(gen, poolType.pool, args[0], args[1], expr.span);
    }
    default:
      return compileFiberBuiltin(gen, name, args, expr);
  }
}

function compileFiberBuiltin(gen: FunctionGen, name: string, args: Ast.Expr[], expr: CallExpr): string {
  switch (name) {
    case "spawn": {
      const resumable = isResumableType(typeOf(gen, args[0]));
      return `rt.spawn(${compile(gen, args[0])}, ${JSON.stringify(gen.module.module.name)}, ${resumable})`;
    }
    case "wait":
    case "next-frame": {
      const seconds = name === "wait" ? compile(gen, args[0]) : "0";
      // Other code runs while the fiber waits: nothing known about pools survives the wait.
      invalidateBinders(gen, true, true);
      return suspendHere(gen, `yield ${seconds}`);
    }
    default:
      throw new Error(`internal: no code generation for prelude function ${name} at ${site(gen, expr.span)}`);
  }
}

function poolOfPointer(gen: FunctionGen, pointer: Ast.Expr) {
  const type = typeOf(gen, pointer);
  if (type.kind !== "Pointer") throw new Error("internal: expected a pointer");
  return type.pool;
}

function formatArgument(gen: FunctionGen, arg: Ast.Expr): string {
  if (isVec(typeOf(gen, arg))) {
    const [x, y] = compileVec(gen, arg);
    return `rt.formatVec2(${x}, ${y})`;
  }
  return formatValue(gen, typeOf(gen, arg), compile(gen, arg));
}

// Calls: functions, lambdas, effect operations and the prelude. `f (a, b)` spreads its tuple
// over two parameters; `f ()` passes none.

import type * as Ast from "../syntax/ast.ts";
import { recordType, report, type FunctionScope } from "./context.ts";
import { checkAgainst, checkExpr, checkRecordAs, reportMismatch } from "./expressions.ts";
import { resolveName } from "./names.ts";
import type { CallExpr, FunctionInfo, Resolution } from "./program.ts";
import {
  BOOL,
  ERROR,
  FLOAT,
  INT,
  STR,
  UNIT,
  VEC2,
  freshVar,
  resolve,
  typeToString,
  unify,
  type Type,
} from "./types.ts";

/** Spreads `f (a, b)` into two arguments and `f ()` into none when the callee wants that. */
function spreadArguments(args: Ast.Expr[], arity: number): Ast.Expr[] {
  if (args.length !== 1) return args;
  const only = args[0];
  if (only.kind === "UnitLiteral" && arity === 0) return [];
  if (only.kind === "TupleExpr" && arity === only.items.length && arity !== 1) return only.items;
  return args;
}

/** How many arguments the user wrote: `f (a, b, c)` is three and `f ()` none, though each is one expression. */
function writtenArgumentCount(args: Ast.Expr[]): number {
  if (args.length !== 1) return args.length;
  if (args[0].kind === "TupleExpr") return args[0].items.length;
  return args[0].kind === "UnitLiteral" ? 0 : 1;
}

export function checkCall(scope: FunctionScope, expr: CallExpr, expected: Type | null): Type {
  const callee = expr.callee;
  if (callee.kind === "NameExpr") {
    const resolution = resolveName(scope, callee);
    if (!resolution) {
      expr.args.forEach((arg) => checkExpr(scope, arg, null));
      return ERROR;
    }
    scope.moduleScope.checker.program.resolutions.set(callee, resolution);
    if (resolution.kind === "Builtin") return checkBuiltinCall(scope, expr, resolution.name, expected);
    if (resolution.kind === "Operation") return checkOperationCall(scope, expr, resolution);
    if (resolution.kind === "Function") {
      reportMigrationUse(scope, callee, resolution.function);
      recordType(scope, callee, resolution.function.type);
      scope.collector.push({ kind: "CallFunction", target: resolution.function.node });
      return checkArguments(scope, expr, resolution.function.type.params, resolution.function.type.result, resolution.function.name);
    }
    if (resolution.kind === "Local" && resolution.binding.lambda) {
      recordType(scope, callee, resolution.binding.type);
      scope.collector.push({ kind: "CallFunction", target: resolution.binding.lambda });
      const type = resolve(resolution.binding.type) as Type & { kind: "Function" };
      return checkArguments(scope, expr, type.params, type.result, resolution.binding.name);
    }
  }
  return checkValueCall(scope, expr);
}

function checkValueCall(scope: FunctionScope, expr: CallExpr): Type {
  return checkCallThrough(scope, expr, resolve(checkExpr(scope, expr.callee, null)));
}

/** A call through a callee value of this type; the callee is checked once (checking it again would record it twice). */
function checkCallThrough(scope: FunctionScope, expr: CallExpr, calleeType: Type): Type {
  if (calleeType.kind === "Error") {
    expr.args.forEach((arg) => checkExpr(scope, arg, null));
    return ERROR;
  }
  if (calleeType.kind === "Var") {
    const args = spreadArguments(expr.args, expr.args.length);
    const params = args.map(() => freshVar(scope.moduleScope.checker.supply));
    const inferred: Type = { kind: "Function", params, result: freshVar(scope.moduleScope.checker.supply), effects: new Set() };
    if (unify(calleeType, inferred)) return checkCallThrough(scope, expr, inferred);
  }
  if (calleeType.kind !== "Function") {
    report(scope.moduleScope, expr.callee.span, "E0150", `this is a ${typeToString(calleeType)}, not a function; it cannot be called`);
    expr.args.forEach((arg) => checkExpr(scope, arg, null));
    return ERROR;
  }
  scope.collector.push({ kind: "CallValue", type: calleeType });
  return checkArguments(scope, expr, calleeType.params, calleeType.result, "this function");
}

function checkArguments(scope: FunctionScope, expr: CallExpr, params: Type[], result: Type, name: string): Type {
  const args = spreadArguments(expr.args, params.length);
  scope.moduleScope.checker.program.callArguments.set(expr, args);
  if (args.length !== params.length) {
    const given = writtenArgumentCount(args);
    report(scope.moduleScope, expr.span, "E0151", `${name} takes ${params.length} argument${params.length === 1 ? "" : "s"}, but ${given} ${given === 1 ? "was" : "were"} given`);
    args.forEach((arg) => checkExpr(scope, arg, null));
    return result;
  }
  args.forEach((arg, index) => checkArgument(scope, arg, params[index]));
  return result;
}

function checkArgument(scope: FunctionScope, arg: Ast.Expr, param: Type): void {
  const actual = checkExpr(scope, arg, param);
  if (!unify(actual, param)) {
    reportMismatch(scope, arg, actual, param, "this argument");
    return;
  }
  if (resolve(param).kind === "Function") {
    scope.moduleScope.checker.coercions.push({ actual, expected: param, span: arg.span, module: scope.moduleScope.module });
  }
}

function checkOperationCall(scope: FunctionScope, expr: CallExpr, resolution: Resolution & { kind: "Operation" }): Type {
  const operation = resolution.operation;
  scope.collector.push({ kind: "Perform", effect: operation.effect.qualifiedName });
  return checkArguments(scope, expr, operation.params, operation.result, `operation ${operation.name}`);
}

// ---------------------------------------------------------------- prelude

type BuiltinSignature = { params: Type[]; result: Type };

const FIXED_SIGNATURES: Record<string, BuiltinSignature> = {
  vec2: { params: [FLOAT, FLOAT], result: VEC2 },
  length: { params: [VEC2], result: FLOAT },
  normalize: { params: [VEC2], result: VEC2 },
  dot: { params: [VEC2, VEC2], result: FLOAT },
  sqrt: { params: [FLOAT], result: FLOAT },
  sin: { params: [FLOAT], result: FLOAT },
  cos: { params: [FLOAT], result: FLOAT },
  tan: { params: [FLOAT], result: FLOAT },
  atan2: { params: [FLOAT, FLOAT], result: FLOAT },
  floor: { params: [FLOAT], result: FLOAT },
  ceil: { params: [FLOAT], result: FLOAT },
  round: { params: [FLOAT], result: FLOAT },
  float: { params: [INT], result: FLOAT },
  int: { params: [FLOAT], result: INT },
  wait: { params: [FLOAT], result: UNIT },
  "next-frame": { params: [], result: UNIT },
};

const ARITY: Record<string, number> = {
  print: 1, str: 1, abs: 1, min: 2, max: 2, clamp: 3, alloc: 2, free: 1, alive: 1, count: 1, spawn: 1,
};

function checkBuiltinCall(scope: FunctionScope, expr: CallExpr, name: string, expected: Type | null): Type {
  if (name === "wait" || name === "next-frame") scope.collector.push({ kind: "Perform", effect: "Wait" });
  const fixed = FIXED_SIGNATURES[name];
  if (fixed) return checkArguments(scope, expr, fixed.params, fixed.result, name);
  const args = spreadArguments(expr.args, ARITY[name]);
  scope.moduleScope.checker.program.callArguments.set(expr, args);
  if (args.length !== ARITY[name]) {
    const given = writtenArgumentCount(args);
    report(scope.moduleScope, expr.span, "E0151", `${name} takes ${ARITY[name]} argument${ARITY[name] === 1 ? "" : "s"}, but ${given} ${given === 1 ? "was" : "were"} given`);
    args.forEach((arg) => checkExpr(scope, arg, null));
    return ERROR;
  }
  return checkPolymorphicBuiltin(scope, expr, name, args, expected);
}

function checkPolymorphicBuiltin(scope: FunctionScope, expr: CallExpr, name: string, args: Ast.Expr[], expected: Type | null): Type {
  switch (name) {
    case "print":
      scope.collector.push({ kind: "Perform", effect: "Log" });
      checkPrintable(scope, args[0]);
      return UNIT;
    case "str":
      checkPrintable(scope, args[0]);
      return STR;
    case "abs":
    case "min":
    case "max":
    case "clamp":
      return checkNumericFamily(scope, args, expected);
    case "alloc":
      return checkAlloc(scope, args);
    case "free":
    case "alive":
      expectPointer(scope, args[0]);
      return name === "free" ? UNIT : BOOL;
    case "count":
      expectPool(scope, args[0]);
      return INT;
    case "spawn":
      return checkSpawn(scope, expr, args[0]);
    default:
      report(scope.moduleScope, expr.span, "E0152", `unknown prelude function ${name}`);
      return ERROR;
  }
}

function checkPrintable(scope: FunctionScope, arg: Ast.Expr): void {
  const type = resolve(checkExpr(scope, arg, null));
  if (type.kind === "Function" || type.kind === "HandlerType" || type.kind === "PoolType") {
    report(scope.moduleScope, arg.span, "E0153", `a ${typeToString(type)} cannot be printed`);
  }
}

/** `abs`, `min`, `max`, `clamp`: every argument and the result share one numeric type. */
function checkNumericFamily(scope: FunctionScope, args: Ast.Expr[], expected: Type | null): Type {
  const first = resolve(checkExpr(scope, args[0], expected));
  const shared = first.kind === "Var" && expected ? expected : first;
  for (const arg of args.slice(1)) checkAgainst(scope, arg, shared, "this argument");
  const resolved = resolve(shared);
  if (resolved.kind !== "Int" && resolved.kind !== "Float" && resolved.kind !== "Error") {
    report(scope.moduleScope, args[0].span, "E0154", `expected a number (i32 or f64), found ${typeToString(resolved)}`);
    return ERROR;
  }
  return resolved;
}

function expectPool(scope: FunctionScope, arg: Ast.Expr): Type {
  const type = resolve(checkExpr(scope, arg, null));
  if (type.kind !== "PoolType" && type.kind !== "Error") {
    report(scope.moduleScope, arg.span, "E0155", `expected a pool, found ${typeToString(type)}`);
    return ERROR;
  }
  return type;
}

function expectPointer(scope: FunctionScope, arg: Ast.Expr): void {
  const type = resolve(checkExpr(scope, arg, null));
  if (type.kind !== "Pointer" && type.kind !== "Error") {
    report(scope.moduleScope, arg.span, "E0156", `expected a pointer into a pool, found ${typeToString(type)}`);
  }
}

function checkAlloc(scope: FunctionScope, args: Ast.Expr[]): Type {
  const poolType = expectPool(scope, args[0]);
  if (poolType.kind !== "PoolType") {
    checkExpr(scope, args[1], null);
    return ERROR;
  }
  const element = resolve(poolType.pool.element);
  if (args[1].kind === "RecordExpr" && element.kind === "Struct") {
    recordType(scope, args[1], checkRecordAs(scope, args[1], element.struct));
  } else {
    checkAgainst(scope, args[1], element, "the new element");
  }
  return { kind: "Pointer", pool: poolType.pool };
}

/** A fiber may wait and perform host effects; the scheduler handles both. */
function checkSpawn(scope: FunctionScope, expr: CallExpr, arg: Ast.Expr): Type {
  const expected: Type = { kind: "Function", params: [], result: UNIT, effects: new Set(["Wait"]) };
  const actual = resolve(checkExpr(scope, arg, expected));
  if (actual.kind !== "Function" || actual.params.length !== 0) {
    if (actual.kind !== "Error") report(scope.moduleScope, arg.span, "E0157", `spawn takes a function of no arguments, e.g. \`spawn (fun (). patrol guard)\`, not ${typeToString(actual)}`);
    return UNIT;
  }
  unify(actual.result, UNIT);
  const checker = scope.moduleScope.checker;
  checker.entries.push({ description: "a fiber", terms: [{ kind: "CallValue", type: actual }], span: expr.span, module: scope.moduleScope.module, mayWait: true });
  return UNIT;
}

/**
 * A migration function whose `old` types are not known yet (no running version) has no code: the
 * engine runs it during a reload, against the running version. Code that calls it or takes it as
 * a value would reach that gap at run time, so it is an error now.
 */
export function reportMigrationUse(scope: FunctionScope, name: Ast.Expr, fn: FunctionInfo): void {
  if (!fn.uncheckedMigration) return;
  report(scope.moduleScope, name.span, "E0221", `${fn.name} is a migration function: the engine runs it during a reload, code cannot call it or use it as a value`);
}

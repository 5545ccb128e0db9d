// Drawing code in headless worlds. A replay or a headless run has no renderer: the engine's own
// Draw handler then ignores every command (runtime/world.ts marks it `silent`). Yet the game's
// drawing code still computes each command's arguments, and in the demo that is an eighth of a
// tick. A function that performs Draw operations itself therefore gets a quiet twin
// (`F_name$quiet`), which it enters while the silent handler is the one in effect: the twin is the
// same code with each Draw operation reduced to what its arguments must still do. Their checks
// stay (a freed pointer read for a sprite is the same runtime error headless as on screen), and so
// do calls that may change anything; values that are only computed are dropped. A world's
// behaviour, and so its hashes, are the same with and without drawing.

import type { FunctionInfo } from "../checker/program.ts";
import { resolve } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { effectKey } from "../runtime/names.ts";
import { compileArguments } from "./calls.ts";
import { emit, type FunctionGen, type ModuleGen } from "./emitter.ts";
import { someExpression } from "./walk.ts";

type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;

const DRAW_EFFECT = "engine/draw/Draw";

/** Prelude functions whose value depends only on their arguments and which never fail. */
const PURE_BUILTINS = new Set(["sqrt", "floor", "ceil", "round", "sin", "cos", "tan", "atan2", "length", "dot", "vec2", "normalize", "abs", "min", "max", "clamp", "float", "int", "str", "count", "alive"]);

export function isDrawOperation(moduleGen: ModuleGen, call: CallExpr): boolean {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  return resolution?.kind === "Operation" && resolution.operation.effect.qualifiedName === DRAW_EFFECT;
}

/**
 * Whether a top-level function gets a quiet twin: it performs Draw operations itself, cannot
 * suspend, and installs no handler (inside a `with`, an operation may reach the game's own handler
 * instead of the engine's), makes no lambdas and cancels nothing.
 */
export function hasQuietTwin(moduleGen: ModuleGen, fn: FunctionInfo): boolean {
  let known = moduleGen.quietTwins.get(fn.node);
  if (known === undefined) {
    known = needsQuietTwin(moduleGen, fn);
    moduleGen.quietTwins.set(fn.node, known);
  }
  return known;
}

function needsQuietTwin(moduleGen: ModuleGen, fn: FunctionInfo): boolean {
  if (fn.uncheckedMigration || moduleGen.program.rows.get(fn.node)?.has("Wait")) return false;
  let draws = false;
  const blocked = someExpression(fn.node.body, (expr) => {
    if (expr.kind === "CallExpr" && isDrawOperation(moduleGen, expr)) draws = true;
    return expr.kind === "WithExpr" || expr.kind === "HandlerExpr" || expr.kind === "FunExpr" || expr.kind === "CancelExpr";
  });
  return draws && !blocked;
}

export function quietTwinName(name: string): string {
  return `${name}$quiet`;
}

/** The first line of a function with a quiet twin: while drawing goes nowhere, run the twin. */
export function quietDispatch(gen: FunctionGen, name: string, params: string[]): void {
  emit(gen, `if (rt.h.${effectKey(DRAW_EFFECT)}.silent === true) return ${quietTwinName(name)}(${params.join(", ")});`);
}

/**
 * A Draw operation in a quiet twin: the arguments are compiled for what they do (their checks and
 * calls are statements), and a value is kept as an expression statement only when computing it
 * could fail or change anything. The silent handler does nothing, so nothing is invalidated.
 */
export function compileQuietDraw(gen: FunctionGen, args: Ast.Expr[]): string {
  const values = compileArguments(gen, args);
  values.forEach((parts, index) => {
    if (!droppableValue(gen.module, args[index])) emit(gen, `void (${parts.join(", ")});`);
  });
  return "undefined";
}

/**
 * Whether the JavaScript value of `expr` (what `compile` returns, after the statements it emits)
 * may be left uncomputed. Statement forms leave their value in a temporary, so only the parts
 * written inline matter: operators, field reads (pointer checks are statements), constructions
 * and calls of functions that never fail and change nothing.
 */
function droppableValue(moduleGen: ModuleGen, expr: Ast.Expr): boolean {
  switch (expr.kind) {
    case "MatchExpr":
    case "BlockExpr":
    case "WithExpr":
    case "WhileExpr":
    case "ForRangeExpr":
    case "ForEachExpr":
      return true;
    case "FieldExpr":
      return droppableValue(moduleGen, expr.target);
    case "BinaryExpr":
      return !failingOperator(moduleGen, expr) && droppableValue(moduleGen, expr.left) && droppableValue(moduleGen, expr.right);
    case "CallExpr":
      return pureCall(moduleGen, expr, new Set()) && expr.args.every((arg) => droppableValue(moduleGen, arg));
    default:
      return leafOrParts(expr, (part) => droppableValue(moduleGen, part));
  }
}

/** Literals and names are values already; unary operators, tuples, records and ifs are as good as their parts. */
function leafOrParts(expr: Ast.Expr, part: (expr: Ast.Expr) => boolean): boolean {
  switch (expr.kind) {
    case "IntLiteral":
    case "FloatLiteral":
    case "StringLiteral":
    case "SymbolLiteral":
    case "BoolLiteral":
    case "UnitLiteral":
    case "NameExpr":
      return true;
    case "UnaryExpr":
    case "TupleExpr":
    case "RecordExpr":
    case "ConstructExpr":
    case "IfExpr":
      return childParts(expr).every(part);
    default:
      return false;
  }
}

function childParts(expr: Extract<Ast.Expr, { kind: "UnaryExpr" | "TupleExpr" | "RecordExpr" | "ConstructExpr" | "IfExpr" }>): Ast.Expr[] {
  switch (expr.kind) {
    case "UnaryExpr":
      return [expr.operand];
    case "TupleExpr":
      return expr.items;
    case "RecordExpr":
    case "ConstructExpr":
      return expr.fields.map((field) => field.value);
    case "IfExpr":
      return expr.else ? [expr.condition, expr.then, expr.else] : [expr.condition, expr.then];
    default: {
      const never: never = expr;
      return never;
    }
  }
}

/** Integer division and remainder fail on a zero divisor. */
function failingOperator(moduleGen: ModuleGen, expr: Extract<Ast.Expr, { kind: "BinaryExpr" }>): boolean {
  if (expr.operator !== "/" && expr.operator !== "%") return false;
  const type = moduleGen.program.types.get(expr);
  return !type || resolve(type).kind !== "Float";
}

/** A call of a pure prelude function or of a function that never fails and changes nothing (arguments aside). */
function pureCall(moduleGen: ModuleGen, call: CallExpr, visiting: Set<object>): boolean {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  if (resolution?.kind === "Builtin") return PURE_BUILTINS.has(resolution.name);
  if (resolution?.kind !== "Function" || resolution.function.uncheckedMigration) return false;
  const node = resolution.function.node;
  // Recursion may not end (the loop budget stops it with an error): not pure.
  if (visiting.has(node)) return false;
  visiting.add(node);
  const pure = inert(moduleGen, node.body, visiting);
  visiting.delete(node);
  return pure;
}

/**
 * Whether evaluating `expr` can neither fail nor change anything: no pointer reads (the pointer
 * may be freed), no assignments, loops (the budget), operations, allocation or fibers.
 */
function inert(moduleGen: ModuleGen, expr: Ast.Expr, visiting: Set<object>): boolean {
  const check = (part: Ast.Expr) => inert(moduleGen, part, visiting);
  switch (expr.kind) {
    case "FieldExpr": {
      const target = moduleGen.program.types.get(expr.target);
      return target !== undefined && resolve(target).kind !== "Pointer" && check(expr.target);
    }
    case "BinaryExpr":
      return !failingOperator(moduleGen, expr) && check(expr.left) && check(expr.right);
    case "CallExpr":
      return pureCall(moduleGen, expr, visiting) && expr.args.every(check);
    case "MatchExpr":
      return check(expr.subject) && expr.arms.every((arm) => check(arm.body));
    case "BlockExpr":
      return expr.items.every((item) => item.kind !== "AssignStatement" && check(item.kind === "LetStatement" ? item.value : item.expr));
    default:
      return leafOrParts(expr, check);
  }
}

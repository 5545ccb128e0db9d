// Type inference for expressions and statements inside function bodies, constants and state
// initializers. Records every type and name resolution in the program's side tables.

import type * as Ast from "../syntax/ast.ts";
import { checkCall, reportMigrationUse } from "./calls.ts";
import {
  declareLocal,
  recordCoercion,
  recordType,
  report,
  withBlockScope,
  type FunctionScope,
  type HandlerFrame,
} from "./context.ts";
import { resolveTypeExpr } from "./declarations.ts";
import type { EffectTerm } from "./effects.ts";
import { checkMatch, literalType } from "./patterns.ts";
import type { FunExpr, HandlerExpr, NameExpr, Resolution, WithExpr } from "./program.ts";
import { describeResolution, resolveName } from "./names.ts";
import {
  BOOL,
  ERROR,
  INT,
  NEVER,
  STR,
  UNIT,
  VEC2,
  freshVar,
  joinBranches,
  resolve,
  typeToString,
  unify,
  type OperationInfo,
  type StructInfo,
  type Type,
} from "./types.ts";
import { checkStructFields, describeUnknownField, fieldOf } from "./structs.ts";

type Expr = Ast.Expr;
type ExprOf<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

/** Checks `expr`, using `expected` to guide records and lambdas; does not report mismatches. */
export function checkExpr(scope: FunctionScope, expr: Expr, expected: Type | null): Type {
  return recordType(scope, expr, inferExpr(scope, expr, expected));
}

/** Checks `expr` and reports when its type is not `expected`. */
export function checkAgainst(scope: FunctionScope, expr: Expr, expected: Type, what = "this expression"): Type {
  const actual = checkExpr(scope, expr, expected);
  if (!unify(actual, expected)) reportMismatch(scope, expr, actual, expected, what);
  else recordCoercion(scope, actual, expected, expr.span);
  return expected;
}

export function reportMismatch(scope: FunctionScope, expr: Expr, actual: Type, expected: Type, what: string): void {
  const notes = [];
  const wanted = resolve(expected);
  if (expr.kind === "IntLiteral" && wanted.kind === "Float") notes.push({ message: `write \`${expr.value}.0\` for an f64` });
  else if (resolve(actual).kind === "Int" && wanted.kind === "Float") notes.push({ message: "convert with `float x`" });
  else if (resolve(actual).kind === "Float" && wanted.kind === "Int") notes.push({ message: "convert with `int x` (truncates)" });
  const [shownActual, shownExpected] = distinguishable(actual, expected);
  report(
    scope.moduleScope,
    expr.span,
    "E0101",
    `${what} has type ${shownActual}, but ${shownExpected} is expected`,
    notes,
  );
}

/** Two types' names for a message; `game/Body` and `physics/Body` when both would read `Body`. */
function distinguishable(actual: Type, expected: Type): [string, string] {
  const names: [string, string] = [typeToString(actual), typeToString(expected)];
  if (names[0] !== names[1]) return names;
  return [qualifiedTypeName(actual) ?? names[0], qualifiedTypeName(expected) ?? names[1]];
}

function qualifiedTypeName(type: Type): string | null {
  const resolved = resolve(type);
  if (resolved.kind === "Struct") return resolved.struct.qualifiedName;
  if (resolved.kind === "Union") return resolved.union.qualifiedName;
  return null;
}

function inferExpr(scope: FunctionScope, expr: Expr, expected: Type | null): Type {
  switch (expr.kind) {
    case "IntLiteral":
    case "FloatLiteral":
    case "StringLiteral":
    case "SymbolLiteral":
    case "BoolLiteral":
      return literalType(expr);
    case "UnitLiteral":
      return UNIT;
    case "NameExpr":
      return checkName(scope, expr);
    case "TupleExpr":
      return checkTuple(scope, expr, expected);
    case "RecordExpr":
      return checkRecord(scope, expr, expected);
    case "ConstructExpr":
      return checkConstruct(scope, expr);
    case "FieldExpr":
      return checkField(scope, expr);
    case "CallExpr":
      return checkCall(scope, expr, expected);
    case "UnaryExpr":
      return checkUnary(scope, expr);
    case "BinaryExpr":
      return checkBinary(scope, expr);
    case "IfExpr":
      return checkIf(scope, expr, expected);
    case "MatchExpr":
      return checkMatch(scope, expr, expected);
    case "BlockExpr":
      return withBlockScope(scope, () => checkStatements(scope, expr.items, expected));
    case "FunExpr":
      return checkLambda(scope, expr, expected);
    case "HandlerExpr":
      return checkStandaloneHandler(scope, expr);
    case "WithExpr":
      return checkWith(scope, expr, expected);
    case "CancelExpr":
      return checkCancel(scope, expr);
    case "ReturnExpr":
      return checkReturn(scope, expr);
    case "BreakExpr":
    case "ContinueExpr":
      if (scope.loopDepth === 0) reportLoopExit(scope, expr);
      return NEVER;
    case "WhileExpr":
      checkAgainst(scope, expr.condition, BOOL, "the loop condition");
      checkLoopBody(scope, expr.body);
      return UNIT;
    case "ForRangeExpr":
      return checkForRange(scope, expr);
    case "ForEachExpr":
      return checkForEach(scope, expr);
    case "ErrorExpr":
      return ERROR;
    default: {
      const never: never = expr;
      return never;
    }
  }
}

// ---------------------------------------------------------------- names

function checkName(scope: FunctionScope, expr: NameExpr): Type {
  const resolution = resolveName(scope, expr);
  if (!resolution) return ERROR;
  scope.moduleScope.checker.program.resolutions.set(expr, resolution);
  return typeOfResolution(scope, expr, resolution);
}

function typeOfResolution(scope: FunctionScope, expr: NameExpr, resolution: Resolution): Type {
  switch (resolution.kind) {
    case "Local":
      return resolution.binding.type;
    case "Function":
      reportMigrationUse(scope, expr, resolution.function);
      return resolution.function.type;
    case "Constant":
      return resolution.constant.type;
    case "State":
      return resolution.state.type;
    case "Pool":
      return { kind: "PoolType", pool: resolution.pool };
    case "Variant": {
      const variant = resolution.union.variants[resolution.index];
      if (variant.fields.length > 0) {
        const fields = variant.fields.map((field) => field.name).join(", ");
        report(scope.moduleScope, expr.span, "E0104", `variant ${variant.name} has fields: write \`${expr.path.segments.join("/")} { ${fields} = ... }\``);
      }
      return { kind: "Union", union: resolution.union };
    }
    case "Operation":
    case "Builtin":
      report(scope.moduleScope, expr.span, "E0105", `${describeResolution(resolution)} must be called, e.g. \`${expr.path.segments.join("/")} ()\``);
      return ERROR;
    default: {
      const never: never = resolution;
      return never;
    }
  }
}

// ---------------------------------------------------------------- data

function checkTuple(scope: FunctionScope, expr: ExprOf<"TupleExpr">, expected: Type | null): Type {
  const wanted = expected ? resolve(expected) : null;
  const hints = wanted && wanted.kind === "Tuple" && wanted.items.length === expr.items.length ? wanted.items : null;
  return { kind: "Tuple", items: expr.items.map((item, index) => checkExpr(scope, item, hints ? hints[index] : null)) };
}

function checkRecord(scope: FunctionScope, expr: ExprOf<"RecordExpr">, expected: Type | null): Type {
  const wanted = expected ? resolve(expected) : null;
  if (!wanted || wanted.kind !== "Struct") {
    if (!wanted || wanted.kind !== "Error") {
      report(scope.moduleScope, expr.span, "E0106", "the struct type of this record is not known here; write `Name { ... }`");
    }
    for (const field of expr.fields) checkExpr(scope, field.value, null);
    return ERROR;
  }
  return checkRecordAs(scope, expr, wanted.struct);
}

export function checkRecordAs(scope: FunctionScope, expr: ExprOf<"RecordExpr">, struct: StructInfo): Type {
  scope.moduleScope.checker.program.recordTypes.set(expr, struct);
  checkStructFields(scope, expr.fields, struct.fields, struct.name, expr.span);
  return { kind: "Struct", struct };
}

function checkConstruct(scope: FunctionScope, expr: ExprOf<"ConstructExpr">): Type {
  const program = scope.moduleScope.checker.program;
  const nameExpr: NameExpr = { kind: "NameExpr", path: expr.type, span: expr.type.span };
  const variant = resolveName(scope, nameExpr, { quiet: true });
  if (variant?.kind === "Variant") {
    program.variantConstructs.set(expr, { union: variant.union, index: variant.index });
    const info = variant.union.variants[variant.index];
    checkStructFields(scope, expr.fields, info.fields, info.name, expr.span);
    return { kind: "Union", union: variant.union };
  }
  const type = resolveTypeExpr(scope.moduleScope, { kind: "NamedType", path: expr.type, span: expr.type.span }, { oldTypes: "forbidden" });
  if (type.kind === "Struct") {
    program.recordTypes.set(expr, type.struct);
    checkStructFields(scope, expr.fields, type.struct.fields, type.struct.name, expr.span);
    return type;
  }
  if (type.kind === "Union") {
    const name = expr.type.segments.join("/");
    report(scope.moduleScope, expr.type.span, "E0107", `${name} is a union: construct one of its variants, e.g. \`${name}/${type.union.variants[0]?.name ?? "Variant"} { ... }\``);
  } else if (type.kind !== "Error") {
    const hint = type.kind === "Vec2" ? "; write `vec2 x y`" : "";
    report(scope.moduleScope, expr.type.span, "E0107", `${typeToString(type)} is not a struct or a union variant, so it cannot be built with \`{ ... }\`${hint}`);
  }
  for (const field of expr.fields) checkExpr(scope, field.value, null);
  return ERROR;
}

function checkField(scope: FunctionScope, expr: ExprOf<"FieldExpr">): Type {
  const target = resolve(checkExpr(scope, expr.target, null));
  if (target.kind === "Error") return ERROR;
  const field = fieldOf(target, expr.name);
  if (field) return field;
  report(scope.moduleScope, expr.nameSpan, "E0108", describeMissingField(target, expr.name));
  return ERROR;
}

function describeMissingField(target: Type, name: string): string {
  if (target.kind === "Var") return `the type of this value is not known yet; annotate it to use .${name}`;
  if (target.kind === "Union") return `${typeToString(target)} is a union: take it apart with \`match\` to reach ${name}`;
  return describeUnknownField(target, name);
}

// ---------------------------------------------------------------- operators

function checkUnary(scope: FunctionScope, expr: ExprOf<"UnaryExpr">): Type {
  if (expr.operator === "not") return checkAgainst(scope, expr.operand, BOOL, "the operand of `not`");
  const operand = resolve(checkExpr(scope, expr.operand, null));
  if (operand.kind === "Int" || operand.kind === "Float" || operand.kind === "Vec2" || operand.kind === "Error") return operand;
  report(scope.moduleScope, expr.span, "E0109", `cannot negate a value of type ${typeToString(operand)}`);
  return ERROR;
}

function checkBinary(scope: FunctionScope, expr: ExprOf<"BinaryExpr">): Type {
  switch (expr.operator) {
    case "and":
    case "or":
      checkAgainst(scope, expr.left, BOOL, `the left side of \`${expr.operator}\``);
      checkAgainst(scope, expr.right, BOOL, `the right side of \`${expr.operator}\``);
      return BOOL;
    case "==":
    case "!=":
      return checkEquality(scope, expr);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return checkOrdering(scope, expr);
    default:
      return checkArithmetic(scope, expr);
  }
}

function checkOperands(scope: FunctionScope, expr: ExprOf<"BinaryExpr">): [Type, Type] {
  const left = resolve(checkExpr(scope, expr.left, null));
  const hint = left.kind === "Int" || left.kind === "Float" ? left : null;
  const right = resolve(checkExpr(scope, expr.right, hint));
  if (left.kind === "Var" && right.kind !== "Var") unify(left, right);
  if (right.kind === "Var" && left.kind !== "Var") unify(right, left);
  return [resolve(left), resolve(right)];
}

function checkEquality(scope: FunctionScope, expr: ExprOf<"BinaryExpr">): Type {
  const [left, right] = checkOperands(scope, expr);
  if (!unify(right, left)) reportOperands(scope, expr, left, right);
  else if (left.kind === "Function" || left.kind === "HandlerType" || left.kind === "PoolType") {
    report(scope.moduleScope, expr.span, "E0110", `values of type ${typeToString(left)} cannot be compared`);
  }
  return BOOL;
}

function checkOrdering(scope: FunctionScope, expr: ExprOf<"BinaryExpr">): Type {
  const [left, right] = checkOperands(scope, expr);
  const ordered = left.kind === "Int" || left.kind === "Float" || left.kind === "Str" || left.kind === "Error";
  if (!ordered || !unify(right, left)) reportOperands(scope, expr, left, right);
  return BOOL;
}

/** Result type of an arithmetic operator on two operand types, or null when not defined. */
function arithmeticResult(operator: Ast.BinaryOperator, left: Type, right: Type): Type | null {
  if (left.kind === "Error" || right.kind === "Error") return ERROR;
  const same = left.kind === right.kind;
  if (same && (left.kind === "Int" || left.kind === "Float")) return left;
  if (operator === "+" && same && left.kind === "Str") return STR;
  if ((operator === "+" || operator === "-") && same && left.kind === "Vec2") return VEC2;
  if ((operator === "*" || operator === "/") && left.kind === "Vec2" && right.kind === "Float") return VEC2;
  if (operator === "*" && left.kind === "Float" && right.kind === "Vec2") return VEC2;
  return null;
}

function checkArithmetic(scope: FunctionScope, expr: ExprOf<"BinaryExpr">): Type {
  const [left, right] = checkOperands(scope, expr);
  const result = arithmeticResult(expr.operator, left, right);
  if (result) return result;
  reportOperands(scope, expr, left, right);
  return ERROR;
}

function reportOperands(scope: FunctionScope, expr: ExprOf<"BinaryExpr">, left: Type, right: Type): void {
  if (left.kind === "Error" || right.kind === "Error") return;
  const notes = [];
  if ((left.kind === "Int" && right.kind === "Float") || (left.kind === "Float" && right.kind === "Int")) {
    // Most often an integer literal among floats: name the exact fix, `2` → `2.0`.
    const literal = [expr.left, expr.right].find((operand) => operand.kind === "IntLiteral");
    const fix = literal && literal.kind === "IntLiteral" ? `write \`${literal.value}.0\` for an f64` : "write the literal as `1.0`";
    notes.push({ message: `i32 and f64 do not mix: convert with \`float x\` or \`int x\`, or ${fix}` });
  }
  report(
    scope.moduleScope,
    expr.span,
    "E0111",
    `\`${expr.operator}\` is not defined for ${typeToString(left)} and ${typeToString(right)}`,
    notes,
  );
}

// ---------------------------------------------------------------- control flow

function checkIf(scope: FunctionScope, expr: ExprOf<"IfExpr">, expected: Type | null): Type {
  checkAgainst(scope, expr.condition, BOOL, "the condition");
  const thenType = withBlockScope(scope, () => checkExpr(scope, expr.then, expected));
  if (!expr.else) {
    const resolved = resolve(thenType);
    if (resolved.kind !== "Unit" && resolved.kind !== "Never" && resolved.kind !== "Error" && resolved.kind !== "Var") {
      // A value-producing branch without else: the value is simply discarded (statement position).
    }
    return UNIT;
  }
  const elseType = withBlockScope(scope, () => checkExpr(scope, expr.else!, expected ?? thenType));
  if (!unify(elseType, thenType)) {
    report(scope.moduleScope, expr.else.span, "E0112", `the branches of this if have different types: ${typeToString(thenType)} and ${typeToString(elseType)}`);
    return ERROR;
  }
  // The if's value has the then branch's type: a function from the else branch flows into it.
  recordCoercion(scope, elseType, thenType, expr.else.span);
  return joinBranches(thenType, elseType);
}

function checkReturn(scope: FunctionScope, expr: ExprOf<"ReturnExpr">): Type {
  const resultType = scope.resultType;
  if (resultType === null) {
    const message = scope.handlers.length > 0
      ? "return cannot leave a handler clause: its last expression is the value given back, and `cancel` leaves the `with`"
      : "return is only allowed inside a function";
    report(scope.moduleScope, expr.span, "E0102", message);
    if (expr.value) checkExpr(scope, expr.value, null);
  } else if (expr.value) {
    checkAgainst(scope, expr.value, resultType, "the returned value");
  } else if (!unify(UNIT, resultType)) {
    report(scope.moduleScope, expr.span, "E0102", "this function must return a value");
  }
  return NEVER;
}

/** `break` / `continue` with no loop of the same function around it (a clause is its own function). */
function reportLoopExit(scope: FunctionScope, expr: ExprOf<"BreakExpr"> | ExprOf<"ContinueExpr">): void {
  const keyword = expr.kind === "BreakExpr" ? "break" : "continue";
  const message = scope.handlers.length > 0 ? `${keyword} cannot leave a handler clause; \`cancel\` leaves the \`with\`` : `${keyword} outside of a loop`;
  report(scope.moduleScope, expr.span, "E0103", message);
}

function checkLoopBody(scope: FunctionScope, body: Expr): void {
  scope.loopDepth++;
  withBlockScope(scope, () => checkExpr(scope, body, null));
  scope.loopDepth--;
}

function checkForRange(scope: FunctionScope, expr: ExprOf<"ForRangeExpr">): Type {
  checkAgainst(scope, expr.from, INT, "the start of the range");
  checkAgainst(scope, expr.to, INT, "the end of the range");
  withBlockScope(scope, () => {
    declareLocal(scope, expr.binder, INT, false, expr.binderSpan, expr);
    checkLoopBody(scope, expr.body);
  });
  return UNIT;
}

function checkForEach(scope: FunctionScope, expr: ExprOf<"ForEachExpr">): Type {
  const iterable = resolve(checkExpr(scope, expr.iterable, null));
  let element: Type = ERROR;
  if (iterable.kind === "PoolType") element = { kind: "Pointer", pool: iterable.pool };
  else if (iterable.kind !== "Error") {
    report(scope.moduleScope, expr.iterable.span, "E0113", `for ... in walks a pool or a range \`a .. b\`, not ${typeToString(iterable)}`);
  }
  withBlockScope(scope, () => {
    declareLocal(scope, expr.binder, element, false, expr.binderSpan, expr);
    checkLoopBody(scope, expr.body);
  });
  return UNIT;
}

// ---------------------------------------------------------------- statements

/** Checks a block's statements in the current scope; the last expression gives its type. */
export function checkStatements(scope: FunctionScope, items: Ast.Statement[], expected: Type | null): Type {
  let last: Type = UNIT;
  items.forEach((item, index) => {
    const isLast = index === items.length - 1;
    last = checkStatement(scope, item, isLast ? expected : null);
  });
  return last;
}

function checkStatement(scope: FunctionScope, statement: Ast.Statement, expected: Type | null): Type {
  switch (statement.kind) {
    case "ExprStatement":
      return checkExpr(scope, statement.expr, expected);
    case "LetStatement":
      checkLet(scope, statement);
      return UNIT;
    case "AssignStatement":
      checkAssign(scope, statement);
      return UNIT;
    default: {
      const never: never = statement;
      return never;
    }
  }
}

function checkLet(scope: FunctionScope, statement: Ast.Statement & { kind: "LetStatement" }): void {
  const annotated = statement.type ? resolveTypeExpr(scope.moduleScope, statement.type, { oldTypes: "forbidden" }) : null;
  const type = annotated ? checkAgainst(scope, statement.value, annotated, `the value of ${statement.name}`) : checkExpr(scope, statement.value, null);
  if (resolve(type).kind === "Never") {
    report(scope.moduleScope, statement.value.span, "E0114", `the value of ${statement.name} never returns`);
  }
  const binding = declareLocal(scope, statement.name, type, statement.mutable, statement.nameSpan, statement);
  // Only a binding that holds the lambda's own function type (not a mismatched annotation) is called directly.
  if (!statement.mutable && statement.value.kind === "FunExpr" && resolve(type).kind === "Function") binding.lambda = statement.value;
}

function checkAssign(scope: FunctionScope, statement: Ast.Statement & { kind: "AssignStatement" }): void {
  const target = statement.target;
  const targetType = checkExpr(scope, target, null);
  checkAgainst(scope, statement.value, targetType, "the assigned value");
  const problem = assignmentProblem(scope, target);
  if (problem) report(scope.moduleScope, target.span, "E0115", problem.message, problem.notes);
}

/** Why `target = ...` is not allowed, or null when it is. */
function assignmentProblem(
  scope: FunctionScope,
  target: Expr,
): { message: string; notes: Array<{ message: string }> } | null {
  if (target.kind === "FieldExpr") {
    const base = resolve(scope.moduleScope.checker.program.types.get(target.target) ?? ERROR);
    if (base.kind === "Pointer" || base.kind === "Error") return null;
    return assignmentProblem(scope, target.target);
  }
  if (target.kind !== "NameExpr") return { message: "only names and fields can be assigned", notes: [] };
  const resolution = scope.moduleScope.checker.program.resolutions.get(target);
  if (!resolution) return null;
  if (resolution.kind === "State") return null;
  if (resolution.kind === "Local" && resolution.binding.mutable) return null;
  const segments = target.path.segments;
  const name = segments.join("/");
  // Only a binding can become `mut`; functions, pools and variants are never assigned.
  const fixable = resolution.kind === "Local" || resolution.kind === "Constant";
  const where = segments.length > 1 ? ` in module ${segments.slice(0, -1).join("/")}` : "";
  return {
    message: `cannot assign to ${name}: it is not mutable`,
    notes: fixable ? [{ message: `declare it${where} with \`${segments[segments.length - 1]} : mut = ...\`` }] : [{ message: `${describeResolution(resolution)} cannot be assigned` }],
  };
}

// ---------------------------------------------------------------- functions

function checkLambda(scope: FunctionScope, expr: FunExpr, expected: Type | null): Type {
  const wanted = expected ? resolve(expected) : null;
  const hints = wanted && wanted.kind === "Function" && wanted.params.length === expr.params.length ? wanted : null;
  const moduleScope = scope.moduleScope;
  const params = expr.params.map((param, index) =>
    param.type ? resolveTypeExpr(moduleScope, param.type, { oldTypes: "forbidden" }) : (hints?.params[index] ?? freshVar(moduleScope.checker.supply)),
  );
  const result = expr.result ? resolveTypeExpr(moduleScope, expr.result, { oldTypes: "forbidden" }) : freshVar(moduleScope.checker.supply);
  const row = new Set<string>();
  moduleScope.checker.program.rows.set(expr, row);
  const type = { kind: "Function" as const, params, result, effects: row };
  checkFunctionBody(moduleScope, expr, type, scope.locals, false);
  return type;
}

/** Checks a function or lambda body; `outer` are the enclosing locals a lambda closes over. */
export function checkFunctionBody(
  moduleScope: FunctionScope["moduleScope"],
  node: FunExpr,
  type: Type & { kind: "Function" },
  outer: FunctionScope["locals"],
  inMigration: boolean,
): void {
  const scope: FunctionScope = {
    moduleScope,
    locals: [...outer, new Map()],
    resultType: type.result,
    loopDepth: 0,
    handlers: [],
    collector: [],
    inMigration,
  };
  node.params.forEach((param, index) => declareLocal(scope, param.name, type.params[index], false, param.span, param));
  const bodyType = checkExpr(scope, node.body, type.result);
  if (!unify(bodyType, type.result)) reportMismatch(scope, lastExpression(node.body), bodyType, type.result, "the function's result");
  else recordCoercion(scope, bodyType, type.result, lastExpression(node.body).span);
  moduleScope.checker.terms.set(node, scope.collector);
}

function lastExpression(body: Expr): Expr {
  if (body.kind !== "BlockExpr") return body;
  const last = body.items[body.items.length - 1];
  return last && last.kind === "ExprStatement" ? lastExpression(last.expr) : body;
}

// ---------------------------------------------------------------- effects

function checkWith(scope: FunctionScope, expr: WithExpr, expected: Type | null): Type {
  const resultType = expected ?? freshVar(scope.moduleScope.checker.supply);
  let effectName: string | null = null;
  if (expr.handler.kind === "HandlerExpr") {
    const effect = checkHandlerClauses(scope, expr.handler, { target: { kind: "With", node: expr }, cancelType: resultType });
    effectName = effect?.qualifiedName ?? null;
    recordType(scope, expr.handler, effect ? { kind: "HandlerType", effect } : ERROR);
  } else {
    const handlerType = resolve(checkExpr(scope, expr.handler, null));
    if (handlerType.kind === "HandlerType") {
      effectName = handlerType.effect.qualifiedName;
      useHandlerValue(scope, expr, handlerType, resultType);
    } else if (handlerType.kind !== "Error") report(scope.moduleScope, expr.handler.span, "E0116", `with needs a handler, not ${typeToString(handlerType)}`);
  }
  const outerCollector = scope.collector;
  const inner: EffectTerm[] = [];
  scope.collector = inner;
  const bodyType = withBlockScope(scope, () => checkExpr(scope, expr.body, resultType));
  scope.collector = outerCollector;
  if (effectName) outerCollector.push({ kind: "Handle", effect: effectName, inner });
  else outerCollector.push(...inner);
  if (!unify(bodyType, resultType)) reportMismatch(scope, expr.body, bodyType, resultType, "the body of this with");
  return resultType;
}

/**
 * `with value do ...`: the clauses' effects happen around this `with` (wherever the value was
 * defined), and a `cancel` in a clause makes its value the value of this `with`.
 */
function useHandlerValue(scope: FunctionScope, expr: WithExpr, handler: Type & { kind: "HandlerType" }, resultType: Type): void {
  scope.collector.push(...(handler.clauseTerms ?? []));
  const cancelType = handler.cancelType && resolve(handler.cancelType);
  // A value whose clauses never cancel leaves its cancel type open: it fits a `with` of any type.
  if (!cancelType || cancelType.kind === "Var" || unify(resultType, cancelType)) return;
  report(scope.moduleScope, expr.handler.span, "E0101", `this handler cancels with ${typeToString(cancelType)}, but this with has type ${typeToString(resultType)}`, [
    { message: "a `cancel v` in a clause makes `v` the value of the whole `with`, so both must have one type" },
  ]);
}

function checkStandaloneHandler(scope: FunctionScope, expr: HandlerExpr): Type {
  const cancelType = freshVar(scope.moduleScope.checker.supply);
  const definedIn = scope.collector;
  const clauseTerms: EffectTerm[] = [];
  scope.collector = clauseTerms;
  const effect = checkHandlerClauses(scope, expr, { target: { kind: "HandlerValue", node: expr }, cancelType });
  scope.collector = definedIn;
  return effect ? { kind: "HandlerType", effect, cancelType, clauseTerms } : ERROR;
}

/** Checks each clause against its operation; a clause's value resumes the performer. */
function checkHandlerClauses(scope: FunctionScope, expr: HandlerExpr, frame: HandlerFrame) {
  const effect = resolveHandledEffect(scope, expr);
  if (effect) scope.moduleScope.checker.program.handlerEffects.set(expr, effect);
  for (const clause of expr.clauses) {
    const operation = effect?.operations.get(clause.operation);
    if (effect && !operation) {
      const known = [...effect.operations.keys()].join(", ");
      report(scope.moduleScope, clause.operationSpan, "E0117", `effect ${effect.name} has no operation ${clause.operation} (it has: ${known})`);
    }
    checkClause(scope, clause, operation ?? null, frame);
  }
  if (effect) checkClausesComplete(scope, expr, effect);
  return effect;
}

/**
 * A clause runs as its own JavaScript function called by the performer: `return`, `break` and
 * `continue` cannot reach past it, and it cannot wait (the performer's call is not a suspension point).
 */
function checkClause(scope: FunctionScope, clause: Ast.HandlerClause, operation: OperationInfo | null, frame: HandlerFrame): void {
  const saved = { resultType: scope.resultType, loopDepth: scope.loopDepth, collector: scope.collector };
  scope.handlers.push(frame);
  scope.resultType = null;
  scope.loopDepth = 0;
  scope.collector = [];
  withBlockScope(scope, () => {
    const paramsType: Type = !operation ? ERROR : operation.params.length === 1 ? operation.params[0] : operation.params.length === 0 ? UNIT : { kind: "Tuple", items: operation.params };
    bindClausePattern(scope, clause.pattern, paramsType);
    const body = checkExpr(scope, clause.body, operation?.result ?? null);
    if (operation && !unify(body, operation.result)) reportMismatch(scope, clause.body, body, operation.result, `the value given back by ${clause.operation}`);
  });
  const terms = scope.collector;
  Object.assign(scope, saved);
  scope.handlers.pop();
  // Effects of the clause go to the handlers outside; only waiting is checked here.
  scope.collector.push(...terms);
  scope.moduleScope.checker.entries.push({ description: `the handler clause for ${clause.operation}`, terms, span: clause.operationSpan, module: scope.moduleScope.module, mayWait: false, waitOnly: true });
}

function resolveHandledEffect(scope: FunctionScope, expr: HandlerExpr) {
  const segments = expr.effect.segments;
  const prelude = scope.moduleScope.checker.prelude;
  if (segments.length === 1 && segments[0] === "Wait") {
    report(scope.moduleScope, expr.effect.span, "E0118", "Wait is handled by the scheduler; games cannot handle it");
    return null;
  }
  if (segments.length === 1 && segments[0] === "Log") return prelude.log;
  const effect = lookupEffectFor(scope, segments);
  if (!effect) report(scope.moduleScope, expr.effect.span, "E0119", `unknown effect ${segments.join("/")}`);
  return effect;
}

function lookupEffectFor(scope: FunctionScope, segments: string[]) {
  const module = scope.moduleScope.module;
  if (segments.length === 1) {
    return module.effects.get(segments[0]) ?? (module.importedNames.get(segments[0])?.module.effects.get(segments[0]) ?? null);
  }
  const target = module.imports.get(segments[0]) ?? scope.moduleScope.checker.modulesByName.get(segments.slice(0, -1).join("/"));
  return target?.effects.get(segments[segments.length - 1]) ?? null;
}

function checkClausesComplete(scope: FunctionScope, expr: HandlerExpr, effect: NonNullable<ReturnType<typeof lookupEffectFor>>): void {
  const handled = new Set(expr.clauses.map((clause) => clause.operation));
  const missing = [...effect.operations.keys()].filter((name) => !handled.has(name));
  if (missing.length > 0) {
    report(scope.moduleScope, expr.span, "E0120", `this handler of ${effect.name} has no clause for ${missing.join(", ")}`);
  }
}

function bindClausePattern(scope: FunctionScope, pattern: Ast.Pattern, type: Type): void {
  const resolved = resolve(type);
  switch (pattern.kind) {
    case "BindPattern":
      declareLocal(scope, pattern.name, type, false, pattern.span, pattern);
      return;
    case "WildcardPattern":
      return;
    case "UnitPattern":
      if (resolved.kind !== "Unit" && resolved.kind !== "Error") report(scope.moduleScope, pattern.span, "E0121", `this operation takes ${typeToString(type)}, not ()`);
      return;
    case "TuplePattern":
      if (resolved.kind !== "Tuple" || resolved.items.length !== pattern.items.length) {
        if (resolved.kind !== "Error") report(scope.moduleScope, pattern.span, "E0121", `this operation takes ${typeToString(type)}`);
        pattern.items.forEach((item) => bindClausePattern(scope, item, ERROR));
        return;
      }
      pattern.items.forEach((item, index) => bindClausePattern(scope, item, resolved.items[index]));
      return;
    default:
      report(scope.moduleScope, pattern.span, "E0122", "an operation's arguments are bound with names, `_`, `()` or `(a, b)`");
  }
}

function checkCancel(scope: FunctionScope, expr: ExprOf<"CancelExpr">): Type {
  const frame = scope.handlers[scope.handlers.length - 1];
  if (!frame) {
    if (scope.inMigration) {
      if (expr.value) checkExpr(scope, expr.value, null);
      return NEVER;
    }
    report(scope.moduleScope, expr.span, "E0123", "cancel is only allowed inside a handler clause");
    if (expr.value) checkExpr(scope, expr.value, null);
    return NEVER;
  }
  scope.moduleScope.checker.program.cancelTargets.set(expr, frame.target);
  if (expr.value) checkAgainst(scope, expr.value, frame.cancelType, "the cancel value");
  else if (!unify(UNIT, frame.cancelType)) report(scope.moduleScope, expr.span, "E0124", `cancel needs a value of type ${typeToString(frame.cancelType)}`);
  return NEVER;
}

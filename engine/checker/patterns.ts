// `match`: checks each arm's pattern against the subject, binds its names, and proves the arms
// exhaustive (every union variant, both booleans, or a catch-all arm).

import type * as Ast from "../syntax/ast.ts";
import { declareLocal, recordCoercion, report, withBlockScope, type FunctionScope } from "./context.ts";
import { checkExpr } from "./expressions.ts";
import { lookupUnion } from "./names.ts";
import {
  BOOL,
  ERROR,
  FLOAT,
  INT,
  STR,
  SYMBOL,
  freshVar,
  joinBranches,
  resolve,
  typeToString,
  unify,
  type Type,
  type UnionInfo,
} from "./types.ts";

type MatchExpr = Extract<Ast.Expr, { kind: "MatchExpr" }>;

export function checkMatch(scope: FunctionScope, expr: MatchExpr, expected: Type | null): Type {
  const subject = checkExpr(scope, expr.subject, null);
  let result: Type = expected ?? freshVar(scope.moduleScope.checker.supply);
  let sawValue = false;
  for (const arm of expr.arms) {
    withBlockScope(scope, () => {
      checkPattern(scope, arm.pattern, subject);
      const body = checkExpr(scope, arm.body, result);
      if (!unify(body, result)) {
        report(scope.moduleScope, arm.body.span, "E0160", `this arm has type ${typeToString(body)}, but earlier arms have ${typeToString(result)}`);
      } else {
        // Each arm's value flows into the match's type (the expected one, or the first value arm's).
        recordCoercion(scope, body, result, arm.body.span);
        if (!sawValue) {
          result = joinBranches(result, body);
          sawValue = resolve(body).kind !== "Never";
        }
      }
    });
  }
  checkExhaustive(scope, expr, subject);
  return result;
}

function checkPattern(scope: FunctionScope, pattern: Ast.Pattern, subject: Type): void {
  switch (pattern.kind) {
    case "WildcardPattern":
      return;
    case "BindPattern":
      declareLocal(scope, pattern.name, subject, false, pattern.span, pattern);
      return;
    case "LiteralPattern":
      checkLiteralPattern(scope, pattern, subject);
      return;
    case "VariantPattern":
      checkVariantPattern(scope, pattern, subject);
      return;
    case "TuplePattern":
      checkTuplePattern(scope, pattern, subject);
      return;
    case "UnitPattern":
      if (!unify(subject, { kind: "Unit" })) report(scope.moduleScope, pattern.span, "E0161", `() does not match ${typeToString(subject)}`);
      return;
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

export function literalType(literal: Ast.LiteralExpr): Type {
  switch (literal.kind) {
    case "IntLiteral":
      return INT;
    case "FloatLiteral":
      return FLOAT;
    case "StringLiteral":
      return STR;
    case "SymbolLiteral":
      return SYMBOL;
    case "BoolLiteral":
      return BOOL;
    default: {
      const never: never = literal;
      return never;
    }
  }
}

function checkLiteralPattern(scope: FunctionScope, pattern: Ast.Pattern & { kind: "LiteralPattern" }, subject: Type): void {
  const type = literalType(pattern.value);
  scope.moduleScope.checker.program.types.set(pattern.value, type);
  if (!unify(type, subject)) {
    report(scope.moduleScope, pattern.span, "E0161", `a ${typeToString(type)} pattern cannot match ${typeToString(subject)}`);
  }
}

function checkTuplePattern(scope: FunctionScope, pattern: Ast.Pattern & { kind: "TuplePattern" }, subject: Type): void {
  const resolved = resolve(subject);
  if (resolved.kind !== "Tuple" || resolved.items.length !== pattern.items.length) {
    if (resolved.kind !== "Error") report(scope.moduleScope, pattern.span, "E0161", `a ${pattern.items.length}-tuple pattern cannot match ${typeToString(subject)}`);
    pattern.items.forEach((item) => checkPattern(scope, item, ERROR));
    return;
  }
  pattern.items.forEach((item, index) => checkPattern(scope, item, resolved.items[index]));
}

/** The union and variant index a variant pattern names, resolved against the subject's union. */
export function variantOf(scope: FunctionScope, pattern: Ast.Pattern & { kind: "VariantPattern" }, subject: Type): { union: UnionInfo; index: number } | null {
  const resolved = resolve(subject);
  const segments = pattern.path.segments;
  const union = segments.length === 1 && resolved.kind === "Union" ? resolved.union : lookupUnion(scope.moduleScope.module, segments.slice(0, -1));
  if (!union) return null;
  const index = union.variants.findIndex((variant) => variant.name === segments[segments.length - 1]);
  return index < 0 ? null : { union, index };
}

function checkVariantPattern(scope: FunctionScope, pattern: Ast.Pattern & { kind: "VariantPattern" }, subject: Type): void {
  const found = variantOf(scope, pattern, subject);
  if (!found) {
    report(scope.moduleScope, pattern.path.span, "E0162", `unknown variant ${pattern.path.segments.join("/")}`);
    return;
  }
  if (!unify({ kind: "Union", union: found.union }, subject)) {
    report(scope.moduleScope, pattern.span, "E0161", `a ${found.union.name} pattern cannot match ${typeToString(subject)}`);
    return;
  }
  const variant = found.union.variants[found.index];
  for (const fieldPattern of pattern.fields ?? []) {
    const field = variant.fields.find((candidate) => candidate.name === fieldPattern.name);
    if (!field) {
      report(scope.moduleScope, fieldPattern.span, "E0163", `variant ${variant.name} has no field ${fieldPattern.name}`);
      continue;
    }
    if (fieldPattern.pattern) checkPattern(scope, fieldPattern.pattern, field.type);
    else declareLocal(scope, fieldPattern.name, field.type, false, fieldPattern.span, fieldPattern);
  }
}

// ---------------------------------------------------------------- exhaustiveness

function isIrrefutable(pattern: Ast.Pattern | null): boolean {
  if (!pattern) return true;
  switch (pattern.kind) {
    case "WildcardPattern":
    case "BindPattern":
    case "UnitPattern":
      return true;
    case "TuplePattern":
      return pattern.items.every(isIrrefutable);
    default:
      return false;
  }
}

function checkExhaustive(scope: FunctionScope, expr: MatchExpr, subject: Type): void {
  const patterns = expr.arms.map((arm) => arm.pattern);
  if (patterns.some(isIrrefutable)) return;
  const resolved = resolve(subject);
  if (resolved.kind === "Error") return;
  const missing = missingCases(scope, patterns, resolved);
  if (missing.length === 0) return;
  report(scope.moduleScope, expr.span, "E0164", `this match does not cover ${missing.join(", ")}`, [
    { message: "add the missing arms, or a `_ => ...` arm" },
  ]);
}

function missingCases(scope: FunctionScope, patterns: Ast.Pattern[], subject: Type): string[] {
  if (subject.kind === "Union") {
    const covered = new Set<number>();
    for (const pattern of patterns) {
      if (pattern.kind !== "VariantPattern") continue;
      const found = variantOf(scope, pattern, subject);
      const fieldsIrrefutable = (pattern.fields ?? []).every((field) => isIrrefutable(field.pattern));
      if (found && fieldsIrrefutable) covered.add(found.index);
    }
    return subject.union.variants.filter((variant) => !covered.has(variant.index)).map((variant) => `${subject.union.name}/${variant.name}`);
  }
  if (subject.kind === "Bool") {
    const values = new Set(patterns.flatMap((pattern) => (pattern.kind === "LiteralPattern" && pattern.value.kind === "BoolLiteral" ? [pattern.value.value] : [])));
    return [true, false].filter((value) => !values.has(value)).map(String);
  }
  return [`every ${typeToString(subject)} value`];
}

// Union-typed locals kept as scalars: a tag variable and one variable per variant field, so that
// walking a linked list of `Link` values read out of pool columns allocates nothing. A local
// qualifies when its union's fields are all scalars and every use of it is its declaration, an
// assignment to it, or the subject of a `match` whose arms take variants apart (or `_`). Anything
// that needs the value whole (an argument, a comparison, a return, a store, an arm binding the
// whole value) keeps the ordinary object form, except for a union of bare variants (`Mode :=
// union { Wander, Chase, Flee }`): its tag is its value, so a use that needs the value whole
// looks up the shared variant by tag, and a comparison or a store into a pool reads the tag
// alone. A local a closure sees always keeps the object form.

import type { CheckedProgram, LocalBinding } from "../checker/program.ts";
import { resolve, type UnionInfo } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { fieldKey } from "../runtime/names.ts";
import { localName } from "./values.ts";
import { childExpressions } from "./walk.ts";

export interface ScalarUnion {
  union: UnionInfo;
  tag: string;
  /** The variable of field `field` of variant number `variant`. */
  field(variant: number, field: string): string;
  /** Every variable, the tag first, for declaring them. */
  names: string[];
}

const SCALAR_KINDS = new Set(["Int", "Float", "Bool", "Str", "Symbol", "Pointer"]);

/** The union-typed locals of one function body that can live as scalars. */
export function scalarUnionLocals(program: CheckedProgram, body: Ast.Expr): Map<LocalBinding, ScalarUnion> {
  const uses: Uses = { program, declared: new Set(), escaped: new Set() };
  visit(uses, body, false);
  const result = new Map<LocalBinding, ScalarUnion>();
  for (const binding of uses.declared) {
    const union = flatUnion(binding);
    if (union && !uses.escaped.has(binding)) result.set(binding, scalarUnion(binding, union));
  }
  return result;
}

interface Uses {
  program: CheckedProgram;
  /** Union locals declared by this body (not by a lambda inside it). */
  declared: Set<LocalBinding>;
  /** Locals used in a way that needs the whole value. */
  escaped: Set<LocalBinding>;
}

function scalarUnion(binding: LocalBinding, union: UnionInfo): ScalarUnion {
  const base = localName(binding);
  const field = (variant: number, name: string) => `${base}$${variant}${fieldKey(name)}`;
  const names = [`${base}$tag`, ...union.variants.flatMap((variant) => variant.fields.map((info) => field(variant.index, info.name)))];
  return { union, tag: `${base}$tag`, field, names };
}

function flatUnion(binding: LocalBinding): UnionInfo | null {
  const type = resolve(binding.type);
  return type.kind === "Union" && isFlatUnion(type.union) ? type.union : null;
}

/** Whether no variant has fields: a value is its tag. */
export function isBareUnion(union: UnionInfo): boolean {
  return union.variants.every((variant) => variant.fields.length === 0);
}

function isBareUnionLocal(binding: LocalBinding): boolean {
  const union = flatUnion(binding);
  return union !== null && isBareUnion(union);
}

/** Whether every field of every variant is one column (no vectors, structs or tuples). */
export function isFlatUnion(union: UnionInfo): boolean {
  return union.variants.every((variant) => variant.fields.every((field) => SCALAR_KINDS.has(resolve(field.type).kind)));
}

function localOf(uses: Uses, expr: Ast.Expr): LocalBinding | null {
  if (expr.kind !== "NameExpr") return null;
  const resolution = uses.program.resolutions.get(expr);
  return resolution?.kind === "Local" ? resolution.binding : null;
}

function visit(uses: Uses, expr: Ast.Expr, inLambda: boolean): void {
  switch (expr.kind) {
    case "NameExpr": {
      const binding = localOf(uses, expr);
      if (binding && (inLambda || !isBareUnionLocal(binding))) uses.escaped.add(binding);
      return;
    }
    case "MatchExpr":
      visitMatch(uses, expr, inLambda);
      return;
    case "BlockExpr":
      for (const statement of expr.items) visitStatement(uses, statement, inLambda);
      return;
    case "FunExpr":
    case "HandlerExpr":
      for (const child of childExpressions(expr)) visit(uses, child, true);
      return;
    default:
      for (const child of childExpressions(expr)) visit(uses, child, inLambda);
  }
}

function visitMatch(uses: Uses, expr: Extract<Ast.Expr, { kind: "MatchExpr" }>, inLambda: boolean): void {
  const subject = localOf(uses, expr.subject);
  const takenApart = expr.arms.every((arm) => arm.pattern.kind === "VariantPattern" || arm.pattern.kind === "WildcardPattern");
  if (!subject || inLambda || !takenApart) visit(uses, expr.subject, inLambda);
  for (const arm of expr.arms) visit(uses, arm.body, inLambda);
}

function visitStatement(uses: Uses, statement: Ast.Statement, inLambda: boolean): void {
  switch (statement.kind) {
    case "ExprStatement":
      visit(uses, statement.expr, inLambda);
      return;
    case "LetStatement": {
      const binding = uses.program.bindings.get(statement) as LocalBinding | undefined;
      if (binding && !inLambda && flatUnion(binding)) uses.declared.add(binding);
      visit(uses, statement.value, inLambda);
      return;
    }
    case "AssignStatement": {
      const target = localOf(uses, statement.target);
      if (!target || inLambda) visit(uses, statement.target, inLambda);
      visit(uses, statement.value, inLambda);
      return;
    }
    default: {
      const never: never = statement;
      return never;
    }
  }
}

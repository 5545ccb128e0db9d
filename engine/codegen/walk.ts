// Visits the sub-expressions of an expression, for analyses such as "may this loop body free?".

import type * as Ast from "../syntax/ast.ts";

export function childExpressions(expr: Ast.Expr): Ast.Expr[] {
  switch (expr.kind) {
    case "TupleExpr":
      return expr.items;
    case "RecordExpr":
    case "ConstructExpr":
      return expr.fields.map((field) => field.value);
    case "FieldExpr":
      return [expr.target];
    case "CallExpr":
      return [expr.callee, ...expr.args];
    case "UnaryExpr":
      return [expr.operand];
    case "BinaryExpr":
      return [expr.left, expr.right];
    case "IfExpr":
      return expr.else ? [expr.condition, expr.then, expr.else] : [expr.condition, expr.then];
    case "MatchExpr":
      return [expr.subject, ...expr.arms.map((arm) => arm.body)];
    case "BlockExpr":
      return expr.items.flatMap(statementExpressions);
    case "FunExpr":
      return [expr.body];
    case "HandlerExpr":
      return expr.clauses.map((clause) => clause.body);
    case "WithExpr":
      return [expr.handler, expr.body];
    case "CancelExpr":
    case "ReturnExpr":
      return expr.value ? [expr.value] : [];
    case "WhileExpr":
      return [expr.condition, expr.body];
    case "ForRangeExpr":
      return [expr.from, expr.to, expr.body];
    case "ForEachExpr":
      return [expr.iterable, expr.body];
    default:
      return [];
  }
}

function statementExpressions(statement: Ast.Statement): Ast.Expr[] {
  switch (statement.kind) {
    case "ExprStatement":
      return [statement.expr];
    case "LetStatement":
      return [statement.value];
    case "AssignStatement":
      return [statement.target, statement.value];
    default: {
      const never: never = statement;
      return never;
    }
  }
}

/** True when `predicate` holds for `expr` or any expression inside it. */
export function someExpression(expr: Ast.Expr, predicate: (expr: Ast.Expr) => boolean): boolean {
  if (predicate(expr)) return true;
  return childExpressions(expr).some((child) => someExpression(child, predicate));
}

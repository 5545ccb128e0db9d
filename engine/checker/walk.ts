// Visits the sub-expressions of an expression, for analyses over checked code: initialization
// order in the checker, "may this loop body free?" in code generation.

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

/** True when `predicate` holds for `expr` or any expression inside it. Hot in code generation: allocates nothing. */
export function someExpression(expr: Ast.Expr, predicate: (expr: Ast.Expr) => boolean): boolean {
  if (predicate(expr)) return true;
  switch (expr.kind) {
    case "TupleExpr":
      return someOf(expr.items, predicate);
    case "RecordExpr":
    case "ConstructExpr":
      for (const field of expr.fields) if (someExpression(field.value, predicate)) return true;
      return false;
    case "FieldExpr":
      return someExpression(expr.target, predicate);
    case "CallExpr":
      return someExpression(expr.callee, predicate) || someOf(expr.args, predicate);
    case "UnaryExpr":
      return someExpression(expr.operand, predicate);
    case "BinaryExpr":
      return someExpression(expr.left, predicate) || someExpression(expr.right, predicate);
    case "IfExpr":
      return someExpression(expr.condition, predicate) || someExpression(expr.then, predicate) || (expr.else !== null && someExpression(expr.else, predicate));
    case "MatchExpr":
      if (someExpression(expr.subject, predicate)) return true;
      for (const arm of expr.arms) if (someExpression(arm.body, predicate)) return true;
      return false;
    case "BlockExpr":
      for (const item of expr.items) if (someInStatement(item, predicate)) return true;
      return false;
    case "FunExpr":
      return someExpression(expr.body, predicate);
    case "HandlerExpr":
      for (const clause of expr.clauses) if (someExpression(clause.body, predicate)) return true;
      return false;
    case "WithExpr":
      return someExpression(expr.handler, predicate) || someExpression(expr.body, predicate);
    case "CancelExpr":
    case "ReturnExpr":
      return expr.value !== null && someExpression(expr.value, predicate);
    case "WhileExpr":
      return someExpression(expr.condition, predicate) || someExpression(expr.body, predicate);
    case "ForRangeExpr":
      return someExpression(expr.from, predicate) || someExpression(expr.to, predicate) || someExpression(expr.body, predicate);
    case "ForEachExpr":
      return someExpression(expr.iterable, predicate) || someExpression(expr.body, predicate);
    default:
      return false;
  }
}

function someOf(exprs: Ast.Expr[], predicate: (expr: Ast.Expr) => boolean): boolean {
  for (const expr of exprs) if (someExpression(expr, predicate)) return true;
  return false;
}

function someInStatement(statement: Ast.Statement, predicate: (expr: Ast.Expr) => boolean): boolean {
  switch (statement.kind) {
    case "ExprStatement":
      return someExpression(statement.expr, predicate);
    case "LetStatement":
      return someExpression(statement.value, predicate);
    case "AssignStatement":
      return someExpression(statement.target, predicate) || someExpression(statement.value, predicate);
    default: {
      const never: never = statement;
      return never;
    }
  }
}

// The Ribbon syntax tree: what the parser produces and the checker consumes.
// Every node carries a `span` of character offsets into its module's source.

import type { Span } from "../diagnostics/diagnostic.ts";

export type { Span };

/** A possibly qualified name: `x`, `physics/bodies`, `Mode/Chase`, `hot/Reload`. */
export interface Path {
  segments: string[];
  span: Span;
}

// ---------------------------------------------------------------- types

export type TypeExpr =
  | { kind: "NamedType"; path: Path; span: Span } // i32, f64, Body, physics/Body
  | { kind: "PointerType"; pool: Path; target: TypeExpr; span: Span } // *'bodies Body
  | { kind: "FunctionType"; params: TypeExpr[]; result: TypeExpr; effects: Path[] | null; span: Span }
  | { kind: "TupleType"; items: TypeExpr[]; span: Span } // (a, b); never length 0 or 1
  | { kind: "UnitType"; span: Span } // ()
  | { kind: "NeverType"; span: Span } // !
  | { kind: "OldType"; inner: TypeExpr; span: Span } // old Body
  | { kind: "HoleType"; span: Span }; // _

// ---------------------------------------------------------------- patterns

export type Pattern =
  | { kind: "WildcardPattern"; span: Span } // _
  | { kind: "BindPattern"; name: string; span: Span } // x
  | { kind: "LiteralPattern"; value: LiteralExpr; span: Span } // 1, -1, 2.5, "s", 'sym, true
  | { kind: "VariantPattern"; path: Path; fields: FieldPattern[] | null; span: Span } // Mode/Chase { speed }
  | { kind: "TuplePattern"; items: Pattern[]; span: Span } // (a, b)
  | { kind: "UnitPattern"; span: Span }; // ()

/** `speed` (binds `speed`) or `speed = s` / `speed = _` (binds by pattern). */
export interface FieldPattern {
  name: string;
  pattern: Pattern | null;
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type LiteralExpr =
  | { kind: "IntLiteral"; value: number; span: Span }
  | { kind: "FloatLiteral"; value: number; span: Span }
  | { kind: "StringLiteral"; value: string; span: Span }
  | { kind: "SymbolLiteral"; name: string; span: Span }
  | { kind: "BoolLiteral"; value: boolean; span: Span };

export interface FieldInit {
  name: string;
  nameSpan: Span;
  value: Expr;
  span: Span;
}

export interface Param {
  name: string;
  type: TypeExpr | null;
  span: Span;
}

export interface MatchArm {
  pattern: Pattern;
  body: Expr;
  span: Span;
}

/** One clause of a handler: `hit (b, amount) => ...`. */
export interface HandlerClause {
  operation: string;
  operationSpan: Span;
  pattern: Pattern;
  body: Expr;
  span: Span;
}

export type BinaryOperator = "or" | "and" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export type Expr =
  | LiteralExpr
  | { kind: "UnitLiteral"; span: Span } // ()
  | { kind: "NameExpr"; path: Path; span: Span } // x, physics/bodies, Mode/Wander, hot/auto
  | { kind: "TupleExpr"; items: Expr[]; span: Span } // (a, b)
  | { kind: "RecordExpr"; fields: FieldInit[]; span: Span } // { a = 1 } (type from context)
  | { kind: "ConstructExpr"; type: Path; fields: FieldInit[]; span: Span } // Body { ... }, Mode/Chase { ... }
  | { kind: "FieldExpr"; target: Expr; name: string; nameSpan: Span; span: Span } // b.pos
  | { kind: "CallExpr"; callee: Expr; args: Expr[]; span: Span } // f x y, f (a, b)
  | { kind: "UnaryExpr"; operator: "-" | "not"; operand: Expr; span: Span }
  | { kind: "BinaryExpr"; operator: BinaryOperator; left: Expr; right: Expr; span: Span }
  | { kind: "IfExpr"; condition: Expr; then: Expr; else: Expr | null; span: Span }
  | { kind: "MatchExpr"; subject: Expr; arms: MatchArm[]; span: Span }
  | { kind: "BlockExpr"; items: Statement[]; span: Span }
  | { kind: "FunExpr"; params: Param[]; result: TypeExpr | null; body: Expr; span: Span }
  | { kind: "HandlerExpr"; effect: Path; clauses: HandlerClause[]; span: Span } // handler E. clauses
  | { kind: "WithExpr"; handler: Expr; body: Expr; span: Span } // with <handler> do <body>
  | { kind: "CancelExpr"; value: Expr | null; span: Span }
  | { kind: "ReturnExpr"; value: Expr | null; span: Span }
  | { kind: "BreakExpr"; span: Span }
  | { kind: "ContinueExpr"; span: Span }
  | { kind: "WhileExpr"; condition: Expr; body: Expr; span: Span }
  | { kind: "ForRangeExpr"; binder: string; binderSpan: Span; from: Expr; to: Expr; body: Expr; span: Span }
  | { kind: "ForEachExpr"; binder: string; binderSpan: Span; iterable: Expr; body: Expr; span: Span }
  | { kind: "ErrorExpr"; span: Span }; // placeholder after a syntax error

// ---------------------------------------------------------------- statements

export type Statement =
  | { kind: "ExprStatement"; expr: Expr; span: Span }
  | { kind: "LetStatement"; name: string; nameSpan: Span; mutable: boolean; type: TypeExpr | null; value: Expr; span: Span }
  | { kind: "AssignStatement"; target: Expr; value: Expr; span: Span };

// ---------------------------------------------------------------- top level

export interface StructField {
  name: string;
  type: TypeExpr;
  defaultValue: Expr | null;
  span: Span;
}

export interface Variant {
  name: string;
  fields: StructField[]; // empty for `Wander`
  span: Span;
}

export interface OperationDecl {
  name: string;
  type: TypeExpr; // a FunctionType: `() -> i32`, `Str -> !`, `(*'bodies Body, f64) -> f64`
  span: Span;
}

export type TopItem =
  | { kind: "ImportItem"; path: Path; span: Span } // import physics, import physics/bodies
  | { kind: "BindingItem"; name: string; nameSpan: Span; mutable: boolean; type: TypeExpr | null; value: Expr; span: Span }
  | { kind: "StructItem"; name: string; nameSpan: Span; fields: StructField[]; span: Span }
  | { kind: "UnionItem"; name: string; nameSpan: Span; variants: Variant[]; span: Span }
  | { kind: "EffectItem"; name: string; nameSpan: Span; operations: OperationDecl[]; span: Span }
  | { kind: "PoolItem"; name: string; nameSpan: Span; element: TypeExpr; span: Span };

export interface ModuleAst {
  items: TopItem[];
}

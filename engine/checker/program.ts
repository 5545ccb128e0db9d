// What the checker knows about a program: module declarations and side tables over the AST
// (types, name resolutions, bindings, effect rows) that code generation reads.

import type { Diagnostic, Span } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../diagnostics/source.ts";
import type * as Ast from "../syntax/ast.ts";
import type { EffectInfo, OperationInfo, PoolInfo, StructInfo, Type, UnionInfo } from "./types.ts";

export type FunExpr = Extract<Ast.Expr, { kind: "FunExpr" }>;
export type NameExpr = Extract<Ast.Expr, { kind: "NameExpr" }>;
export type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;
export type WithExpr = Extract<Ast.Expr, { kind: "WithExpr" }>;
export type HandlerExpr = Extract<Ast.Expr, { kind: "HandlerExpr" }>;

export interface LocalBinding {
  name: string;
  /** Unique within its module: code generation derives the JavaScript name from it. */
  id: number;
  type: Type;
  mutable: boolean;
  span: Span;
  /** Set when an immutable local is bound directly to a lambda, so calls to it see its exact row. */
  lambda: FunExpr | null;
}

export interface FunctionInfo {
  name: string;
  module: string;
  node: FunExpr;
  type: Type & { kind: "Function" };
  span: Span;
  /** For `(prev: old T) -> T` functions: the type they migrate. */
  migrates: StructInfo | UnionInfo | null;
  /** A migration function whose old type is unknown (no running version): body not checked. */
  uncheckedMigration: boolean;
}

export interface ConstantInfo {
  name: string;
  module: string;
  type: Type;
  value: Ast.Expr;
  span: Span;
}

export interface StateInfo {
  name: string;
  module: string;
  type: Type;
  initializer: Ast.Expr;
  span: Span;
}

export interface ImportedName {
  module: ModuleInfo;
  name: string;
}

export interface ModuleInfo {
  name: string;
  file: SourceFile;
  ast: Ast.ModuleAst;
  builtin: boolean;
  /** Qualifier (last path segment) to module: `import engine/input` gives `input`. */
  imports: Map<string, ModuleInfo>;
  importedNames: Map<string, ImportedName>;
  structs: Map<string, StructInfo>;
  unions: Map<string, UnionInfo>;
  effects: Map<string, EffectInfo>;
  operations: Map<string, OperationInfo>;
  pools: Map<string, PoolInfo>;
  functions: Map<string, FunctionInfo>;
  constants: Map<string, ConstantInfo>;
  states: Map<string, StateInfo>;
  /** Declaration order of constants, for evaluation at instantiation. */
  constantOrder: string[];
}

export type Resolution =
  | { kind: "Local"; binding: LocalBinding }
  | { kind: "Function"; function: FunctionInfo }
  | { kind: "Constant"; constant: ConstantInfo }
  | { kind: "State"; state: StateInfo }
  | { kind: "Pool"; pool: PoolInfo }
  | { kind: "Operation"; operation: OperationInfo }
  | { kind: "Variant"; union: UnionInfo; index: number }
  | { kind: "Builtin"; name: string };

/** Where a `cancel` unwinds to: the `with` of an inline handler, or a standalone handler value. */
export type CancelTarget = { kind: "With"; node: WithExpr } | { kind: "HandlerValue"; node: HandlerExpr };

export interface CheckedProgram {
  modules: ModuleInfo[];
  diagnostics: Diagnostic[];
  /** Type of every checked expression. */
  types: Map<Ast.Expr, Type>;
  resolutions: Map<NameExpr, Resolution>;
  /** Arguments of each call after spreading `f (a, b)` into two. */
  callArguments: Map<CallExpr, Ast.Expr[]>;
  /** Local bound by each let, parameter, for-binder and binding pattern. */
  bindings: Map<object, LocalBinding>;
  /** Final effect row of every function and lambda. */
  rows: Map<FunExpr, Set<string>>;
  handlerEffects: Map<HandlerExpr, EffectInfo>;
  /** The struct a record literal `{ ... }` builds, decided from context. */
  recordTypes: Map<Ast.Expr, StructInfo>;
  cancelTargets: Map<Ast.Expr, CancelTarget>;
  /** Union variant built by each `Mode/Chase { ... }`. */
  variantConstructs: Map<Ast.Expr, { union: UnionInfo; index: number }>;
}

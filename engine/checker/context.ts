// The state objects the checker threads through its functions (no module-level state):
// the whole-program checker, a module being checked, and the scope inside a function body.

import { error, type Diagnostic, type DiagnosticNote, type Span } from "../diagnostics/diagnostic.ts";
import type * as Ast from "../syntax/ast.ts";
import type { PreludeEffects } from "./builtins.ts";
import type { EffectTerm } from "./effects.ts";
import type { CancelTarget, CheckedProgram, FunExpr, LocalBinding, ModuleInfo } from "./program.ts";
import { resolve, type StructInfo, type Type, type UnionInfo, type VarSupply } from "./types.ts";

/** Types of the version that is running now, for `old T` in migration functions. */
export type PreviousTypes = Map<string, Map<string, StructInfo | UnionInfo>>;

/** A function value flowing into a declared function type: its row must fit the declared one. */
export interface Coercion {
  actual: Type;
  expected: Type;
  span: Span;
  module: ModuleInfo;
}

/** A place where effects reach the engine: they must all be host effects there. */
export interface EntryPoint {
  description: string;
  terms: EffectTerm[];
  span: Span;
  module: ModuleInfo;
  mayWait: boolean;
  /** Only waiting is checked (a handler clause: its other effects go to the handlers outside). */
  waitOnly?: boolean;
}

export interface Checker {
  program: CheckedProgram;
  supply: VarSupply;
  prelude: PreludeEffects;
  modulesByName: Map<string, ModuleInfo>;
  terms: Map<FunExpr, EffectTerm[]>;
  entries: EntryPoint[];
  coercions: Coercion[];
  previousTypes: PreviousTypes | null;
  nextLocalId: number;
}

export interface ModuleScope {
  checker: Checker;
  module: ModuleInfo;
}

export interface HandlerFrame {
  target: CancelTarget;
  cancelType: Type;
}

export interface FunctionScope {
  moduleScope: ModuleScope;
  /** Innermost scope last. */
  locals: Array<Map<string, LocalBinding>>;
  /** What `return` must give; null where there is no function to leave (top-level values, handler clauses). */
  resultType: Type | null;
  loopDepth: number;
  /** Handler clauses we are lexically inside, innermost last (targets of `cancel`). */
  handlers: HandlerFrame[];
  /** Effect terms of the innermost `with` body or function body being checked. */
  collector: EffectTerm[];
  /** Inside a migration function, `cancel` refuses the whole reload. */
  inMigration: boolean;
}

export function report(
  scope: ModuleScope,
  span: Span,
  code: string,
  message: string,
  notes: DiagnosticNote[] = [],
): Diagnostic {
  const diagnostic = error(scope.module.file, span, code, message, notes);
  scope.checker.program.diagnostics.push(diagnostic);
  return diagnostic;
}

export function declareLocal(
  scope: FunctionScope,
  name: string,
  type: Type,
  mutable: boolean,
  span: Span,
  owner: object,
): LocalBinding {
  const checker = scope.moduleScope.checker;
  const binding: LocalBinding = { name, id: checker.nextLocalId++, type, mutable, span, lambda: null };
  scope.locals[scope.locals.length - 1].set(name, binding);
  checker.program.bindings.set(owner, binding);
  return binding;
}

export function lookupLocal(scope: FunctionScope, name: string): LocalBinding | undefined {
  for (let index = scope.locals.length - 1; index >= 0; index--) {
    const found = scope.locals[index].get(name);
    if (found) return found;
  }
  return undefined;
}

export function withBlockScope<T>(scope: FunctionScope, body: () => T): T {
  scope.locals.push(new Map());
  try {
    return body();
  } finally {
    scope.locals.pop();
  }
}

/**
 * A value of type `actual` is stored, returned or passed where `expected` is declared. Unifying
 * function types ignores their rows (they are only known after solving), so a function value
 * flowing there is recorded and its row checked against (or added to) the expected one later.
 */
export function recordCoercion(scope: FunctionScope, actual: Type, expected: Type, span: Span): void {
  const target = resolve(expected).kind;
  if (target !== "Function" && target !== "Var") return;
  scope.moduleScope.checker.coercions.push({ actual, expected, span, module: scope.moduleScope.module });
}

export function recordType(scope: FunctionScope | ModuleScope, expr: Ast.Expr, type: Type): Type {
  const checker = "checker" in scope ? scope.checker : scope.moduleScope.checker;
  checker.program.types.set(expr, type);
  return type;
}

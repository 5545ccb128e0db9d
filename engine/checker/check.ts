// Entry point of the checker: takes parsed modules in dependency order and produces the
// checked program (declarations, side tables, solved effect rows) plus diagnostics.

import type { SourceFile } from "../diagnostics/source.ts";
import type * as Ast from "../syntax/ast.ts";
import { createPreludeEffects } from "./builtins.ts";
import { recordCoercion, report, type Checker, type FunctionScope, type ModuleScope, type PreviousTypes } from "./context.ts";
import { checkCycles } from "./cycles.ts";
import { collectDeclarations } from "./declarations.ts";
import { checkCoercions, checkEntryPoints, solveRows } from "./effects.ts";
import { checkExpr, checkFunctionBody, reportMismatch } from "./expressions.ts";
import { memberOf } from "./names.ts";
import type { CheckedProgram, FunctionInfo, ModuleInfo } from "./program.ts";
import { FLOAT, UNIT, resolve, typeToString, unify, type Type } from "./types.ts";

export interface ModuleInput {
  name: string;
  file: SourceFile;
  ast: Ast.ModuleAst;
  builtin: boolean;
}

export interface CheckOptions {
  /** Types of the running version of each module, for migration functions' `old T`. */
  previousTypes?: PreviousTypes;
}

export function checkProgram(inputs: ModuleInput[], options: CheckOptions = {}): CheckedProgram {
  const checker = createChecker(options);
  for (const input of inputs) {
    const module = createModuleInfo(input);
    checker.modulesByName.set(module.name, module);
    checker.program.modules.push(module);
    const scope: ModuleScope = { checker, module };
    resolveImports(scope);
    collectDeclarations(scope);
    checkModuleBodies(scope);
    checkCycles(scope);
  }
  solveRows(checker);
  checkCoercions(checker);
  checkEntryPoints(checker);
  return checker.program;
}

function createChecker(options: CheckOptions): Checker {
  const program: CheckedProgram = {
    modules: [],
    diagnostics: [],
    types: new Map(),
    resolutions: new Map(),
    callArguments: new Map(),
    bindings: new Map(),
    rows: new Map(),
    handlerEffects: new Map(),
    recordTypes: new Map(),
    cancelTargets: new Map(),
    variantConstructs: new Map(),
  };
  return {
    program,
    supply: { next: 0 },
    prelude: createPreludeEffects(),
    modulesByName: new Map(),
    terms: new Map(),
    entries: [],
    coercions: [],
    previousTypes: options.previousTypes ?? null,
    nextLocalId: 0,
  };
}

function createModuleInfo(input: ModuleInput): ModuleInfo {
  return {
    name: input.name,
    file: input.file,
    ast: input.ast,
    builtin: input.builtin,
    imports: new Map(),
    importedNames: new Map(),
    structs: new Map(),
    unions: new Map(),
    effects: new Map(),
    operations: new Map(),
    pools: new Map(),
    functions: new Map(),
    constants: new Map(),
    states: new Map(),
    constantOrder: [],
  };
}

/** `import a/b` names module `a/b` if there is one, else the member `b` of module `a`. */
function resolveImports(scope: ModuleScope): void {
  const { checker, module } = scope;
  const hot = checker.modulesByName.get("hot");
  if (hot && !module.builtin) module.imports.set("hot", hot);
  for (const item of module.ast.items) {
    if (item.kind !== "ImportItem") continue;
    const segments = item.path.segments;
    const whole = checker.modulesByName.get(segments.join("/"));
    if (whole) {
      module.imports.set(segments[segments.length - 1], whole);
      continue;
    }
    const owner = checker.modulesByName.get(segments.slice(0, -1).join("/"));
    const name = segments[segments.length - 1];
    if (owner && (memberOf(owner, name) || owner.structs.has(name) || owner.unions.has(name) || owner.effects.has(name))) {
      module.importedNames.set(name, { module: owner, name });
      continue;
    }
    report(scope, item.path.span, "E0170", `cannot find module ${segments.join("/")}`);
  }
}

function topScope(scope: ModuleScope): FunctionScope {
  return { moduleScope: scope, locals: [new Map()], resultType: null, loopDepth: 0, handlers: [], collector: [], inMigration: false };
}

function checkModuleBodies(scope: ModuleScope): void {
  const { module, checker } = scope;
  for (const name of module.constantOrder) {
    const constant = module.constants.get(name)!;
    checkTopValue(scope, constant.value, constant.type, `the constant ${name}`, constant.span);
  }
  for (const state of module.states.values()) {
    checkTopValue(scope, state.initializer, state.type, `the initial value of ${state.name}`, state.span);
  }
  checkFieldDefaults(scope);
  for (const fn of module.functions.values()) checkTopFunction(scope, fn);
  checkEntrySignature(scope, module.functions.get("init"), [], "init := fun (). ...");
  checkEntrySignature(scope, module.functions.get("update"), [FLOAT], "update := fun (dt: f64). ...");
  for (const name of ["init", "update"]) {
    const fn = module.functions.get(name);
    if (fn) checker.entries.push({ description: name, terms: [{ kind: "CallFunction", target: fn.node }], span: fn.span, module, mayWait: false });
  }
}

function checkTopValue(scope: ModuleScope, value: Ast.Expr, type: Type, description: string, span: Ast.Span): void {
  const functionScope = topScope(scope);
  const actual = checkExpr(functionScope, value, type);
  if (!unify(actual, type)) reportMismatch(functionScope, value, actual, type, description);
  else recordCoercion(functionScope, actual, type, value.span);
  scope.checker.entries.push({ description, terms: functionScope.collector, span, module: scope.module, mayWait: false });
}

/** Defaults are evaluated wherever a value is built without them, so they are checked once here. */
function checkFieldDefaults(scope: ModuleScope): void {
  const owners = [
    ...[...scope.module.structs.values()].map((struct) => ({ name: struct.name, fields: struct.fields })),
    ...[...scope.module.unions.values()].flatMap((union) => union.variants.map((variant) => ({ name: `${union.name}/${variant.name}`, fields: variant.fields }))),
  ];
  for (const owner of owners) {
    for (const field of owner.fields) {
      if (field.defaultValue) checkTopValue(scope, field.defaultValue, field.type, `the default of ${owner.name}.${field.name}`, field.span);
    }
  }
}

function checkTopFunction(scope: ModuleScope, fn: FunctionInfo): void {
  if (fn.uncheckedMigration) {
    scope.checker.terms.set(fn.node, []);
    return;
  }
  if (fn.migrates) checkMigrationResult(scope, fn);
  checkFunctionBody(scope, fn.node, fn.type, [], fn.migrates !== null);
}

function checkMigrationResult(scope: ModuleScope, fn: FunctionInfo): void {
  const result = resolve(fn.type.result);
  const target = fn.migrates!;
  const matches = (result.kind === "Struct" && result.struct === target) || (result.kind === "Union" && result.union === target);
  if (!matches && result.kind !== "Var") {
    report(scope, fn.span, "E0171", `migration function ${fn.name} takes old ${target.name}, so it must return ${target.name}, not ${typeToString(result)}`);
  }
}

function checkEntrySignature(scope: ModuleScope, fn: FunctionInfo | undefined, params: Type[], example: string): void {
  if (!fn) return;
  const fits = fn.type.params.length === params.length && fn.type.params.every((param, index) => unify(param, params[index]));
  // Without a written result type, the value of the body is simply discarded by the engine.
  const resultFits = fn.node.result === null || unify(fn.type.result, UNIT);
  if (!fits || !resultFits) {
    report(scope, fn.span, "E0172", `the engine calls ${fn.name} as \`${example}\`; this one has type ${typeToString(fn.type)}`);
  }
}

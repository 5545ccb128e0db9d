// Pass one over a module: collects its types, effects, pools, functions, constants and state,
// and turns written type expressions into checker types.

import type * as Ast from "../syntax/ast.ts";
import { PRELUDE_FUNCTIONS } from "./builtins.ts";
import { report, type ModuleScope } from "./context.ts";
import type { FunExpr, ModuleInfo } from "./program.ts";
import { suggestName } from "./suggest.ts";
import {
  BOOL,
  ERROR,
  FLOAT,
  INT,
  NEVER,
  STR,
  SYMBOL,
  UNIT,
  VEC2,
  freshVar,
  resolve,
  typeToString,
  type EffectInfo,
  type FieldInfo,
  type PoolInfo,
  type StructInfo,
  type Type,
  type UnionInfo,
} from "./types.ts";

const SCALAR_TYPES: Record<string, Type> = {
  i32: INT,
  f64: FLOAT,
  bool: BOOL,
  Str: STR,
  Symbol: SYMBOL,
  Vec2: VEC2,
};

export interface TypeOptions {
  /** Where `old T` is allowed, the types of the running version (or null when none runs). */
  oldTypes: "forbidden" | Map<string, StructInfo | UnionInfo> | null;
}

/** Result of resolving `old T` when no version is running: the caller skips the body. */
export const UNKNOWN_OLD: Type = { kind: "Error" };

export function resolveTypeExpr(scope: ModuleScope, typeExpr: Ast.TypeExpr, options: TypeOptions): Type {
  switch (typeExpr.kind) {
    case "NamedType":
      return resolveNamedType(scope, typeExpr.path);
    case "PointerType":
      return resolvePointerType(scope, typeExpr, options);
    case "FunctionType":
      return {
        kind: "Function",
        params: typeExpr.params.map((param) => resolveTypeExpr(scope, param, options)),
        result: resolveTypeExpr(scope, typeExpr.result, options),
        effects: new Set((typeExpr.effects ?? []).map((path) => resolveEffectName(scope, path))),
      };
    case "TupleType":
      return { kind: "Tuple", items: typeExpr.items.map((item) => resolveTypeExpr(scope, item, options)) };
    case "UnitType":
      return UNIT;
    case "NeverType":
      return NEVER;
    case "HoleType":
      return freshVar(scope.checker.supply);
    case "OldType":
      return resolveOldType(scope, typeExpr, options);
    default: {
      const never: never = typeExpr;
      return never;
    }
  }
}

function resolveOldType(scope: ModuleScope, typeExpr: Ast.TypeExpr & { kind: "OldType" }, options: TypeOptions): Type {
  if (options.oldTypes === "forbidden") {
    report(scope, typeExpr.span, "E0201", "`old T` is only allowed as the parameter type of a migration function");
    return ERROR;
  }
  const inner = typeExpr.inner;
  if (inner.kind !== "NamedType") {
    report(scope, typeExpr.span, "E0202", "`old` applies to a struct or union name");
    return ERROR;
  }
  resolveNamedType(scope, inner.path); // the type must exist in the new version too
  if (options.oldTypes === null) return UNKNOWN_OLD;
  const name = inner.path.segments[inner.path.segments.length - 1];
  const old = options.oldTypes.get(name);
  if (!old) {
    report(scope, typeExpr.span, "E0203", `the running version of module ${scope.module.name} has no type ${name}`);
    return ERROR;
  }
  return "fields" in old ? { kind: "Struct", struct: { ...old, fields: old.fields.map((field) => ({ ...field, type: currentIfSame(scope, field.type) })) } } : { kind: "Union", union: old };
}

/**
 * A field of an `old T` whose type names a struct, union or pool that the new version declares
 * with the same shape is given the new version's type, so `prev.body` or `prev.mode` can be
 * stored in the new T as the skeleton does (types are otherwise compared by identity).
 */
function currentIfSame(scope: ModuleScope, type: Type): Type {
  const shape = (t: Type): string => (t.kind === "Struct" ? t.struct.fields : t.kind === "Union" ? t.union.variants.flatMap((variant) => [variant.name, ...variant.fields]) : []).map((item) => (typeof item === "string" ? item : `${item.name}:${typeToString(item.type)}`)).join(",");
  const module = (name: string) => scope.checker.modulesByName.get(name);
  if (type.kind === "Pointer") {
    const pool = module(type.pool.module)?.pools.get(type.pool.name);
    return pool && pool.qualifiedName === type.pool.qualifiedName ? { kind: "Pointer", pool } : type;
  }
  if (type.kind !== "Struct" && type.kind !== "Union") return type;
  const info = type.kind === "Struct" ? type.struct : type.union;
  const owner = module(info.module);
  const current = owner ? typeIn(owner, info.name) : null;
  return current && current.kind === type.kind && shape(current) === shape(type) ? current : type;
}

export function resolveNamedType(scope: ModuleScope, path: Ast.Path): Type {
  const found = lookupTypeDeclaration(scope.module, path.segments);
  if (found) return found;
  const name = path.segments.join("/");
  const candidates = [...Object.keys(SCALAR_TYPES), ...scope.module.structs.keys(), ...scope.module.unions.keys()];
  const hint = suggestName(name, candidates);
  report(scope, path.span, "E0204", `unknown type ${name}${hint ? `; did you mean ${hint}?` : ""}`);
  return ERROR;
}

function lookupTypeDeclaration(module: ModuleInfo, segments: string[]): Type | null {
  if (segments.length === 1) {
    const name = segments[0];
    if (Object.hasOwn(SCALAR_TYPES, name)) return SCALAR_TYPES[name];
    const local = typeIn(module, name);
    if (local) return local;
    const imported = module.importedNames.get(name);
    return imported ? typeIn(imported.module, imported.name) : null;
  }
  if (segments.length === 2) {
    const target = module.imports.get(segments[0]);
    return target ? typeIn(target, segments[1]) : null;
  }
  return null;
}

function typeIn(module: ModuleInfo, name: string): Type | null {
  const struct = module.structs.get(name);
  if (struct) return { kind: "Struct", struct };
  const union = module.unions.get(name);
  if (union) return { kind: "Union", union };
  return null;
}

function resolvePointerType(
  scope: ModuleScope,
  typeExpr: Ast.TypeExpr & { kind: "PointerType" },
  options: TypeOptions,
): Type {
  const pool = lookupPool(scope.module, typeExpr.pool.segments);
  const target = resolveTypeExpr(scope, typeExpr.target, options);
  if (!pool) {
    report(scope, typeExpr.pool.span, "E0205", `unknown pool '${typeExpr.pool.segments.join("/")}`);
    return ERROR;
  }
  const element = resolve(pool.element);
  if (target.kind !== "Error" && element.kind !== "Error" && !(target.kind === "Struct" && element.kind === "Struct" && target.struct === element.struct)) {
    report(scope, typeExpr.target.span, "E0220", `pool '${pool.name} holds ${typeToString(element)}, not ${typeToString(target)}: write \`*'${pool.name} ${typeToString(element)}\``);
  }
  return { kind: "Pointer", pool };
}

export function lookupPool(module: ModuleInfo, segments: string[]): PoolInfo | null {
  if (segments.length === 1) {
    const local = module.pools.get(segments[0]);
    if (local) return local;
    const imported = module.importedNames.get(segments[0]);
    return imported ? (imported.module.pools.get(imported.name) ?? null) : null;
  }
  const target = segments.length === 2 ? module.imports.get(segments[0]) : undefined;
  return target ? (target.pools.get(segments[1]) ?? null) : null;
}

export function lookupEffect(module: ModuleInfo, segments: string[]): EffectInfo | null {
  if (segments.length === 1) {
    const local = module.effects.get(segments[0]);
    if (local) return local;
    const imported = module.importedNames.get(segments[0]);
    return imported ? (imported.module.effects.get(imported.name) ?? null) : null;
  }
  const target = segments.length === 2 ? module.imports.get(segments[0]) : undefined;
  return target ? (target.effects.get(segments[1]) ?? null) : null;
}

function resolveEffectName(scope: ModuleScope, path: Ast.Path): string {
  if (path.segments.length === 1 && (path.segments[0] === "Log" || path.segments[0] === "Wait")) {
    return path.segments[0];
  }
  const effect = lookupEffect(scope.module, path.segments);
  if (effect) return effect.qualifiedName;
  report(scope, path.span, "E0206", `unknown effect ${path.segments.join("/")}`);
  return path.segments.join("/");
}

// ---------------------------------------------------------------- collecting declarations

/** Registers every top-level name with a placeholder so bodies can refer to later declarations. */
export function collectDeclarations(scope: ModuleScope): void {
  const seen = new Map<string, Ast.Span>();
  for (const item of scope.module.ast.items) {
    if (item.kind === "ImportItem") continue;
    const previous = seen.get(item.name);
    if (previous) {
      report(scope, item.nameSpan, "E0207", `${item.name} is already declared in this module`, [
        { message: "first declared here", file: scope.module.file, span: previous },
      ]);
      continue;
    }
    seen.set(item.name, item.nameSpan);
    declareName(scope, item);
  }
  for (const item of scope.module.ast.items) fillDeclaration(scope, item);
}

function declareName(scope: ModuleScope, item: Exclude<Ast.TopItem, { kind: "ImportItem" }>): void {
  const module = scope.module;
  const qualifiedName = `${module.name}/${item.name}`;
  const base = { qualifiedName, name: item.name, module: module.name, file: module.file, span: item.span };
  switch (item.kind) {
    case "StructItem":
      module.structs.set(item.name, { ...base, fields: [] });
      return;
    case "UnionItem":
      module.unions.set(item.name, { ...base, variants: [] });
      return;
    case "EffectItem":
      declareEffect(module, item, qualifiedName);
      return;
    case "PoolItem":
      module.pools.set(item.name, { qualifiedName, name: item.name, module: module.name, element: ERROR });
      return;
    case "BindingItem":
      if (PRELUDE_FUNCTIONS.has(item.name)) {
        report(scope, item.nameSpan, "E0208", `${item.name} is a prelude function and cannot be redefined`);
      }
      return;
    default: {
      const never: never = item;
      return never;
    }
  }
}

function declareEffect(module: ModuleInfo, item: Ast.TopItem & { kind: "EffectItem" }, qualifiedName: string): void {
  const host = module.builtin;
  module.effects.set(item.name, { qualifiedName, name: item.name, module: module.name, operations: new Map(), host });
}

function fillDeclaration(scope: ModuleScope, item: Ast.TopItem): void {
  const forbidden: TypeOptions = { oldTypes: "forbidden" };
  switch (item.kind) {
    case "ImportItem":
      return;
    case "StructItem": {
      const struct = scope.module.structs.get(item.name);
      if (struct && struct.span === item.span) struct.fields = collectFields(scope, item.fields, forbidden);
      return;
    }
    case "UnionItem":
      fillUnion(scope, item, forbidden);
      return;
    case "EffectItem":
      fillEffect(scope, item, forbidden);
      return;
    case "PoolItem": {
      const pool = scope.module.pools.get(item.name);
      if (pool) pool.element = resolvePoolElement(scope, item.element);
      return;
    }
    case "BindingItem":
      declareBinding(scope, item);
      return;
    default: {
      const never: never = item;
      return never;
    }
  }
}

function collectFields(scope: ModuleScope, fields: Ast.StructField[], options: TypeOptions): FieldInfo[] {
  const result: FieldInfo[] = [];
  for (const field of fields) {
    if (result.some((existing) => existing.name === field.name)) {
      report(scope, field.span, "E0209", `field ${field.name} is declared twice`);
      continue;
    }
    const type = resolveTypeExpr(scope, field.type, options);
    if (!isStorable(type)) {
      report(scope, field.type.span, "E0210", `a field cannot hold ${describeKind(type)}: fields hold plain data`);
    }
    result.push({ name: field.name, type, defaultValue: field.defaultValue, span: field.span });
  }
  return result;
}

/** Plain data only: what a pool can hold and a migration can carry over. */
export function isStorable(type: Type): boolean {
  switch (type.kind) {
    case "Function":
    case "HandlerType":
    case "PoolType":
    case "Never":
      return false;
    case "Tuple":
      return type.items.every(isStorable);
    default:
      return true;
  }
}

function describeKind(type: Type): string {
  return type.kind === "Function" ? "a function" : type.kind === "HandlerType" ? "a handler" : "this type";
}

function fillUnion(scope: ModuleScope, item: Ast.TopItem & { kind: "UnionItem" }, options: TypeOptions): void {
  const union = scope.module.unions.get(item.name);
  if (!union || union.span !== item.span) return;
  for (const variant of item.variants) {
    if (union.variants.some((existing) => existing.name === variant.name)) {
      report(scope, variant.span, "E0211", `variant ${variant.name} is declared twice`);
      continue;
    }
    const fields = collectFields(scope, variant.fields, options);
    union.variants.push({ name: variant.name, index: union.variants.length, fields, span: variant.span });
  }
}

function fillEffect(scope: ModuleScope, item: Ast.TopItem & { kind: "EffectItem" }, options: TypeOptions): void {
  const effect = scope.module.effects.get(item.name);
  if (!effect) return;
  for (const declaration of item.operations) {
    const type = resolveTypeExpr(scope, declaration.type, options);
    if (type.kind !== "Function") {
      report(scope, declaration.span, "E0212", `operation ${declaration.name} needs a function type such as \`() -> i32\``);
      continue;
    }
    const operation = { name: declaration.name, params: type.params, result: type.result, effect };
    effect.operations.set(declaration.name, operation);
    const sameName = topLevelValueNamed(scope, declaration.name);
    if (scope.module.operations.has(declaration.name)) {
      report(scope, declaration.span, "E0213", `operation ${declaration.name} is already declared in this module`);
    } else if (sameName) {
      // Top-level values win name lookup, so the operation could never be performed.
      report(scope, declaration.span, "E0213", `operation ${declaration.name} has the name of a top-level value of this module`, [
        { message: "declared here", file: scope.module.file, span: sameName },
      ]);
    } else {
      scope.module.operations.set(declaration.name, operation);
    }
  }
}

/** Where a binding or pool of this name is declared at the top of the module, if one is. */
function topLevelValueNamed(scope: ModuleScope, name: string): Ast.Span | null {
  const item = scope.module.ast.items.find((candidate) => (candidate.kind === "BindingItem" || candidate.kind === "PoolItem") && candidate.name === name);
  return item && item.kind !== "ImportItem" ? item.nameSpan : null;
}

function resolvePoolElement(scope: ModuleScope, element: Ast.TypeExpr): Type {
  const type = resolveTypeExpr(scope, element, { oldTypes: "forbidden" });
  if (type.kind !== "Struct" && type.kind !== "Error") {
    report(scope, element.span, "E0214", "a pool holds structs: declare `Name := struct { ... }` and use `pool Name`");
    return ERROR;
  }
  return type;
}

/** Functions get their signature now; constants and state get their type when checked. */
function declareBinding(scope: ModuleScope, item: Ast.TopItem & { kind: "BindingItem" }): void {
  const module = scope.module;
  if (item.mutable) {
    const type = item.type ? resolveTypeExpr(scope, item.type, { oldTypes: "forbidden" }) : freshVar(scope.checker.supply);
    module.states.set(item.name, { name: item.name, module: module.name, type, initializer: item.value, span: item.span });
    return;
  }
  if (item.value.kind === "FunExpr") {
    declareFunction(scope, item.name, item.value, item.nameSpan);
    return;
  }
  const type = item.type ? resolveTypeExpr(scope, item.type, { oldTypes: "forbidden" }) : freshVar(scope.checker.supply);
  module.constants.set(item.name, { name: item.name, module: module.name, type, value: item.value, span: item.span });
  module.constantOrder.push(item.name);
}

function declareFunction(scope: ModuleScope, name: string, node: FunExpr, span: Ast.Span): void {
  const checker = scope.checker;
  const oldTypes = checker.previousTypes ? (checker.previousTypes.get(scope.module.name) ?? new Map()) : null;
  let uncheckedMigration = false;
  let migrates: StructInfo | UnionInfo | null = null;
  const params = node.params.map((param) => {
    if (!param.type) return freshVar(checker.supply);
    const type = resolveTypeExpr(scope, param.type, { oldTypes });
    if (param.type.kind === "OldType") {
      if (type === UNKNOWN_OLD) uncheckedMigration = true;
      const current = resolveTypeExpr(scope, param.type.inner, { oldTypes: "forbidden" });
      if (current.kind === "Struct") migrates = current.struct;
      if (current.kind === "Union") migrates = current.union;
    }
    return type;
  });
  const result = node.result ? resolveTypeExpr(scope, node.result, { oldTypes: "forbidden" }) : freshVar(checker.supply);
  const row = new Set<string>();
  checker.program.rows.set(node, row);
  const type = { kind: "Function" as const, params, result, effects: row };
  scope.module.functions.set(name, { name, module: scope.module.name, node, type, span, migrates, uncheckedMigration });
}

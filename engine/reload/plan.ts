// Plans a reload: compares the running program with the new one, module by module, and decides
// per pool how its live data carries over (column copies, widening, defaults, retagged unions, or
// a written migration function), or why it cannot (with a ready-to-paste migration skeleton).

import { error, positionOf, warning, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatDiagnostics } from "../diagnostics/format.ts";
import type { CheckedProgram, ModuleInfo } from "../checker/program.ts";
import { resolve, typeToString, type FieldInfo, type PoolInfo, type StructInfo, type Type, type UnionInfo, type VariantInfo } from "../checker/types.ts";
import { exportKey } from "../runtime/names.ts";
import type { CompiledModule } from "../runtime/module.ts";
import type { ColumnSpec } from "../runtime/pool.ts";
import type { ColumnStep, DroppedField, ModulePlan, PoolPlan, RemovedVariant, StatePlan, TypeChange } from "./plan-types.ts";

/** What the compiler side remembers about the version that is running. */
export interface RunningProgram {
  program: CheckedProgram;
  modules: CompiledModule[];
  versions: Map<string, number>;
}

export interface PlanResult {
  plans: ModulePlan[];
  /** Errors reject the reload; warnings are reported with it. */
  diagnostics: Diagnostic[];
}

interface PlanContext {
  running: RunningProgram;
  next: CheckedProgram;
  diagnostics: Diagnostic[];
  /** Migration problems of the module being planned: they become its plan's `problem`. */
  problems: Diagnostic[];
}

export function planReload(running: RunningProgram, next: CheckedProgram, nextModules: CompiledModule[]): PlanResult {
  const context: PlanContext = { running, next, diagnostics: [], problems: [] };
  const plans: ModulePlan[] = [];
  for (const compiled of nextModules) {
    const previous = running.modules.find((module) => module.name === compiled.name);
    if (previous && previous.code === compiled.code && JSON.stringify(previous.pools) === JSON.stringify(compiled.pools)) continue;
    const plan = planModule(context, compiled, previous ?? null);
    if (plan) plans.push(plan);
  }
  return { plans, diagnostics: context.diagnostics };
}

function moduleInfo(program: CheckedProgram, name: string): ModuleInfo | undefined {
  return program.modules.find((module) => module.name === name);
}

function planModule(context: PlanContext, compiled: CompiledModule, previous: CompiledModule | null): ModulePlan | null {
  const newInfo = moduleInfo(context.next, compiled.name);
  if (!newInfo) return null;
  const fromVersion = context.running.versions.get(compiled.name) ?? 0;
  const plan: ModulePlan = { module: compiled.name, fromVersion, toVersion: fromVersion + 1, added: previous === null, pools: [], states: [], changes: [], problem: null };
  const oldInfo = previous ? moduleInfo(context.running.program, compiled.name) : undefined;
  const moduleContext: PlanContext = { ...context, problems: [] };
  planPools(moduleContext, plan, newInfo, oldInfo, compiled, previous);
  planStates(moduleContext, plan, newInfo, oldInfo);
  // Not a rejection yet: the game's `hot/Reload` policy may reset the module, which needs no migration.
  if (moduleContext.problems.length > 0) plan.problem = summarizeErrors(moduleContext.problems);
  return plan;
}

/** The first error, with where it is, as a one-line reason; all of them with code frames as details. */
export function summarizeErrors(errors: Diagnostic[]): { reason: string; details: string } {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return { reason: `${positionOf(first)}: ${first.message}${more}`, details: formatDiagnostics(errors) };
}

// ---------------------------------------------------------------- pools

function planPools(context: PlanContext, plan: ModulePlan, newInfo: ModuleInfo, oldInfo: ModuleInfo | undefined, compiled: CompiledModule, previous: CompiledModule | null): void {
  for (const pool of newInfo.pools.values()) {
    const oldPool = oldInfo?.pools.get(pool.name);
    const oldLayout = previous?.pools.find((candidate) => candidate.name === pool.name)?.layout;
    const newLayout = compiled.pools.find((candidate) => candidate.name === pool.name)?.layout;
    if (!oldPool || !oldLayout) {
      plan.pools.push({ kind: "added", pool: pool.name });
      plan.changes.push({ typeName: pool.name, change: "pool-added", detail: `pool ${pool.name} starts empty` });
      continue;
    }
    if (!newLayout) continue;
    plan.pools.push(planPool(context, plan, oldPool, oldLayout.columns, pool, newLayout.columns));
  }
  for (const oldPool of oldInfo?.pools.values() ?? []) {
    if (newInfo.pools.has(oldPool.name)) continue;
    plan.pools.push({ kind: "removed", pool: oldPool.name });
    plan.changes.push({ typeName: oldPool.name, change: "pool-removed", detail: `pool ${oldPool.name} and its elements are dropped` });
    context.diagnostics.push(warning(newInfo.file, { start: 0, end: 0 }, "W0401", `pool ${oldPool.name} was removed: its elements are dropped`));
  }
}

function elementOf(pool: PoolInfo): StructInfo | null {
  const element = resolve(pool.element);
  return element.kind === "Struct" ? element.struct : null;
}

/** Facts gathered while matching the new layout's columns against the old one. */
interface PoolFindings {
  steps: ColumnStep[];
  changes: TypeChange[];
  /** Owner struct → fields it gained / lost (both non-empty looks like a rename). */
  added: Map<string, string[]>;
  removed: Map<string, string[]>;
  dropped: DroppedField[];
  withoutDefault: string[];
  retyped: string[];
  removedVariants: RemovedVariant[];
}

function planPool(context: PlanContext, plan: ModulePlan, oldPool: PoolInfo, oldColumns: ColumnSpec[], newPool: PoolInfo, newColumns: ColumnSpec[]): PoolPlan {
  const oldElement = elementOf(oldPool);
  const newElement = elementOf(newPool);
  if (!oldElement || !newElement) return { kind: "unchanged", pool: newPool.name };
  const findings = compareColumns(oldElement, oldColumns, newElement, newColumns);
  const written = findMigration(context.next, newElement);
  if (findings.steps.every((step, index) => step.kind === "copy" && step.from === index) && oldColumns.length === newColumns.length && findings.removedVariants.length === 0) {
    return { kind: "unchanged", pool: newPool.name };
  }
  plan.changes.push(...findings.changes);
  if (written) return { kind: "written", pool: newPool.name, ...written };
  reportProblems(context, plan, newElement, oldElement, findings);
  return { kind: "generated", pool: newPool.name, steps: findings.steps, droppedFields: findings.dropped, removedVariants: findings.removedVariants };
}

function compareColumns(oldElement: StructInfo, oldColumns: ColumnSpec[], newElement: StructInfo, newColumns: ColumnSpec[]): PoolFindings {
  const findings: PoolFindings = { steps: [], changes: [], added: new Map(), removed: new Map(), dropped: [], withoutDefault: [], retyped: [], removedVariants: [] };
  const oldType: Type = { kind: "Struct", struct: oldElement };
  const newType: Type = { kind: "Struct", struct: newElement };
  newColumns.forEach((column, to) => {
    const from = oldColumns.findIndex((candidate) => candidate.path === column.path);
    findings.steps.push(from >= 0 ? matchedColumn(findings, oldType, newType, oldColumns[from], column, from, to) : newColumn(findings, oldType, newType, column, to));
  });
  oldColumns.forEach((column) => {
    if (!newColumns.some((candidate) => candidate.path === column.path)) noteRemoved(findings, oldType, newType, column.path, oldColumns);
  });
  return findings;
}

function segmentsOf(path: string): string[] {
  return path.replace("#tag", ".#tag").split(".");
}

function matchedColumn(findings: PoolFindings, oldType: Type, newType: Type, oldColumn: ColumnSpec, column: ColumnSpec, from: number, to: number): ColumnStep {
  if (column.path.endsWith("#tag")) return tagStep(findings, oldType, newType, column.path, from, to);
  if (oldColumn.kind === column.kind) return { kind: "copy", from, to };
  if (oldColumn.kind === "i32" && column.kind === "f64") {
    findings.changes.push({ typeName: column.path, change: "field-widened", detail: `${column.path}: i32 → f64` });
    return { kind: "widen", from, to };
  }
  findings.retyped.push(column.path);
  return { kind: "zero", to };
}

/** Walks both versions' types along a column path to the union whose tag this is. */
function unionsAt(oldType: Type, newType: Type, segments: string[]): [UnionInfo, UnionInfo] | null {
  let oldCurrent: Type | null = oldType;
  let newCurrent: Type | null = newType;
  for (const segment of segments.slice(0, -1)) {
    oldCurrent = oldCurrent ? memberType(oldCurrent, segment) : null;
    newCurrent = newCurrent ? memberType(newCurrent, segment) : null;
  }
  const oldUnion = oldCurrent ? resolve(oldCurrent) : null;
  const newUnion = newCurrent ? resolve(newCurrent) : null;
  return oldUnion?.kind === "Union" && newUnion?.kind === "Union" ? [oldUnion.union, newUnion.union] : null;
}

/** A variant's fields seen as the record they are, named `Union/Variant`, for walking paths. */
function variantRecord(union: UnionInfo, variant: VariantInfo): StructInfo {
  const name = `${union.name}/${variant.name}`;
  return { qualifiedName: `${union.qualifiedName}/${variant.name}`, name, module: union.module, fields: variant.fields, file: union.file, span: variant.span };
}

/** The type one path segment further down: a struct field, or (in a union) a variant's fields. */
function memberType(type: Type, segment: string): Type | null {
  const resolved = resolve(type);
  if (resolved.kind === "Struct") return resolved.struct.fields.find((field) => field.name === segment)?.type ?? null;
  if (resolved.kind === "Union") {
    const variant = resolved.union.variants.find((candidate) => candidate.name === segment);
    return variant ? { kind: "Struct", struct: variantRecord(resolved.union, variant) } : null;
  }
  if (resolved.kind === "Tuple") return resolved.items[Number(segment)] ?? null;
  return null;
}

function tagStep(findings: PoolFindings, oldType: Type, newType: Type, path: string, from: number, to: number): ColumnStep {
  const unions = unionsAt(oldType, newType, segmentsOf(path));
  if (!unions) return { kind: "copy", from, to };
  const [oldUnion, newUnion] = unions;
  const mapping = oldUnion.variants.map((variant) => newUnion.variants.findIndex((candidate) => candidate.name === variant.name));
  for (const variant of newUnion.variants) {
    if (!oldUnion.variants.some((candidate) => candidate.name === variant.name)) {
      findings.changes.push({ typeName: newUnion.name, change: "variant-added", detail: `${newUnion.name}/${variant.name}` });
    }
  }
  oldUnion.variants.forEach((variant, index) => {
    if (mapping[index] >= 0) return;
    findings.removedVariants.push({ column: from, tag: index, name: variant.name, typeName: oldUnion.name });
    findings.changes.push({ typeName: oldUnion.name, change: "variant-removed", detail: `${oldUnion.name}/${variant.name}` });
  });
  const identity = mapping.every((target, index) => target === index);
  return identity ? { kind: "copy", from, to } : { kind: "retag", from, to, mapping };
}

/** A column with no old counterpart: a new field (default needed), a new variant, or a retype. */
function newColumn(findings: PoolFindings, oldType: Type, newType: Type, column: ColumnSpec, to: number): ColumnStep {
  const segments = segmentsOf(column.path);
  let oldCurrent: Type | null = oldType;
  let newCurrent: Type = newType;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const resolvedNew = resolve(newCurrent);
    const resolvedOld: Type | null = oldCurrent ? resolve(oldCurrent) : null;
    if (resolvedNew.kind === "Union") {
      const variant = resolvedNew.union.variants.find((candidate) => candidate.name === segment);
      const oldVariant: VariantInfo | undefined = resolvedOld?.kind === "Union" ? resolvedOld.union.variants.find((candidate: VariantInfo) => candidate.name === segment) : undefined;
      if (!variant) break;
      if (!oldVariant) return { kind: "zero", to };
      const fieldName = segments[index + 1];
      const field = variant.fields.find((candidate) => candidate.name === fieldName);
      const oldField: FieldInfo | undefined = oldVariant.fields.find((candidate: FieldInfo) => candidate.name === fieldName);
      if (!field) break;
      if (!oldField) return addedField(findings, resolvedNew.union.module, `${resolvedNew.union.name}/${variant.name}`, field, segments.slice(index + 1), to);
      newCurrent = field.type;
      oldCurrent = oldField.type;
      index++;
      continue;
    }
    if (resolvedNew.kind === "Struct") {
      const field = resolvedNew.struct.fields.find((candidate) => candidate.name === segment);
      const oldField: FieldInfo | undefined = resolvedOld?.kind === "Struct" ? resolvedOld.struct.fields.find((candidate: FieldInfo) => candidate.name === segment) : undefined;
      if (!field) break;
      if (!oldField) return addedField(findings, resolvedNew.struct.module, resolvedNew.struct.name, field, segments.slice(index), to);
      newCurrent = field.type;
      oldCurrent = oldField.type;
      continue;
    }
    break;
  }
  findings.retyped.push(column.path);
  return { kind: "zero", to };
}

function addedField(findings: PoolFindings, module: string, owner: string, field: FieldInfo, path: string[], to: number): ColumnStep {
  const names = findings.added.get(owner) ?? [];
  if (!names.includes(field.name)) {
    names.push(field.name);
    findings.added.set(owner, names);
    findings.changes.push({ typeName: owner, change: "field-added", detail: `${owner}.${field.name}: ${typeToString(field.type)}` });
    if (!field.defaultValue) findings.withoutDefault.push(`${owner}.${field.name}`);
  }
  return { kind: "default", to, module, owner, path };
}

/** An old column with no new counterpart: which field (or variant) went away. */
function noteRemoved(findings: PoolFindings, oldType: Type, newType: Type, path: string, oldColumns: ColumnSpec[]): void {
  const segments = segmentsOf(path);
  let oldCurrent: Type = oldType;
  let newCurrent: Type | null = newType;
  // A variant's fields belong to `Union/Variant` (so a renamed variant field is seen as a rename),
  // and only values in that variant lose data when one is dropped.
  let variantOwner: string | null = null;
  let variant: DroppedField["variant"] = null;
  for (const [index, segment] of segments.entries()) {
    const resolvedOld = resolve(oldCurrent);
    const resolvedNew: Type | null = newCurrent ? resolve(newCurrent) : null;
    if (resolvedOld.kind === "Struct") {
      const inNew: FieldInfo | undefined = resolvedNew?.kind === "Struct" ? resolvedNew.struct.fields.find((field: FieldInfo) => field.name === segment) : undefined;
      if (!inNew) {
        recordRemoved(findings, variantOwner ?? resolvedOld.struct.name, segment, variant);
        return;
      }
      oldCurrent = resolvedOld.struct.fields.find((field) => field.name === segment)!.type;
      newCurrent = inNew.type;
      variantOwner = null;
      continue;
    }
    if (resolvedOld.kind === "Union") {
      const tagPath = `${segments.slice(0, index).join(".")}#tag`;
      variantOwner = `${resolvedOld.union.name}/${segment}`;
      variant = { column: oldColumns.findIndex((column) => column.path === tagPath), tag: resolvedOld.union.variants.findIndex((candidate) => candidate.name === segment) };
    }
    const next = memberType(resolvedOld, segment);
    if (!next) return;
    oldCurrent = next;
    newCurrent = newCurrent ? memberType(newCurrent, segment) : null;
    if (!newCurrent) return; // a removed variant: reported with its tag column
  }
}

function recordRemoved(findings: PoolFindings, owner: string, field: string, variant: DroppedField["variant"]): void {
  const names = findings.removed.get(owner) ?? [];
  if (names.includes(field)) return;
  names.push(field);
  findings.removed.set(owner, names);
  findings.dropped.push({ name: `${owner}.${field}`, variant });
  findings.changes.push({ typeName: owner, change: "field-removed", detail: `${owner}.${field}` });
}

// ---------------------------------------------------------------- problems and skeletons

function reportProblems(context: PlanContext, plan: ModulePlan, newElement: StructInfo, oldElement: StructInfo, findings: PoolFindings): void {
  const skeleton = migrationSkeleton(newElement, oldElement, plan.fromVersion);
  for (const [owner, added] of findings.added) {
    const removed = findings.removed.get(owner);
    if (removed && removed.length > 0) {
      reject(context, newElement, "E0401", `${owner}: field ${removed.join(", ")} was removed and ${added.join(", ")} added; if this is a rename, write a migration function so the live values keep their data`, skeleton);
      return;
    }
  }
  if (findings.withoutDefault.length > 0) {
    reject(context, newElement, "E0402", `field ${findings.withoutDefault.join(", ")} was added without a default, so live values have nothing to start from: add a default (\`name: type = value\`) or a migration function`, skeleton);
    return;
  }
  if (findings.retyped.length > 0) {
    reject(context, newElement, "E0403", `the type of ${findings.retyped.join(", ")} changed in a way that needs a migration function`, skeleton);
  }
}

function reject(context: PlanContext, struct: StructInfo, code: string, message: string, skeleton: string): void {
  const diagnostic = error(struct.file, struct.span, code, message, [{ message: "paste and adjust this migration function:" }]);
  diagnostic.suggestion = skeleton;
  context.problems.push(diagnostic);
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** `enemy-from-v1 := fun (prev: old Enemy) -> Enemy.` with fields filled from the old ones. */
export function migrationSkeleton(newStruct: StructInfo, oldStruct: StructInfo, fromVersion: number): string {
  const leftovers = oldStruct.fields.filter((old) => !newStruct.fields.some((field) => field.name === old.name)).map((field) => field.name);
  const inits: string[] = [];
  for (const field of newStruct.fields) {
    if (oldStruct.fields.some((old) => old.name === field.name)) inits.push(`${field.name} = prev.${field.name}`);
    else if (leftovers.length > 0) inits.push(`${field.name} = prev.${leftovers.shift()}`);
    else if (!field.defaultValue) inits.push(`${field.name} = ...`);
  }
  const name = newStruct.name;
  return `${kebab(name)}-from-v${fromVersion} := fun (prev: old ${name}) -> ${name}.\n    ${name} { ${inits.join(", ")} }`;
}

function findMigration(program: CheckedProgram, type: StructInfo | UnionInfo): { module: string; exportKey: string; functionName: string } | null {
  for (const module of program.modules) {
    for (const fn of module.functions.values()) {
      if (fn.migrates === type && !fn.uncheckedMigration) return { module: module.name, exportKey: exportKey(fn.name), functionName: fn.name };
    }
  }
  return null;
}

// ---------------------------------------------------------------- state

function planStates(context: PlanContext, plan: ModulePlan, newInfo: ModuleInfo, oldInfo: ModuleInfo | undefined): void {
  for (const state of newInfo.states.values()) {
    const old = oldInfo?.states.get(state.name);
    plan.states.push(old ? planState(context, plan, state, old, newInfo, oldInfo!) : { kind: "new", name: state.name });
  }
  for (const old of oldInfo?.states.values() ?? []) {
    if (!newInfo.states.has(old.name)) plan.states.push({ kind: "removed", name: old.name });
  }
}

function planState(
  context: PlanContext,
  plan: ModulePlan,
  state: { name: string; type: Type; initializer: { span: { start: number; end: number } } },
  old: { type: Type; initializer: { span: { start: number; end: number } } },
  newInfo: ModuleInfo,
  oldInfo: ModuleInfo,
): StatePlan {
  if (!sameType(old.type, state.type)) {
    const resolved = resolve(state.type);
    const target = resolved.kind === "Struct" ? resolved.struct : resolved.kind === "Union" ? resolved.union : null;
    const written = target ? findMigration(context.next, target) : null;
    plan.changes.push({ typeName: state.name, change: "state-retyped", detail: `${typeToString(old.type)} → ${typeToString(state.type)}` });
    return written ? { kind: "written", name: state.name, ...written } : { kind: "retyped", name: state.name };
  }
  const before = oldInfo.file.text.slice(old.initializer.span.start, old.initializer.span.end);
  const after = newInfo.file.text.slice(state.initializer.span.start, state.initializer.span.end);
  if (before === after) return { kind: "kept", name: state.name };
  // State survives reloads, so the designer must be told the edit is not live yet.
  plan.changes.push({ typeName: state.name, change: "initializer-changed", detail: `${state.name} keeps its running value; the new initializer applies on a fresh start` });
  return { kind: "initializer-changed", name: state.name };
}

/** Same shape across versions: same scalar kinds, same field and variant names and types. */
export function sameType(left: Type, right: Type): boolean {
  const a = resolve(left);
  const b = resolve(right);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "Struct":
      return b.kind === "Struct" && a.struct.name === b.struct.name && sameFields(a.struct.fields, b.struct.fields);
    case "Union":
      return (
        b.kind === "Union" &&
        a.union.name === b.union.name &&
        a.union.variants.length === b.union.variants.length &&
        a.union.variants.every((variant, index) => variant.name === b.union.variants[index].name && sameFields(variant.fields, b.union.variants[index].fields))
      );
    case "Pointer":
      return b.kind === "Pointer" && a.pool.qualifiedName === b.pool.qualifiedName;
    case "Tuple":
      return b.kind === "Tuple" && a.items.length === b.items.length && a.items.every((item, index) => sameType(item, b.items[index]));
    default:
      return true;
  }
}

function sameFields(left: FieldInfo[], right: FieldInfo[]): boolean {
  return left.length === right.length && left.every((field, index) => field.name === right[index].name && sameType(field.type, right[index].type));
}

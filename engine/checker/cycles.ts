// Cycles that would make generated code loop or read uninitialized values, and the order of a
// module's initialization. Types: a struct may not hold itself by value, and a pool element needs
// a fixed layout. Values: field defaults are inlined where a value is built, so a default may not
// build a value that needs that default again; constants are computed (and state initialized) so
// that each comes after the constants (or state) it reads, and one that needs itself is an error.

import type * as Ast from "../syntax/ast.ts";
import { report, type ModuleScope } from "./context.ts";
import type { CheckedProgram, ConstantInfo, ModuleInfo, StateInfo } from "./program.ts";
import { resolve, type FieldInfo, type StructInfo, type Type, type UnionInfo } from "./types.ts";
import { childExpressions } from "./walk.ts";

/** Runs after the module's bodies are checked (it reads name resolutions and record types). */
export function checkCycles(scope: ModuleScope): void {
  checkSelfContainingStructs(scope);
  checkPoolLayouts(scope);
  const defaultsFine = checkDefaultCycles(scope);
  // With a default that builds itself, walking values through defaults would not end.
  if (defaultsFine) orderInitialization(scope);
}

// ---------------------------------------------------------------- types

type Declaration = StructInfo | UnionInfo;

/** The types a value of `type` holds inline (not behind a pointer), with the field path to each. */
function inlineParts(type: Type, throughUnions: boolean): Array<[string, Type]> {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Struct":
      return resolved.struct.fields.map((field) => [field.name, field.type]);
    case "Tuple":
      return resolved.items.map((item, index) => [String(index), item]);
    case "Union":
      return throughUnions ? resolved.union.variants.flatMap((variant) => variant.fields.map((field): [string, Type] => [`${variant.name}.${field.name}`, field.type])) : [];
    default:
      return [];
  }
}

function declarationOf(type: Type): Declaration | null {
  const resolved = resolve(type);
  return resolved.kind === "Struct" ? resolved.struct : resolved.kind === "Union" ? resolved.union : null;
}

/** The field path by which a value of `type` holds a `target` inline, or null. */
function pathTo(type: Type, target: Declaration, throughUnions: boolean, seen: Set<Declaration>): string[] | null {
  for (const [name, part] of inlineParts(type, throughUnions)) {
    const declaration = declarationOf(part);
    if (declaration === target) return [name];
    if (declaration) {
      if (seen.has(declaration)) continue;
      seen.add(declaration);
    }
    const rest = pathTo(part, target, throughUnions, seen);
    if (rest) return [name, ...rest];
  }
  return null;
}

/** `A := struct { b: B }` with `B := struct { a: A }` can never be built. A union in between can end it. */
function checkSelfContainingStructs(scope: ModuleScope): void {
  for (const item of scope.module.ast.items) {
    if (item.kind !== "StructItem") continue;
    const struct = scope.module.structs.get(item.name);
    if (!struct || struct.span !== item.span) continue;
    const path = selfContainingStruct(struct);
    if (!path) continue;
    report(scope, item.nameSpan, "E0215", `${struct.name} contains itself (through .${path.join(".")}), so no ${struct.name} can ever be built`, [
      { message: `hold a pointer instead, e.g. \`*'pool ${struct.name}\`` },
    ]);
  }
}

/** The path by which a struct holds itself without a union in between (reported at the struct), or null. */
function selfContainingStruct(declaration: Declaration): string[] | null {
  return "fields" in declaration ? pathTo({ kind: "Struct", struct: declaration }, declaration, false, new Set()) : null;
}

/** A pool stores one column per scalar leaf: a type that contains itself (even through a union) has no such layout. */
function checkPoolLayouts(scope: ModuleScope): void {
  for (const item of scope.module.ast.items) {
    if (item.kind !== "PoolItem") continue;
    const pool = scope.module.pools.get(item.name);
    const element = pool ? declarationOf(pool.element) : null;
    if (!element) continue;
    const recursive = recursiveDeclaration(element);
    if (!recursive || selfContainingStruct(recursive.declaration)) continue;
    report(scope, item.element.span, "E0216", `pool ${item.name} cannot hold ${element.name}: ${recursive.declaration.name} contains itself (through .${recursive.path.join(".")}), so its elements have no fixed layout`, [
      { message: "hold a pointer into a pool instead of the value itself" },
    ]);
  }
}

/** A struct or union held inline by `root` (or `root` itself) that contains itself, through unions too. */
function recursiveDeclaration(root: Declaration): { declaration: Declaration; path: string[] } | null {
  const reachable = new Set<Declaration>([root]);
  const queue: Declaration[] = [root];
  while (queue.length > 0) {
    const declaration = queue.shift()!;
    const type: Type = "fields" in declaration ? { kind: "Struct", struct: declaration } : { kind: "Union", union: declaration };
    const path = pathTo(type, declaration, true, new Set());
    if (path) return { declaration, path };
    for (const [, part] of inlineParts(type, true)) {
      for (const inner of declarationsIn(part)) {
        if (!reachable.has(inner)) {
          reachable.add(inner);
          queue.push(inner);
        }
      }
    }
  }
  return null;
}

/** The structs and unions a type names inline, looking through tuples. */
function declarationsIn(type: Type): Declaration[] {
  const declaration = declarationOf(type);
  if (declaration) return [declaration];
  const resolved = resolve(type);
  return resolved.kind === "Tuple" ? resolved.items.flatMap(declarationsIn) : [];
}

// ---------------------------------------------------------------- field defaults

interface DefaultField {
  owner: string;
  field: FieldInfo;
}

function defaultFields(module: ModuleInfo): DefaultField[] {
  const owners = [
    ...[...module.structs.values()].map((struct) => ({ owner: struct.name, fields: struct.fields })),
    ...[...module.unions.values()].flatMap((union) => union.variants.map((variant) => ({ owner: `${union.name}/${variant.name}`, fields: variant.fields }))),
  ];
  return owners.flatMap(({ owner, fields }) => fields.filter((field) => field.defaultValue).map((field) => ({ owner, field })));
}

/** Fields whose defaults a value built by `expr` takes (the ones it does not give). */
function omittedDefaults(program: CheckedProgram, expr: Ast.Expr): FieldInfo[] {
  if (expr.kind !== "RecordExpr" && expr.kind !== "ConstructExpr") return [];
  const variant = program.variantConstructs.get(expr);
  const fields = variant ? variant.union.variants[variant.index].fields : (program.recordTypes.get(expr)?.fields ?? []);
  const given = new Set(expr.fields.map((init) => init.name));
  return fields.filter((field) => field.defaultValue && !given.has(field.name));
}

/** Defaults whose code is inlined into `expr`'s code: those of the values it builds, lambdas included. */
function inlinedDefaults(program: CheckedProgram, expr: Ast.Expr): FieldInfo[] {
  const found: FieldInfo[] = [];
  const stack = [expr];
  while (stack.length > 0) {
    const next = stack.pop()!;
    found.push(...omittedDefaults(program, next));
    stack.push(...childExpressions(next));
  }
  return found;
}

/** False (after reporting) when some default builds a value that takes that same default again. */
function checkDefaultCycles(scope: ModuleScope): boolean {
  const program = scope.checker.program;
  const fields = defaultFields(scope.module);
  const owners = new Map(fields.map(({ owner, field }) => [field, owner]));
  const edges = new Map(fields.map(({ field }) => [field, inlinedDefaults(program, field.defaultValue!).filter((next) => owners.has(next))]));
  const cycles = findCycles(fields.map(({ field }) => field), (field) => edges.get(field) ?? []);
  for (const cycle of cycles) {
    const names = cycle.map((field) => `${owners.get(field)}.${field.name}`);
    report(scope, cycle[0].span, "E0217", `the default of ${names[0]} builds a value that needs this default again (${[...names, names[0]].join(" → ")})`, [
      { message: "give that field explicitly where the default builds the value" },
    ]);
  }
  return cycles.length === 0;
}

// ---------------------------------------------------------------- constants and state

type Initialized = ConstantInfo | StateInfo;

interface Reads {
  /** Constants and state of this module read while computing the value (through calls too). */
  values: Initialized[];
  /** State of any module read by the value's own code (not inside functions it calls). */
  directState: StateInfo[];
}

/**
 * What computing `expr` reads. Calls are followed into this module's functions, and any
 * function mentioned is assumed to be called; defaults of built values count as their code.
 */
function readsOf(program: CheckedProgram, module: ModuleInfo, expr: Ast.Expr): Reads {
  const reads: Reads = { values: [], directState: [] };
  const seen = new Set<object>();
  const stack: Array<{ expr: Ast.Expr; direct: boolean }> = [{ expr, direct: true }];
  while (stack.length > 0) {
    const { expr: next, direct } = stack.pop()!;
    if (next.kind === "NameExpr") readName(program, module, next, direct, reads, seen, stack);
    for (const field of omittedDefaults(program, next)) {
      if (!seen.has(field)) {
        seen.add(field);
        stack.push({ expr: field.defaultValue!, direct });
      }
    }
    // Lambda and handler bodies may run later or never: what they read is not read directly.
    const childrenDirect = direct && next.kind !== "FunExpr" && next.kind !== "HandlerExpr";
    for (const child of childExpressions(next)) stack.push({ expr: child, direct: childrenDirect });
  }
  return reads;
}

function readName(
  program: CheckedProgram,
  module: ModuleInfo,
  expr: Extract<Ast.Expr, { kind: "NameExpr" }>,
  direct: boolean,
  reads: Reads,
  seen: Set<object>,
  stack: Array<{ expr: Ast.Expr; direct: boolean }>,
): void {
  const resolution = program.resolutions.get(expr);
  if (!resolution) return;
  const target = resolution.kind === "Constant" ? resolution.constant : resolution.kind === "State" ? resolution.state : resolution.kind === "Function" ? resolution.function : null;
  if (!target) return;
  if (resolution.kind === "State" && direct && !reads.directState.includes(resolution.state)) reads.directState.push(resolution.state);
  if (target.module !== module.name || seen.has(target)) return;
  seen.add(target);
  if (resolution.kind === "Function") stack.push({ expr: resolution.function.node.body, direct: false });
  else reads.values.push(target as Initialized);
}

/** Orders constants and state after what they read; reports values that need themselves. */
function orderInitialization(scope: ModuleScope): void {
  const { module, checker } = scope;
  const constants = module.constantOrder.map((name) => module.constants.get(name)!);
  const states = [...module.states.values()];
  const reads = new Map<Initialized, Reads>();
  for (const constant of constants) reads.set(constant, readsOf(checker.program, module, constant.value));
  for (const state of states) reads.set(state, readsOf(checker.program, module, state.initializer));
  for (const constant of constants) reportStateReads(scope, constant, reads.get(constant)!.directState);

  // Constants are all computed before any state is initialized, so each group is ordered alone.
  const constantOrder = orderGroup(scope, constants, reads);
  module.constantOrder.splice(0, module.constantOrder.length, ...constantOrder.map((constant) => constant.name));
  const stateOrder = orderGroup(scope, states, reads);
  module.states.clear();
  for (const state of stateOrder) module.states.set(state.name, state as StateInfo);
}

function reportStateReads(scope: ModuleScope, constant: ConstantInfo, states: StateInfo[]): void {
  for (const state of states) {
    report(scope, constant.span, "E0219", `the constant ${constant.name} reads the state ${state.name}, which is not set yet when constants are computed`, [
      { message: `make ${constant.name} mutable state too (\`${constant.name} : mut = ...\`), or a function` },
    ]);
  }
}

function orderGroup(scope: ModuleScope, group: Initialized[], reads: Map<Initialized, Reads>): Initialized[] {
  const members = new Set(group);
  const next = (value: Initialized) => reads.get(value)!.values.filter((read) => members.has(read));
  for (const cycle of findCycles(group, next)) {
    const names = cycle.map((value) => value.name);
    const what = "initializer" in cycle[0] ? "the initial value of" : "the value of";
    report(scope, cycle[0].span, "E0218", `${what} ${names[0]} needs itself (${[...names, names[0]].join(" → ")})`);
  }
  return topologicalOrder(group, next);
}

// ---------------------------------------------------------------- graphs

/** Each node after the nodes it points to, otherwise in the given order; cycles are cut anywhere. */
function topologicalOrder<T>(nodes: T[], next: (node: T) => T[]): T[] {
  const order: T[] = [];
  const done = new Set<T>();
  for (const root of nodes) {
    if (done.has(root)) continue;
    done.add(root);
    const stack: Array<{ node: T; children: T[] }> = [{ node: root, children: next(root) }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const child = top.children.shift();
      if (child === undefined) {
        order.push(top.node);
        stack.pop();
      } else if (!done.has(child)) {
        done.add(child);
        stack.push({ node: child, children: next(child) });
      }
    }
  }
  return order;
}

/** A cycle (as a path of nodes) for each back edge of a depth-first search: every cycle has one. */
function findCycles<T>(nodes: T[], next: (node: T) => T[]): T[][] {
  const cycles: T[][] = [];
  const finished = new Set<T>();
  for (const root of nodes) {
    if (finished.has(root)) continue;
    const path: T[] = [];
    const onPath = new Set<T>();
    const stack: Array<{ node: T; children: T[] }> = [{ node: root, children: next(root) }];
    path.push(root);
    onPath.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const child = top.children.shift();
      if (child === undefined) {
        stack.pop();
        path.pop();
        onPath.delete(top.node);
        finished.add(top.node);
      } else if (onPath.has(child)) {
        cycles.push(path.slice(path.indexOf(child)));
      } else if (!finished.has(child)) {
        path.push(child);
        onPath.add(child);
        stack.push({ node: child, children: next(child) });
      }
    }
  }
  return cycles;
}

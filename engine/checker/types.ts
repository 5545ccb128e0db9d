// The checker's model of Ribbon types, declarations and effect rows, plus unification.

import type { SourceFile } from "../diagnostics/source.ts";
import type { Span } from "../diagnostics/diagnostic.ts";
import type { Expr } from "../syntax/ast.ts";
import type { EffectTerm } from "./effects.ts";

export type Type =
  | { kind: "Int" }
  | { kind: "Float" }
  | { kind: "Bool" }
  | { kind: "Str" }
  | { kind: "Symbol" }
  | { kind: "Unit" }
  | { kind: "Never" }
  | { kind: "Vec2" }
  | { kind: "Struct"; struct: StructInfo }
  | { kind: "Union"; union: UnionInfo }
  | { kind: "Pointer"; pool: PoolInfo }
  | { kind: "PoolType"; pool: PoolInfo }
  | { kind: "Function"; params: Type[]; result: Type; effects: EffectRow }
  | { kind: "Tuple"; items: Type[] }
  /**
   * A handler value carries what `with value do ...` needs from its clauses: the type of its
   * `cancel` values (the `with` may evaluate to them) and the effects its clauses perform (they
   * go to the handlers around the `with`, not to the place the value was defined).
   */
  | { kind: "HandlerType"; effect: EffectInfo; cancelType?: Type; clauseTerms?: readonly EffectTerm[] }
  | { kind: "Var"; id: number; ref: Type | null }
  | { kind: "Error" }; // poison: already reported, unifies with anything

/** The set of effect names a function may perform; `Wait` marks resumable code. */
export type EffectRow = ReadonlySet<string>;

export const INT: Type = { kind: "Int" };
export const FLOAT: Type = { kind: "Float" };
export const BOOL: Type = { kind: "Bool" };
export const STR: Type = { kind: "Str" };
export const SYMBOL: Type = { kind: "Symbol" };
export const UNIT: Type = { kind: "Unit" };
export const NEVER: Type = { kind: "Never" };
export const VEC2: Type = { kind: "Vec2" };
export const ERROR: Type = { kind: "Error" };
export const NO_EFFECTS: EffectRow = new Set();

export interface FieldInfo {
  name: string;
  type: Type;
  /** Constant default, already checked; null when the field must be given. */
  defaultValue: Expr | null;
  span: Span;
}

export interface StructInfo {
  /** Qualified name, e.g. "physics/Body". */
  qualifiedName: string;
  name: string;
  module: string;
  fields: FieldInfo[];
  file: SourceFile;
  span: Span;
}

export interface VariantInfo {
  name: string;
  index: number;
  fields: FieldInfo[];
  span: Span;
}

export interface UnionInfo {
  qualifiedName: string;
  name: string;
  module: string;
  variants: VariantInfo[];
  file: SourceFile;
  span: Span;
}

export interface OperationInfo {
  name: string;
  params: Type[];
  result: Type;
  effect: EffectInfo;
}

export interface EffectInfo {
  /** Qualified name used in rows and diagnostics, e.g. "Damage" or "engine/input/Input". */
  qualifiedName: string;
  name: string;
  module: string;
  operations: Map<string, OperationInfo>;
  /** Handled by the engine (Log, Wait, Input, Rand, Draw, Reload). */
  host: boolean;
}

export interface PoolInfo {
  qualifiedName: string;
  name: string;
  module: string;
  element: Type;
}

// ---------------------------------------------------------------- inference variables

export interface VarSupply {
  next: number;
}

export function freshVar(supply: VarSupply): Type {
  return { kind: "Var", id: supply.next++, ref: null };
}

/** Follows bound inference variables to the representative type. */
export function resolve(type: Type): Type {
  let current = type;
  while (current.kind === "Var" && current.ref) current = current.ref;
  return current;
}

function occurs(variable: Type, type: Type): boolean {
  const target = resolve(type);
  if (target === variable) return true;
  switch (target.kind) {
    case "Function":
      return target.params.some((param) => occurs(variable, param)) || occurs(variable, target.result);
    case "Tuple":
      return target.items.some((item) => occurs(variable, item));
    default:
      return false;
  }
}

/**
 * Makes `actual` and `expected` equal, binding variables. Returns false on a mismatch.
 * `Never` fits anywhere (a call to `fail` can stand where an i32 is expected).
 */
export function unify(actual: Type, expected: Type): boolean {
  const left = resolve(actual);
  const right = resolve(expected);
  if (left === right) return true;
  if (left.kind === "Error" || right.kind === "Error") return true;
  if (left.kind === "Var") return bindVar(left, right);
  if (right.kind === "Var") return bindVar(right, left);
  if (left.kind === "Never" || right.kind === "Never") return true;
  return unifyStructure(left, right);
}

function bindVar(variable: Type & { kind: "Var" }, type: Type): boolean {
  if (occurs(variable, type)) return false;
  variable.ref = type;
  return true;
}

function unifyStructure(left: Type, right: Type): boolean {
  switch (left.kind) {
    case "Struct":
      return right.kind === "Struct" && right.struct === left.struct;
    case "Union":
      return right.kind === "Union" && right.union === left.union;
    case "Pointer":
      return right.kind === "Pointer" && right.pool === left.pool;
    case "PoolType":
      return right.kind === "PoolType" && right.pool === left.pool;
    case "HandlerType":
      return right.kind === "HandlerType" && right.effect === left.effect;
    case "Tuple":
      return (
        right.kind === "Tuple" &&
        right.items.length === left.items.length &&
        left.items.every((item, index) => unify(item, right.items[index]))
      );
    case "Function":
      return (
        right.kind === "Function" &&
        right.params.length === left.params.length &&
        left.params.every((param, index) => unify(param, right.params[index])) &&
        unify(left.result, right.result)
      );
    default:
      return left.kind === right.kind;
  }
}

/** Picks the informative side of two branch types (`Never` yields to the other). */
export function joinBranches(first: Type, second: Type): Type {
  return resolve(first).kind === "Never" ? second : first;
}

export function isNumeric(type: Type): boolean {
  const resolved = resolve(type);
  return resolved.kind === "Int" || resolved.kind === "Float";
}

export function typeToString(type: Type): string {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Int":
      return "i32";
    case "Float":
      return "f64";
    case "Bool":
      return "bool";
    case "Str":
      return "Str";
    case "Symbol":
      return "Symbol";
    case "Unit":
      return "()";
    case "Never":
      return "!";
    case "Vec2":
      return "Vec2";
    case "Struct":
      return resolved.struct.name;
    case "Union":
      return resolved.union.name;
    case "Pointer":
      return `*'${resolved.pool.name} ${typeToString(resolved.pool.element)}`;
    case "PoolType":
      return `pool ${typeToString(resolved.pool.element)}`;
    case "Function":
      return functionTypeToString(resolved);
    case "Tuple":
      return `(${resolved.items.map(typeToString).join(", ")})`;
    case "HandlerType":
      return `handler ${resolved.effect.name}`;
    case "Var":
      return "_";
    case "Error":
      return "<error>";
    default: {
      const never: never = resolved;
      return never;
    }
  }
}

function functionTypeToString(type: Type & { kind: "Function" }): string {
  const params =
    type.params.length === 1 ? typeToString(type.params[0]) : `(${type.params.map(typeToString).join(", ")})`;
  const row = type.effects.size > 0 ? ` | { ${[...type.effects].map(shortEffectName).join(", ")} }` : "";
  return `${params} -> ${typeToString(type.result)}${row}`;
}

export function shortEffectName(qualifiedName: string): string {
  const slash = qualifiedName.lastIndexOf("/");
  return slash < 0 ? qualifiedName : qualifiedName.slice(slash + 1);
}


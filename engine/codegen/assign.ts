// Assignment: to locals and module state, into pool elements (column stores), and into struct
// values held in locals or state (value semantics: the struct is rebuilt with the new field).

import type * as Ast from "../syntax/ast.ts";
import { resolve, type Type } from "../checker/types.ts";
import { fieldKey } from "../runtime/names.ts";
import { emit, spill, type FunctionGen } from "./emitter.ts";
import { bareUnionTag, compile, simpleVec } from "./expressions.ts";
import { compilePoolUnionParts, compilePoolWrite, poolPath } from "./pools.ts";
import { isBareUnion, type ScalarUnion } from "./scalar-unions.ts";
import { isVec, localName, localNames, memberExpression, typeOf } from "./values.ts";

type AssignStatement = Extract<Ast.Statement, { kind: "AssignStatement" }>;
type FieldExpr = Extract<Ast.Expr, { kind: "FieldExpr" }>;

export function compileAssign(gen: FunctionGen, statement: AssignStatement): void {
  const target = statement.target;
  if (target.kind === "FieldExpr") {
    const path = poolPath(gen, target);
    if (path) compilePoolWrite(gen, path, target, statement.value);
    else compileValueFieldWrite(gen, target, statement.value);
    return;
  }
  if (target.kind !== "NameExpr") throw new Error("internal: bad assignment target");
  const resolution = gen.module.program.resolutions.get(target);
  const scalar = resolution?.kind === "Local" ? gen.scalarUnions.get(resolution.binding) : undefined;
  if (scalar) return assignScalarUnion(gen, scalar, statement.value);
  if (resolution?.kind === "Local" && isVec(resolution.binding.type)) {
    const [x, y] = simpleVec(gen, statement.value);
    const [nameX, nameY] = localNames(resolution.binding);
    emit(gen, `${nameX} = ${x}; ${nameY} = ${y};`);
    return;
  }
  const destination = resolution?.kind === "Local" ? localName(resolution.binding) : memberExpression(gen, resolution!);
  emit(gen, `${destination} = ${compile(gen, statement.value)};`);
}

/**
 * A union value into a scalar union local: read straight from the columns when it comes out of
 * a pool element, else taken apart once it is computed (every value is read before any is set).
 */
export function assignScalarUnion(gen: FunctionGen, scalar: ScalarUnion, value: Ast.Expr): void {
  if (isBareUnion(scalar.union)) {
    // Its tag is the whole value: read from a column, a variant, another local or a branch.
    emit(gen, `${scalar.tag} = ${bareUnionTag(gen, value, scalar.union)};`);
    return;
  }
  const path = value.kind === "FieldExpr" ? poolPath(gen, value) : null;
  if (path) {
    const parts = compilePoolUnionParts(gen, path, value as FieldExpr, scalar.union);
    const fields = parts.fields.map((field) => `${scalar.field(field.variant, field.name)} = ${field.code};`);
    emit(gen, [`${scalar.tag} = ${parts.tag};`, ...fields].join(" "));
    return;
  }
  const whole = spill(gen, compile(gen, value), "u");
  const fields = scalar.union.variants.flatMap((variant) => variant.fields.map((field) => `${scalar.field(variant.index, field.name)} = ${whole}.${fieldKey(field.name)};`));
  emit(gen, [`${scalar.tag} = ${whole}.tag;`, ...fields].join(" "));
}

/** `s.pos.x = v` on a struct (or vector) held by a local or by module state. */
function compileValueFieldWrite(gen: FunctionGen, target: FieldExpr, value: Ast.Expr): void {
  const path: string[] = [];
  let root: Ast.Expr = target;
  while (root.kind === "FieldExpr") {
    path.unshift(root.name);
    root = root.target;
  }
  if (root.kind !== "NameExpr") throw new Error("internal: field assignment without a named root");
  const resolution = gen.module.program.resolutions.get(root)!;
  const newValue = spill(gen, compile(gen, value));
  if (resolution.kind === "Local" && isVec(resolution.binding.type)) {
    const [x, y] = localNames(resolution.binding);
    emit(gen, `${path[0] === "x" ? x : y} = ${newValue};`);
    return;
  }
  const destination = resolution.kind === "Local" ? localName(resolution.binding) : memberExpression(gen, resolution);
  emit(gen, `${destination} = ${rebuilt(destination, typeOf(gen, root), path, newValue)};`);
}

/** The whole value with the field at `path` replaced. */
function rebuilt(current: string, type: Type, path: string[], newValue: string): string {
  if (path.length === 0) return newValue;
  const resolved = resolve(type);
  const [name, ...rest] = path;
  if (resolved.kind === "Vec2") {
    return name === "x" ? `{ x: ${rebuilt(`${current}.x`, resolved, rest, newValue)}, y: ${current}.y }` : `{ x: ${current}.x, y: ${rebuilt(`${current}.y`, resolved, rest, newValue)} }`;
  }
  if (resolved.kind !== "Struct") throw new Error("internal: field write into a non-struct");
  const field = resolved.struct.fields.find((candidate) => candidate.name === name)!;
  const key = fieldKey(name);
  return `{ ...${current}, ${key}: ${rebuilt(`${current}.${key}`, field.type, rest, newValue)} }`;
}

// Struct construction and field access: which fields exist, which must be given, what they hold.

import type * as Ast from "../syntax/ast.ts";
import { report, type FunctionScope } from "./context.ts";
import { checkAgainst, checkExpr } from "./expressions.ts";
import { suggestName } from "./suggest.ts";
import { FLOAT, resolve, typeToString, type FieldInfo, type Type } from "./types.ts";

/** Checks `{ a = 1, b = 2 }` against the fields of a struct or variant. */
export function checkStructFields(
  scope: FunctionScope,
  inits: Ast.FieldInit[],
  fields: FieldInfo[],
  typeName: string,
  span: Ast.Span,
): void {
  const given = new Set<string>();
  for (const init of inits) {
    const field = fields.find((candidate) => candidate.name === init.name);
    if (!field) {
      const hint = suggestName(init.name, fields.map((candidate) => candidate.name));
      report(scope.moduleScope, init.nameSpan, "E0140", `${typeName} has no field ${init.name}${hint ? `; did you mean ${hint}?` : ""}`);
      checkExpr(scope, init.value, null);
      continue;
    }
    if (given.has(init.name)) report(scope.moduleScope, init.nameSpan, "E0141", `field ${init.name} is given twice`);
    given.add(init.name);
    checkAgainst(scope, init.value, field.type, `field ${init.name}`);
  }
  const missing = fields.filter((field) => !field.defaultValue && !given.has(field.name)).map((field) => field.name);
  if (missing.length > 0) {
    report(scope.moduleScope, span, "E0142", `${typeName} needs ${missing.length === 1 ? "field" : "fields"} ${missing.join(", ")} (no default)`);
  }
}

/** The type of `value.name`, through pointers (which read their pool element). */
/** "T has no field n", with the closest field of T as a hint. */
export function describeUnknownField(target: Type, name: string): string {
  const hint = suggestName(name, fieldNames(target));
  return `${typeToString(target)} has no field ${name}${hint ? `; did you mean ${hint}?` : ""}`;
}

function fieldNames(target: Type): string[] {
  const resolved = resolve(target);
  switch (resolved.kind) {
    case "Vec2":
      return ["x", "y"];
    case "Struct":
      return resolved.struct.fields.map((field) => field.name);
    case "Pointer":
      return fieldNames(resolved.pool.element);
    default:
      return [];
  }
}

export function fieldOf(target: Type, name: string): Type | null {
  const resolved = resolve(target);
  switch (resolved.kind) {
    case "Vec2":
      return name === "x" || name === "y" ? FLOAT : null;
    case "Struct":
      return resolved.struct.fields.find((field) => field.name === name)?.type ?? null;
    case "Pointer":
      return fieldOf(resolved.pool.element, name);
    default:
      return null;
  }
}

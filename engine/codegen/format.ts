// Code that turns a value into the text `print` shows, chosen by the value's static type
// (a Symbol and a Str are both strings at run time; only the type tells them apart).

import { resolve, type Type } from "../checker/types.ts";
import { fieldKey } from "../runtime/names.ts";
import { helper, type FunctionGen } from "./emitter.ts";

export function formatValue(gen: FunctionGen, type: Type, code: string): string {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Int":
    case "Float":
      return `rt.formatNumber(${code})`;
    case "Bool":
      return `String(${code})`;
    case "Str":
      return code;
    case "Symbol":
      return `rt.formatSymbol(${code})`;
    case "Unit":
      return `"()"`;
    case "Vec2":
      return `rt.formatVec2(${code}.x, ${code}.y)`;
    case "Pointer":
      return `("*'${resolved.pool.name}#" + (${code} % 16777216))`;
    case "Struct":
    case "Union":
    case "Tuple":
      return `${formatter(gen, resolved)}(${code})`;
    default:
      return `"<${resolved.kind.toLowerCase()}>"`;
  }
}

/** One helper per composite type: `Body { pos = vec2 1 2, mass = 2 }`, `Mode/Chase { speed = 7.5 }`. */
function formatter(gen: FunctionGen, type: Type): string {
  const resolved = resolve(type);
  const key = `format:${resolved.kind}:${describeKey(resolved)}`;
  return helper(gen.module, key, (name) => `function ${name}(v) {\n  return ${formatterBody(gen, resolved)};\n}`);
}

function describeKey(type: Type): string {
  if (type.kind === "Struct") return type.struct.qualifiedName;
  if (type.kind === "Union") return type.union.qualifiedName;
  if (type.kind === "Tuple") return type.items.map((item) => `${resolve(item).kind}:${describeKey(resolve(item))}`).join(",");
  return "";
}

function fieldList(gen: FunctionGen, fields: Array<{ name: string; type: Type }>, value: string): string {
  const parts = fields.map((field) => `"${field.name} = " + ${formatValue(gen, field.type, `${value}.${fieldKey(field.name)}`)}`);
  return parts.length === 0 ? `""` : parts.join(` + ", " + `);
}

function formatterBody(gen: FunctionGen, type: Type): string {
  if (type.kind === "Struct") return `"${type.struct.name} { " + ${fieldList(gen, type.struct.fields, "v")} + " }"`;
  if (type.kind === "Tuple") return `"(" + ${type.items.map((item, index) => formatValue(gen, item, `v[${index}]`)).join(` + ", " + `)} + ")"`;
  if (type.kind !== "Union") return `""`;
  const arms = type.union.variants.map((variant) => {
    const text = variant.fields.length === 0 ? `"${type.union.name}/${variant.name}"` : `"${type.union.name}/${variant.name} { " + ${fieldList(gen, variant.fields, "v")} + " }"`;
    return `v.tag === ${variant.index} ? ${text}`;
  });
  return `(${arms.join(" : ")} : "?")`;
}

// Struct-of-arrays layout of pool elements: every scalar leaf of the element type gets a column
// (Vec2 two, a union a tag column plus its variants' fields). Migration matches columns by path.

import { resolve, type StructInfo, type Type } from "../checker/types.ts";
import type { ColumnSpec, PoolLayout } from "../runtime/pool.ts";

/** A layout with its column indices by path. */
export interface IndexedLayout {
  layout: PoolLayout;
  indices: Map<string, number>;
}

/** The layout of a pool element struct, built once per cache (one per generated module). */
export function cachedLayout(cache: Map<StructInfo, IndexedLayout>, struct: StructInfo): IndexedLayout {
  let found = cache.get(struct);
  if (!found) {
    const layout = layoutOf(struct);
    found = { layout, indices: new Map(layout.columns.map((column, index) => [column.path, index])) };
    cache.set(struct, found);
  }
  return found;
}

export function columnAt(layout: IndexedLayout, path: string): number {
  const index = layout.indices.get(path);
  if (index === undefined) throw new Error(`internal: no column ${path} in ${layout.layout.typeName}`);
  return index;
}

export function layoutOf(struct: StructInfo): PoolLayout {
  const columns: ColumnSpec[] = [];
  for (const field of struct.fields) flatten(field.type, field.name, columns);
  return { typeName: struct.name, columns };
}

export function flatten(type: Type, path: string, into: ColumnSpec[]): void {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Int":
      into.push({ path, kind: "i32" });
      return;
    case "Float":
    case "Pointer":
      into.push({ path, kind: "f64" });
      return;
    case "Bool":
      into.push({ path, kind: "bool" });
      return;
    case "Vec2":
      into.push({ path: `${path}.x`, kind: "f64" }, { path: `${path}.y`, kind: "f64" });
      return;
    case "Struct":
      for (const field of resolved.struct.fields) flatten(field.type, `${path}.${field.name}`, into);
      return;
    case "Union":
      into.push({ path: `${path}#tag`, kind: "i32" });
      for (const variant of resolved.union.variants) {
        for (const field of variant.fields) flatten(field.type, `${path}.${variant.name}.${field.name}`, into);
      }
      return;
    case "Tuple":
      resolved.items.forEach((item, index) => flatten(item, `${path}.${index}`, into));
      return;
    case "Unit":
      return;
    default:
      into.push({ path, kind: "value" });
  }
}

export function columnIndex(layout: PoolLayout, path: string): number {
  const index = layout.columns.findIndex((column) => column.path === path);
  if (index < 0) throw new Error(`internal: no column ${path} in ${layout.typeName}`);
  return index;
}

// Which variant a pattern names, by the same rules the checker used to resolve it.

import { resolve, type Type } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";

export function variantIndex(pattern: Ast.Pattern & { kind: "VariantPattern" }, subject: Type): number {
  const resolved = resolve(subject);
  if (resolved.kind !== "Union") throw new Error("internal: variant pattern on a non-union");
  const name = pattern.path.segments[pattern.path.segments.length - 1];
  const index = resolved.union.variants.findIndex((variant) => variant.name === name);
  if (index < 0) throw new Error(`internal: unknown variant ${name}`);
  return index;
}

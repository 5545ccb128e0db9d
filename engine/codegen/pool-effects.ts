// Which calls may free pool elements or allocate (growing a pool's arrays). Calls to known
// functions are followed through the call graph; calls through values and effect operations
// (whose handlers are arbitrary code) are assumed to do both, except Draw operations in a quiet
// twin, which reach the silent handler (quiet-draw.ts). A reload recompiles importers, so code
// that relied on a callee being harmless is regenerated whenever that callee changes.

import type { FunExpr } from "../checker/program.ts";
import type * as Ast from "../syntax/ast.ts";
import type { ModuleGen } from "./emitter.ts";
import { isDrawOperation } from "./facts.ts";
import { someExpression } from "./walk.ts";

export type PoolEffect = "free" | "alloc";

/**
 * Whether evaluating `expr` may perform the given pool effect; one walk finds both effects,
 * remembered per expression (apart for a quiet twin's body, whose own Draw operations do nothing).
 */
export function mayDo(moduleGen: ModuleGen, expr: Ast.Expr, effect: PoolEffect, quietDraw = false): boolean {
  const memo = quietDraw ? moduleGen.quietBodyEffects : moduleGen.bodyEffects;
  let known = memo.get(expr);
  if (!known) {
    const found = { free: false, alloc: false };
    someExpression(expr, (node) => {
      if (node.kind !== "CallExpr" || (quietDraw && isDrawOperation(moduleGen, node))) return false;
      found.free ||= callMayDo(moduleGen, node, "free", new Set());
      found.alloc ||= callMayDo(moduleGen, node, "alloc", new Set());
      return found.free && found.alloc;
    });
    known = found;
    memo.set(expr, known);
  }
  return known[effect];
}

/** Whether this one call (not its arguments) may perform the effect. */
export function callMayDo(moduleGen: ModuleGen, call: Extract<Ast.Expr, { kind: "CallExpr" }>, effect: PoolEffect, visiting: Set<FunExpr>): boolean {
  if (call.callee.kind !== "NameExpr") return true;
  const resolution = moduleGen.program.resolutions.get(call.callee);
  // While a fiber waits, updates and other fibers run: they may free and allocate anything.
  if (resolution?.kind === "Builtin") return resolution.name === effect || resolution.name === "wait" || resolution.name === "next-frame";
  if (resolution?.kind === "Function") return functionMayDo(moduleGen, resolution.function.node, effect, visiting);
  if (resolution?.kind === "Local" && resolution.binding.lambda) return functionMayDo(moduleGen, resolution.binding.lambda, effect, visiting);
  return true;
}

function functionMayDo(moduleGen: ModuleGen, node: FunExpr, effect: PoolEffect, visiting: Set<FunExpr>): boolean {
  const cache = moduleGen.poolEffects;
  const cached = cache.get(node)?.get(effect);
  if (cached !== undefined) return cached;
  // Recursion: a function calling itself adds nothing beyond what the rest of its body does.
  if (visiting.has(node)) return false;
  visiting.add(node);
  const result = someExpression(node.body, (inner) => inner.kind === "CallExpr" && callMayDo(moduleGen, inner, effect, visiting));
  visiting.delete(node);
  if (visiting.size === 0) {
    if (!cache.has(node)) cache.set(node, new Map());
    cache.get(node)!.set(effect, result);
  }
  return result;
}

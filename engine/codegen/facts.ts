// What code generation asks of a top-level function's body, found in one walk and kept per module:
// the known functions it calls, its size, and what rules out compiling it in place (inline.ts) or
// giving it a quiet twin (quiet-draw.ts). Walking a big module once instead of once per question
// matters: an AST walk costs about 0.15 µs a node (every node's `kind` is a megamorphic read), and
// a generated 10,000-line module has 40,000 nodes in its function bodies.

import type { FunExpr } from "../checker/program.ts";
import type * as Ast from "../syntax/ast.ts";
import type { ModuleGen } from "./emitter.ts";
import { someExpression } from "./walk.ts";

type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;

export const DRAW_EFFECT = "engine/draw/Draw";

export interface BodyFacts {
  /** Known functions the body calls directly, once per call. */
  callees: FunExpr[];
  /** Expressions in the body. */
  size: number;
  /** Has a `return`: its value cannot simply be the body's. */
  returns: boolean;
  /** Makes lambdas or handlers, installs one (`with`) or cancels: these name frames of their function. */
  namesFrames: boolean;
  /** Performs Draw operations itself. */
  draws: boolean;
}

export function bodyFacts(moduleGen: ModuleGen, node: FunExpr): BodyFacts {
  const known = moduleGen.facts.get(node);
  if (known) return known;
  const facts: BodyFacts = { callees: [], size: 0, returns: false, namesFrames: false, draws: false };
  someExpression(node.body, (expr) => {
    facts.size++;
    switch (expr.kind) {
      case "CallExpr":
        noteCall(moduleGen, expr, facts);
        break;
      case "ReturnExpr":
        facts.returns = true;
        break;
      case "FunExpr":
      case "HandlerExpr":
      case "WithExpr":
      case "CancelExpr":
        facts.namesFrames = true;
        break;
    }
    return false;
  });
  moduleGen.facts.set(node, facts);
  return facts;
}

function noteCall(moduleGen: ModuleGen, call: CallExpr, facts: BodyFacts): void {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  if (resolution?.kind === "Function") facts.callees.push(resolution.function.node);
  else if (isDrawOperation(moduleGen, call)) facts.draws = true;
}

export function isDrawOperation(moduleGen: ModuleGen, call: CallExpr): boolean {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  return resolution?.kind === "Operation" && resolution.operation.effect.qualifiedName === DRAW_EFFECT;
}

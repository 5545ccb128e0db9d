// Where a resumable function can be re-entered, so a suspended fiber can be saved as data (a
// checkpoint) and rebuilt later. A generator's position cannot be saved, but a frame that says
// "suspended at point 3 with these locals" can be re-entered: the function runs again in restore
// mode, skips every statement up to the one that holds point 3, takes the branches and loop
// bodies that lead to it, and continues after it as if it had just woken.
//
// Restorable points are the suspending calls (`wait`, `next-frame`, calls to resumable functions)
// whose value is discarded and that sit only under blocks, `if` branches, `match` arms (whose
// bindings are saved with the locals), `while` and `for` bodies (with the loop's counter and
// end, or slot, size and generation) and `with` bodies. Anything else that suspends (in an
// operand, say) marks the frame unrestorable while it waits there; the fiber then keeps running
// but cannot be saved.

import type { CheckedProgram, FunExpr, LocalBinding } from "../checker/program.ts";
import { resolve, type Type } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { isResumableType } from "./values.ts";

type Expr = Ast.Expr;
type CallExpr = Extract<Expr, { kind: "CallExpr" }>;

/** First and last point number inside a node (points are numbered depth first, so contiguous). */
export interface PointRange {
  first: number;
  last: number;
}

export interface ResumePlan {
  /** Restorable suspending calls → point number. */
  points: Map<CallExpr, number>;
  /** Nodes on the way to points (statements, blocks, ifs, arms, loops, withs) → the points inside. */
  within: Map<object, PointRange>;
  /** `let` bindings in blocks that hold points: declared at the top, since guards split blocks. */
  hoisted: LocalBinding[];
  /** The counter and end variables of each `for i in a .. b` that holds points (saved locals too). */
  ranges: Map<object, { counter: string; end: string }>;
  /** The state of each `for x in pool` that holds points (saved locals too). */
  pools: Map<object, PoolLoopState>;
}

/** Where a pool loop is: its slot, the size it walks to, the generation of the element at the slot. */
export interface PoolLoopState {
  slot: string;
  end: string;
  generation: string;
}

/** The plan for one function body, or null when it has no restorable point. */
export function planResumePoints(program: CheckedProgram, node: FunExpr, result: Type): ResumePlan | null {
  const plan: ResumePlan = { points: new Map(), within: new Map(), hoisted: [], ranges: new Map(), pools: new Map() };
  const kind = resolve(result).kind;
  visit(program, plan, node.body, kind === "Unit" || kind === "Never");
  if (plan.points.size === 0 || sharesHoistedMutable(program, node.body, plan.hoisted)) return null;
  return plan;
}

/** Visits an expression in statement position; `discarded` when nothing reads its value. */
function visit(program: CheckedProgram, plan: ResumePlan, expr: Expr, discarded: boolean): PointRange | null {
  const first = plan.points.size;
  switch (expr.kind) {
    case "CallExpr":
      if (discarded && suspends(program, expr)) plan.points.set(expr, plan.points.size);
      break;
    case "BlockExpr":
      visitBlock(program, plan, expr, discarded);
      break;
    case "IfExpr":
      // The then-branch gets the slot only when there is an else (see compileIfStatement).
      visit(program, plan, expr.then, discarded || expr.else === null);
      if (expr.else) visit(program, plan, expr.else, discarded);
      break;
    case "WhileExpr":
      visit(program, plan, expr.body, true);
      break;
    case "MatchExpr":
      for (const arm of expr.arms) {
        const armFirst = plan.points.size;
        if (visit(program, plan, arm.body, discarded)) record(plan, arm, armFirst);
      }
      // Every arm binds inside a guard in a re-enterable match: all their bindings are hoisted.
      if (plan.points.size > first) {
        for (const arm of expr.arms) {
          walkNodes(arm.pattern, (node) => {
            const binding = program.bindings.get(node);
            if (binding) plan.hoisted.push(binding);
          });
        }
      }
      break;
    case "WithExpr":
      // Re-entering installs the handler again (building its frame has no effects) and goes into
      // the body; a handler given by an expression other than a name is not evaluated twice.
      if (expr.handler.kind === "HandlerExpr" || expr.handler.kind === "NameExpr") visit(program, plan, expr.body, discarded);
      break;
    case "ForEachExpr":
      if (visit(program, plan, expr.body, true)) {
        plan.hoisted.push(program.bindings.get(expr) as LocalBinding);
        const index = plan.pools.size;
        plan.pools.set(expr, { slot: `s$${index}`, end: `size$${index}`, generation: `g$${index}` });
      }
      break;
    case "ForRangeExpr":
      if (visit(program, plan, expr.body, true)) {
        plan.hoisted.push(program.bindings.get(expr) as LocalBinding);
        plan.ranges.set(expr, { counter: `i$${plan.ranges.size}`, end: `end$${plan.ranges.size}` });
      }
      break;
    default:
      break;
  }
  return record(plan, expr, first);
}

function visitBlock(program: CheckedProgram, plan: ResumePlan, block: Extract<Expr, { kind: "BlockExpr" }>, discarded: boolean): void {
  const first = plan.points.size;
  block.items.forEach((item, index) => {
    const itemFirst = plan.points.size;
    if (item.kind === "ExprStatement") visit(program, plan, item.expr, discarded || index < block.items.length - 1);
    record(plan, item, itemFirst);
  });
  if (plan.points.size === first) return;
  for (const item of block.items) {
    if (item.kind === "LetStatement") plan.hoisted.push(program.bindings.get(item) as LocalBinding);
  }
}

function record(plan: ResumePlan, node: object, first: number): PointRange | null {
  if (plan.points.size === first) return null;
  const range = { first, last: plan.points.size - 1 };
  plan.within.set(node, range);
  return range;
}

/** Whether a call may suspend its fiber. */
export function suspends(program: CheckedProgram, call: CallExpr): boolean {
  const resolution = call.callee.kind === "NameExpr" ? program.resolutions.get(call.callee) : undefined;
  switch (resolution?.kind) {
    case "Builtin":
      return resolution.name === "wait" || resolution.name === "next-frame";
    case "Operation":
      return false;
    case "Function":
      return program.rows.get(resolution.function.node)?.has("Wait") ?? false;
    default: {
      const type = program.types.get(call.callee);
      return type !== undefined && isResumableType(type);
    }
  }
}

/** JavaScript test that a restore record's point lies in `range`. */
export function inRange(record: string, range: PointRange): string {
  return range.first === range.last ? `${record}.at === ${range.first}` : `${record}.at >= ${range.first} && ${record}.at <= ${range.last}`;
}

// ---------------------------------------------------------------- lambdas

/**
 * Locals of enclosing functions a lambda reads, in first-use order; null when one of them is
 * mutable (the lambda shares it with code that may still change it, so it cannot be copied).
 */
export function capturedLocals(program: CheckedProgram, node: FunExpr): LocalBinding[] | null {
  const captured = enclosingLocals(program, node);
  return captured.some((binding) => binding.mutable) ? null : captured;
}

/** Locals of enclosing functions a lambda reads or writes, in first-use order. */
export function enclosingLocals(program: CheckedProgram, node: FunExpr): LocalBinding[] {
  const declared = new Set<LocalBinding>();
  const used: LocalBinding[] = [];
  walkNodes(node, (child) => {
    const binding = program.bindings.get(child);
    if (binding) declared.add(binding);
    if ((child as { kind?: string }).kind === "NameExpr") {
      const resolution = program.resolutions.get(child as Extract<Expr, { kind: "NameExpr" }>);
      if (resolution?.kind === "Local" && !used.includes(resolution.binding)) used.push(resolution.binding);
    }
  });
  return used.filter((binding) => !declared.has(binding));
}

/**
 * Hoisting turns a binding made afresh on every pass of a loop into one variable: a lambda that
 * closes over it would see later values. Immutable ones are copied into such lambdas when they
 * are made (see compileLambda); a lambda closing over a hoisted mutable local makes the function
 * not re-enterable at all.
 */
function sharesHoistedMutable(program: CheckedProgram, body: Expr, hoisted: LocalBinding[]): boolean {
  let shares = false;
  walkNodes(body, (child) => {
    if ((child as { kind?: string }).kind !== "FunExpr") return;
    if (enclosingLocals(program, child as FunExpr).some((binding) => binding.mutable && hoisted.includes(binding))) shares = true;
  });
  return shares;
}

/** Calls `visitNode` on every AST node object under `root` (spans skipped). */
function walkNodes(root: object, visitNode: (node: object) => void): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== "object" || next === null) continue;
    if (Array.isArray(next)) {
      pending.push(...next);
      continue;
    }
    visitNode(next);
    for (const [key, value] of Object.entries(next)) if (key !== "span" && key !== "nameSpan" && typeof value === "object") pending.push(value);
  }
}

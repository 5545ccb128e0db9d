// Code for the parts of a re-enterable resumable function that lead to its restorable points
// (resume-plan.ts). With `resume$` null the code does what it would anyway. With a restore record
// it is re-entering a saved frame: each statement before the one holding the saved point is
// skipped, conditions, loop bounds and match subjects are not evaluated (the branch, arm and
// body that hold the point are taken), and at the point itself the frame continues as if it had
// just woken up. Match arms are re-entered by match.ts, loops over pools by pools.ts.
//
//   if (resume$ === null) { <statement without points> }
//   if (resume$ === null || resume$.at === 3) { <statement holding point 3> }
//   if (resume$ !== null) { resume$ = null; } else { frame$.at = 3; yield 0.5; }

import type { LocalBinding } from "../checker/program.ts";
import type * as Ast from "../syntax/ast.ts";
import { compileGeneratorCall } from "./calls.ts";
import { alternatives, emit, invalidateBinders, nested, newTemp, ordered, partialPath, type FunctionGen } from "./emitter.ts";
import { budgetCheck, compile, compileIfStatement, compileInto, compileStatement, enterLoop, wrap, type ResultSlot } from "./expressions.ts";
import { compileForEach } from "./pools.ts";
import { inRange, type ResumePlan } from "./resume-plan.ts";
import { localName } from "./values.ts";

type Expr = Ast.Expr;
type CallExpr = Extract<Expr, { kind: "CallExpr" }>;

/** Compiles `expr` if it is on the way to a restorable point; false when it is not. */
export function compileReentrant(gen: FunctionGen, expr: Expr, slot: ResultSlot): boolean {
  const plan = gen.resume as ResumePlan;
  if (expr.kind === "CallExpr") {
    const point = plan.points.get(expr);
    if (point === undefined) return false;
    if (slot.kind !== "discard") throw new Error("internal: a restorable point whose value is used");
    compilePoint(gen, expr, point);
    return true;
  }
  if (!plan.within.has(expr)) return false;
  switch (expr.kind) {
    case "BlockExpr":
      compileGuardedStatements(gen, plan, expr.items, slot);
      return true;
    case "IfExpr":
      compileReentrantIf(gen, plan, expr, slot);
      return true;
    case "WhileExpr":
      compileReentrantWhile(gen, expr);
      return true;
    case "ForRangeExpr":
      compileReentrantForRange(gen, plan, expr);
      return true;
    case "ForEachExpr":
      compileForEach(gen, expr, plan.pools.get(expr));
      return true;
    case "MatchExpr":
      // match.ts re-enters its own arms (the subject and the bindings are its business).
      return false;
    case "WithExpr":
      // The handler is installed again as usual; its body is re-entered.
      return false;
    default:
      throw new Error(`internal: restorable points inside ${expr.kind}`);
  }
}

/** Each statement runs normally, or when re-entering only if it holds the saved point. */
function compileGuardedStatements(gen: FunctionGen, plan: ResumePlan, items: Ast.Statement[], slot: ResultSlot): void {
  items.forEach((item, index) => {
    const range = plan.within.get(item);
    emit(gen, `if (resume$ === null${range ? ` || ${inRange("resume$", range)}` : ""}) {`);
    const itemSlot: ResultSlot = index === items.length - 1 ? slot : { kind: "discard" };
    alternatives(gen, [() => nested(gen, () => compileStatement(gen, item, itemSlot))], true);
    emit(gen, "}");
  });
}

/** The condition is evaluated only when running normally; re-entering takes the branch with the point. */
function compileReentrantIf(gen: FunctionGen, plan: ResumePlan, expr: Extract<Expr, { kind: "IfExpr" }>, slot: ResultSlot): void {
  const condition = newTemp(gen, "c");
  const thenRange = plan.within.get(expr.then);
  emit(gen, `let ${condition} = false;`);
  emit(gen, "if (resume$ === null) {");
  alternatives(gen, [() => nested(gen, () => emit(gen, `${condition} = ${compile(gen, expr.condition)};`))], true);
  emit(gen, "} else {");
  nested(gen, () => emit(gen, `${condition} = ${thenRange ? inRange("resume$", thenRange) : "false"};`));
  emit(gen, "}");
  compileIfStatement(gen, expr, slot, condition);
}

/** Re-entering goes straight into the body (the point is in it); the condition is checked from the next round on. */
function compileReentrantWhile(gen: FunctionGen, expr: Extract<Expr, { kind: "WhileExpr" }>): void {
  enterLoop(gen, expr);
  emit(gen, "for (;;) {");
  partialPath(gen, () =>
    nested(gen, () => {
      emit(gen, "if (resume$ === null) {");
      alternatives(gen, [() => nested(gen, () => emit(gen, `if (!${wrap(compile(gen, expr.condition))}) break;`))], true);
      emit(gen, "}");
      budgetCheck(gen, expr.span);
      compileInto(gen, expr.body, { kind: "discard" });
    }),
  );
  emit(gen, "}");
}

/** The bounds are evaluated only when running normally; re-entering, the saved counter and end go on. */
function compileReentrantForRange(gen: FunctionGen, plan: ResumePlan, expr: Extract<Expr, { kind: "ForRangeExpr" }>): void {
  const { counter, end } = plan.ranges.get(expr)!;
  const binding = gen.module.program.bindings.get(expr) as LocalBinding;
  emit(gen, "if (resume$ === null) {");
  alternatives(gen, [() => nested(gen, () => {
    const [[from], [to]] = ordered(gen, [() => [compile(gen, expr.from)], () => [compile(gen, expr.to)]]);
    emit(gen, `${counter} = ${from}; ${end} = ${to};`);
  })], true);
  emit(gen, "}");
  enterLoop(gen, expr.body);
  emit(gen, `for (; ${counter} < ${end}; ${counter}++) {`);
  partialPath(gen, () =>
    nested(gen, () => {
      emit(gen, `${localName(binding)} = ${counter};`);
      budgetCheck(gen, expr.span);
      compileInto(gen, expr.body, { kind: "discard" });
    }),
  );
  emit(gen, "}");
}

/** `wait`, `next-frame ()` or a call to a resumable function, as a point the frame can be saved at. */
function compilePoint(gen: FunctionGen, call: CallExpr, point: number): void {
  const program = gen.module.program;
  const resolution = call.callee.kind === "NameExpr" ? program.resolutions.get(call.callee) : undefined;
  const builtin = resolution?.kind === "Builtin" ? resolution.name : null;
  emit(gen, "if (resume$ !== null) {");
  nested(gen, () => {
    if (builtin) {
      emit(gen, "resume$ = null;");
      return;
    }
    const child = newTemp(gen, "child");
    emit(gen, `const ${child} = resume$.child; resume$ = null;`);
    emit(gen, `frame$.at = ${point};`);
    emit(gen, `yield* ${child}.enter(${child});`);
  });
  emit(gen, "} else {");
  nested(gen, () => {
    if (builtin) {
      const args = program.callArguments.get(call) ?? [];
      const seconds = builtin === "wait" ? compile(gen, args[0]) : "0";
      emit(gen, `frame$.at = ${point};`);
      emit(gen, `yield ${seconds};`);
      return;
    }
    const generator = newTemp(gen, "g");
    emit(gen, `const ${generator} = ${compileGeneratorCall(gen, call)};`);
    emit(gen, `frame$.at = ${point};`);
    emit(gen, `yield* ${generator};`);
  });
  emit(gen, "}");
  // Other code ran while the fiber waited (or it is being re-entered): nothing known about pools holds.
  invalidateBinders(gen, true, true);
}

// Drawing code in headless worlds. A replay or a headless run has no renderer: the engine's own
// Draw handler then ignores every command (runtime/world.ts marks it `silent`). Yet the game's
// drawing code still computes each command's arguments, and in the demo that is an eighth of a
// tick. A function that performs Draw operations itself therefore gets a quiet twin
// (`F_name$quiet`), which it enters while the silent handler is the one in effect: the twin is the
// same code with each Draw operation reduced to what its arguments must still do. Their checks
// stay (a freed pointer read for a sprite is the same runtime error headless as on screen), and so
// do calls that may change anything; values that are only computed are dropped, and so are locals
// computed only for them (`pulse := 0.5 + 0.5 * sin t`, then drawn). A world's behaviour, and so
// its hashes, are the same with and without drawing.

import type { FunExpr, FunctionInfo, LocalBinding } from "../checker/program.ts";
import { resolve } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { effectKey } from "../runtime/names.ts";
import { DRAW_COST } from "../runtime/budget.ts";
import { emit, type FunctionGen, type ModuleGen } from "./emitter.ts";
import { bodyFacts, DRAW_EFFECT, isDrawOperation } from "./facts.ts";
import { compile, compileInto, compileVec } from "./expressions.ts";
import { isLiteralOrName, isVec, typeOf } from "./values.ts";
import { childExpressions } from "./walk.ts";

type CallExpr = Extract<Ast.Expr, { kind: "CallExpr" }>;

/** Prelude functions whose value depends only on their arguments and which never fail. */
const PURE_BUILTINS = new Set(["sqrt", "floor", "ceil", "round", "sin", "cos", "tan", "atan2", "length", "dot", "vec2", "normalize", "abs", "min", "max", "clamp", "float", "int", "str", "count", "alive"]);

/**
 * Whether a top-level function gets a quiet twin: it performs Draw operations itself, cannot
 * suspend, and installs no handler (inside a `with`, an operation may reach the game's own handler
 * instead of the engine's), makes no lambdas and cancels nothing.
 */
export function hasQuietTwin(moduleGen: ModuleGen, fn: FunctionInfo): boolean {
  let known = moduleGen.quietTwins.get(fn.node);
  if (known === undefined) {
    known = needsQuietTwin(moduleGen, fn);
    moduleGen.quietTwins.set(fn.node, known);
  }
  return known;
}

function needsQuietTwin(moduleGen: ModuleGen, fn: FunctionInfo): boolean {
  if (fn.uncheckedMigration || moduleGen.program.rows.get(fn.node)?.has("Wait")) return false;
  const facts = bodyFacts(moduleGen, fn.node);
  return facts.draws && !facts.namesFrames;
}

export function quietTwinName(name: string): string {
  return `${name}$quiet`;
}

/** The first line of a function with a quiet twin: while drawing goes nowhere, run the twin. */
export function quietDispatch(gen: FunctionGen, name: string, params: string[]): void {
  emit(gen, `if (rt.h.${effectKey(DRAW_EFFECT)}.silent === true) return ${quietTwinName(name)}(${params.join(", ")});`);
}

/**
 * A Draw operation in a quiet twin: the arguments are compiled for what they do (their checks and
 * calls are statements), and a value is kept as an expression statement only when computing it
 * could fail or change anything. The silent handler does nothing, so nothing is invalidated.
 */
export function compileQuietDraw(gen: FunctionGen, args: Ast.Expr[]): string {
  // One argument at a time, each value used or dropped at once: nothing is spilled to keep the
  // order of evaluation, so a dropped value (or a quiet local it reads) is never needed later.
  for (const arg of args) {
    if (droppableValue(gen.module, arg)) {
      dropValue(gen, arg);
      continue;
    }
    const parts = isVec(typeOf(gen, arg)) ? compileVec(gen, arg) : [compile(gen, arg)];
    emit(gen, `void (${parts.join(", ")});`);
  }
  // What the operation would have spent of the loop budget (runtime/budget.ts), so a runaway
  // drawing loop stops at the same step headless as it does drawn.
  emit(gen, `B.left -= ${DRAW_COST};`);
  return "undefined";
}

/**
 * Emits what evaluating a droppable value must still do, in its order: the checks of its pointer
 * reads. A pure call is not made (only its arguments are evaluated), operators are not applied,
 * and an `if` keeps its condition and what each branch does.
 */
export function dropValue(gen: FunctionGen, expr: Ast.Expr): void {
  switch (expr.kind) {
    case "CallExpr":
      for (const arg of expr.args) dropValue(gen, arg);
      return;
    case "BinaryExpr":
    case "UnaryExpr":
    case "TupleExpr":
    case "RecordExpr":
    case "ConstructExpr":
      for (const child of childExpressions(expr)) dropValue(gen, child);
      return;
    case "IfExpr":
      compileInto(gen, expr, { kind: "discard" });
      return;
    default:
      if (isVec(typeOf(gen, expr))) compileVec(gen, expr);
      else compile(gen, expr);
  }
}

/**
 * The locals of a quiet twin that only dropped values read: immutable scalars or vectors, bound
 * to a value written inline that may itself be dropped, and read only through pure operators and
 * prelude math in dropped Draw arguments or in the values of other such locals. Such a local holds
 * a stand-in (its `let` keeps only the statements its value needs, the checks): whatever is
 * computed from it is never used, and nothing that may fail or branch ever reads it.
 */
export function quietLocals(moduleGen: ModuleGen, fn: FunExpr): Set<LocalBinding> {
  type Reader = LocalBinding | "draw" | "other";
  const readers = new Map<LocalBinding, Set<Reader>>();
  const candidates = new Set<LocalBinding>();
  const visit = (expr: Ast.Expr, reader: Reader): void => {
    switch (expr.kind) {
      case "NameExpr": {
        const resolution = moduleGen.program.resolutions.get(expr);
        if (resolution?.kind !== "Local") return;
        const seen = readers.get(resolution.binding) ?? new Set<Reader>();
        readers.set(resolution.binding, seen.add(reader));
        return;
      }
      case "BlockExpr":
        for (const item of expr.items) visitStatement(item);
        return;
      case "FieldExpr":
      case "UnaryExpr":
      case "TupleExpr":
      case "RecordExpr":
      case "ConstructExpr":
        for (const child of childExpressions(expr)) visit(child, reader);
        return;
      case "BinaryExpr":
        for (const child of childExpressions(expr)) visit(child, failingOperator(moduleGen, expr) ? "other" : reader);
        return;
      case "CallExpr":
        visitCall(expr, reader);
        return;
      default:
        // Branches, loops, handlers: what runs there may depend on the value.
        for (const child of childExpressions(expr)) visit(child, "other");
    }
  };
  const visitCall = (call: CallExpr, reader: Reader) => {
    const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
    if (isDrawOperation(moduleGen, call)) for (const arg of call.args) visit(arg, droppableValue(moduleGen, arg) ? "draw" : "other");
    else if (resolution?.kind === "Builtin" && PURE_BUILTINS.has(resolution.name)) for (const arg of call.args) visit(arg, reader);
    else for (const child of childExpressions(call)) visit(child, "other");
  };
  const visitStatement = (item: Ast.Statement) => {
    if (item.kind === "ExprStatement") return visit(item.expr, "other");
    if (item.kind === "AssignStatement") {
      visit(item.target, "other");
      return visit(item.value, "other");
    }
    const binding = moduleGen.program.bindings.get(item) as LocalBinding | undefined;
    const quiet = binding !== undefined && !item.mutable && plainData(binding) && inlineValue(item.value) && droppableValue(moduleGen, item.value);
    if (quiet) candidates.add(binding);
    visit(item.value, quiet ? binding : "other");
  };
  visit(fn.body, "other");
  // Drop candidates read anywhere else, until the rest only feed each other and dropped arguments.
  for (let changed = true; changed; ) {
    changed = false;
    for (const binding of candidates) {
      const uses = readers.get(binding) ?? new Set<Reader>();
      if ([...uses].every((use) => use === "draw" || (use !== "other" && candidates.has(use)))) continue;
      candidates.delete(binding);
      changed = true;
    }
  }
  return candidates;
}

/** Numbers, truth values, symbols, strings and vectors: a stand-in of these cannot lead anywhere. */
function plainData(binding: LocalBinding): boolean {
  const kind = resolve(binding.type).kind;
  return kind === "Int" || kind === "Float" || kind === "Bool" || kind === "Symbol" || kind === "Str" || kind === "Vec2";
}

/**
 * Values `compileLet` writes inline, and `if`s (compiled for what their condition and branches
 * do, see compileLet), as opposed to other statement forms assigned in branches.
 */
function inlineValue(expr: Ast.Expr): boolean {
  return expr.kind !== "BlockExpr" && expr.kind !== "MatchExpr" && expr.kind !== "WithExpr";
}

/**
 * Whether the JavaScript value of `expr` (what `compile` returns, after the statements it emits)
 * may be left uncomputed. Statement forms leave their value in a temporary, so only the parts
 * written inline matter: operators, field reads (pointer checks are statements), constructions
 * and calls of functions that never fail and change nothing.
 */
export function droppableValue(moduleGen: ModuleGen, expr: Ast.Expr): boolean {
  switch (expr.kind) {
    case "MatchExpr":
    case "BlockExpr":
    case "WithExpr":
    case "WhileExpr":
    case "ForRangeExpr":
    case "ForEachExpr":
      return true;
    case "FieldExpr":
      return droppableValue(moduleGen, expr.target);
    case "BinaryExpr":
      return !failingOperator(moduleGen, expr) && droppableValue(moduleGen, expr.left) && droppableValue(moduleGen, expr.right);
    case "CallExpr":
      return pureCall(moduleGen, expr, new Set()) && expr.args.every((arg) => droppableValue(moduleGen, arg));
    default:
      return leafOrParts(expr, (part) => droppableValue(moduleGen, part));
  }
}

/** Literals and names are values already; unary operators, tuples, records and ifs are as good as their parts. */
function leafOrParts(expr: Ast.Expr, part: (expr: Ast.Expr) => boolean): boolean {
  if (isLiteralOrName(expr)) return true;
  switch (expr.kind) {
    case "UnaryExpr":
    case "TupleExpr":
    case "RecordExpr":
    case "ConstructExpr":
    case "IfExpr":
      return childExpressions(expr).every(part);
    default:
      return false;
  }
}

/** Integer division and remainder fail on a zero divisor. */
function failingOperator(moduleGen: ModuleGen, expr: Extract<Ast.Expr, { kind: "BinaryExpr" }>): boolean {
  if (expr.operator !== "/" && expr.operator !== "%") return false;
  const type = moduleGen.program.types.get(expr);
  return !type || resolve(type).kind !== "Float";
}

/** A call of a pure prelude function or of a function that never fails and changes nothing (arguments aside). */
function pureCall(moduleGen: ModuleGen, call: CallExpr, visiting: Set<object>): boolean {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  if (resolution?.kind === "Builtin") return PURE_BUILTINS.has(resolution.name);
  if (resolution?.kind !== "Function" || resolution.function.uncheckedMigration) return false;
  const node = resolution.function.node;
  // Recursion may not end (the loop budget stops it with an error): not pure.
  if (visiting.has(node)) return false;
  visiting.add(node);
  const pure = inert(moduleGen, node.body, visiting);
  visiting.delete(node);
  return pure;
}

/**
 * Whether evaluating `expr` can neither fail nor change anything: no pointer reads (the pointer
 * may be freed), no assignments, loops (the budget), operations, allocation or fibers.
 */
function inert(moduleGen: ModuleGen, expr: Ast.Expr, visiting: Set<object>): boolean {
  const check = (part: Ast.Expr) => inert(moduleGen, part, visiting);
  switch (expr.kind) {
    case "FieldExpr": {
      const target = moduleGen.program.types.get(expr.target);
      return target !== undefined && resolve(target).kind !== "Pointer" && check(expr.target);
    }
    case "BinaryExpr":
      return !failingOperator(moduleGen, expr) && check(expr.left) && check(expr.right);
    case "CallExpr":
      return pureCall(moduleGen, expr, visiting) && expr.args.every(check);
    case "MatchExpr":
      return check(expr.subject) && expr.arms.every((arm) => check(arm.body));
    case "BlockExpr":
      return expr.items.every((item) => item.kind !== "AssignStatement" && check(item.kind === "LetStatement" ? item.value : item.expr));
    default:
      return leafOrParts(expr, check);
  }
}

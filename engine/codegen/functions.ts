// Functions and lambdas. A function whose effect row contains Wait becomes a generator (it can
// suspend its fiber) and keeps a record of its frame on the fiber's stack while it runs (which
// module it belongs to; where it waits and its locals, so the fiber can be saved); every other
// function is a plain JavaScript function V8 can inline.

import type { FunExpr, LocalBinding } from "../checker/program.ts";
import { resolve, type Type } from "../checker/types.ts";
import { createFunctionGen, declareColumnCaches, emit, nested, type FunctionGen, type ModuleGen } from "./emitter.ts";
import { budgetCheck, compile, compileInto, compileVec } from "./expressions.ts";
import { bodyFacts } from "./facts.ts";
import { quietDispatch, quietLocals } from "./quiet-draw.ts";
import { capturedLocals, enclosingLocals, planResumePoints, type ResumePlan } from "./resume-plan.ts";
import { scalarUnionLocals } from "./scalar-unions.ts";
import { isVec, localNames } from "./values.ts";

/** How a lambda is compiled (see compileLambda); top-level functions have none of this. */
export interface LambdaForm {
  /** Module-level: the enclosing locals it reads, passed after its parameters, and its plan. */
  captured?: LocalBinding[];
  plan?: ResumePlan;
  /** Inline, closing over its maker's locals: a saved fiber cannot re-enter it; this says why. */
  inlineBecause?: string;
}

/** A top-level function with a quiet twin (quiet-draw.ts): the function itself, or its twin. */
export type DrawForm = "dispatch" | "quiet";

/** `function name(params) { ... }` (or `function*`) for a function node; `declared` is a top-level function's type. */
export function compileFunction(moduleGen: ModuleGen, node: FunExpr, name: string, indent: string, declared?: Type, lambda?: LambdaForm, draw?: DrawForm): string {
  const resumable = moduleGen.program.rows.get(node)?.has("Wait") ?? false;
  const gen = createFunctionGen(moduleGen, resumable, indent + "  ");
  gen.columnCaches = new Map();
  gen.quietDraw = draw === "quiet";
  gen.quietLocals = draw === "quiet" ? quietLocals(moduleGen, node) : null;
  const type = resolve(declared ?? moduleGen.program.types.get(node) ?? functionTypeOf(moduleGen, node));
  const result = type.kind === "Function" ? type.result : type;
  gen.resume = !resumable ? null : lambda ? (lambda.plan ?? null) : planResumePoints(moduleGen.program, node, result);
  // Re-entry declares every local up front; scalar unions would need their own hoisting.
  gen.scalarUnions = gen.resume ? new Map() : scalarUnionLocals(moduleGen.program, node.body);
  const params = [...node.params.map((param) => moduleGen.program.bindings.get(param) as LocalBinding), ...(lambda?.captured ?? [])].flatMap(localNames);
  if (draw === "dispatch") quietDispatch(gen, name, params);
  // Recursion is a loop without a back-edge: recursive functions spend the same budget on entry.
  if (isRecursive(moduleGen, node)) budgetCheck(gen, node.span);
  if (resumable) {
    const label = lambda ? `a lambda in ${moduleGen.module.name}/${moduleGen.functionName}` : `${moduleGen.module.name}/${moduleGen.functionName}`;
    compileResumablePrologue(gen, name, params, label, lambda?.inlineBecause ?? "inside an operand (or a with block whose handler is not a name)");
    emit(gen, "try {");
    nested(gen, () => compileBody(gen, node, result));
    emit(gen, "} finally { FR.pop(); }");
  } else {
    compileBody(gen, node, result);
  }
  gen.lines.unshift(...declareColumnCaches(gen));
  const keyword = resumable ? "function*" : "function";
  const signature = gen.resume ? [...params, "resume$ = null"] : params;
  if (gen.resume) {
    const locals = params.length + frameLocals(gen.resume).length;
    const enter = `(record) => ${name}(${[...params.map(() => "undefined"), "record"].join(", ")})`;
    const calls = [...gen.resume.points].filter(([call]) => !isWaitBuiltin(moduleGen, call)).map(([, point]) => point);
    moduleGen.resumeEntries.push(`${name}: { points: ${gen.resume.points.size}, calls: [${calls.join(", ")}], locals: ${locals}, enter: ${enter} }`);
  }
  return `${keyword} ${name}(${signature.join(", ")}) {\n${gen.lines.join("\n")}\n${indent}}`;
}

/**
 * A resumable function puts a record of its frame on the fiber's stack while it runs. With
 * restorable points the record can read its locals, and a restore record (`resume$`) puts saved
 * locals back and re-enters at its point; the frame then takes the stand-in's place on the stack.
 * `label` names the function in messages; `unsaved` says where it waits when it has no points.
 */
function compileResumablePrologue(gen: FunctionGen, name: string, params: string[], label: string, unsaved: string): void {
  const identity = `module: ${JSON.stringify(gen.module.module.name)}, label: ${JSON.stringify(label)}`;
  const plan = gen.resume;
  if (!plan) {
    emit(gen, `const FR = rt.fiber.frames; FR.push({ ${identity}, fn: null, at: -1, read: null, why: ${JSON.stringify(unsaved)} });`);
    return;
  }
  const hoisted = frameLocals(plan);
  if (hoisted.length > 0) emit(gen, `let ${hoisted.join(", ")};`);
  const locals = [...params, ...hoisted];
  emit(gen, `const frame$ = { ${identity}, fn: ${JSON.stringify(name)}, at: -1, read: () => [${locals.join(", ")}], why: ${JSON.stringify(unsaved)} };`);
  emit(gen, "const FR = rt.fiber.frames;");
  emit(gen, "if (resume$ !== null) {");
  nested(gen, () => {
    emit(gen, `if (!(resume$.at >= 0 && resume$.at < ${plan.points.size})) throw new Error("internal: ${name} has no restorable point " + resume$.at);`);
    if (locals.length > 0) emit(gen, `[${locals.join(", ")}] = resume$.locals;`);
    emit(gen, "FR[resume$.depth] = frame$;");
  });
  emit(gen, "} else FR.push(frame$);");
}

/** A re-enterable frame's variables besides its parameters: hoisted locals, then loop state. */
function frameLocals(plan: ResumePlan): string[] {
  const ranges = [...plan.ranges.values()].flatMap((range) => [range.counter, range.end]);
  const pools = [...plan.pools.values()].flatMap((loop) => [loop.slot, loop.end, loop.generation]);
  return [...plan.hoisted.flatMap(localNames), ...ranges, ...pools];
}

/** `wait` or `next-frame`, as opposed to a call of a resumable function. */
function isWaitBuiltin(moduleGen: ModuleGen, call: Extract<FunExpr["body"], { kind: "CallExpr" }>): boolean {
  const resolution = call.callee.kind === "NameExpr" ? moduleGen.program.resolutions.get(call.callee) : undefined;
  return resolution?.kind === "Builtin";
}

/** Whether the function can call itself again through calls to known functions. */
export function isRecursive(moduleGen: ModuleGen, node: FunExpr): boolean {
  const seen = new Set<FunExpr>();
  const pending = [...bodyFacts(moduleGen, node).callees];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === node) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...bodyFacts(moduleGen, next).callees);
  }
  return false;
}


function functionTypeOf(moduleGen: ModuleGen, node: FunExpr): Type {
  for (const fn of moduleGen.module.functions.values()) if (fn.node === node) return fn.type;
  throw new Error("internal: function without a type");
}

function compileBody(gen: FunctionGen, node: FunExpr, result: Type): void {
  const kind = resolve(result).kind;
  if (kind === "Unit" || kind === "Never") {
    compileInto(gen, node.body, { kind: "discard" });
    return;
  }
  if (isVec(result)) {
    const [x, y] = compileVec(gen, node.body);
    emit(gen, `return { x: ${x}, y: ${y} };`);
    return;
  }
  emit(gen, `return ${compile(gen, node.body)};`);
}

/**
 * A lambda is a function expression closing over the enclosing JavaScript locals. A resumable
 * lambda with restorable points that captures only immutable locals is a module-level function
 * instead, taking the captured values after its parameters, so a saved frame of it can be
 * re-entered without the enclosing function.
 */
export function compileLambda(gen: FunctionGen, node: FunExpr): string {
  const moduleGen = gen.module;
  const program = moduleGen.program;
  const type = program.types.get(node);
  const resumable = program.rows.get(node)?.has("Wait") ?? false;
  const resolved = type ? resolve(type) : null;
  const plan = resumable && resolved?.kind === "Function" ? planResumePoints(program, node, resolved.result) : null;
  const captured = plan ? capturedLocals(program, node) : null;
  if (!plan || !captured) {
    const inlineBecause = plan ? "(it shares a mutable local with the function that made it)" : "inside an operand (or a with block whose handler is not a name)";
    const inline = `(${compileFunction(moduleGen, node, "", gen.indent, undefined, { inlineBecause })})`;
    // In a re-enterable maker, a hoisted local is one variable for every pass: copy it in now.
    const hoisted = gen.resume ? enclosingLocals(program, node).filter((binding) => gen.resume!.hoisted.includes(binding)).flatMap(localNames) : [];
    return hoisted.length > 0 ? `((${hoisted.join(", ")}) => ${inline})(${hoisted.join(", ")})` : inline;
  }
  const name = `L${moduleGen.lambdas.length}`;
  moduleGen.lambdas.push("");
  moduleGen.lambdas[moduleGen.lambdas.length - 1] = compileFunction(moduleGen, node, name, "", undefined, { captured, plan });
  const params = node.params.flatMap((param) => localNames(program.bindings.get(param) as LocalBinding));
  const values = captured.flatMap(localNames);
  // The captured values are taken when the lambda is made, as a closure over immutable locals sees them.
  const call = `(${params.join(", ")}) => ${name}(${[...params, ...values].join(", ")})`;
  return values.length > 0 ? `((${values.join(", ")}) => ${call})(${values.join(", ")})` : `(${call})`;
}

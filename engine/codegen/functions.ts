// Functions and lambdas. A function whose effect row contains Wait becomes a generator (it can
// suspend its fiber) and records its module on the fiber's frame stack while it runs; every
// other function is a plain JavaScript function V8 can inline.

import type { FunExpr, LocalBinding } from "../checker/program.ts";
import { resolve, type Type } from "../checker/types.ts";
import { createFunctionGen, emit, nested, type FunctionGen, type ModuleGen } from "./emitter.ts";
import { budgetCheck, compile, compileInto, compileVec } from "./expressions.ts";
import { scalarUnionLocals } from "./scalar-unions.ts";
import { someExpression } from "./walk.ts";
import { isVec, localNames } from "./values.ts";

/** `function name(params) { ... }` (or `function*`) for a function node; `declared` is a top-level function's type. */
export function compileFunction(moduleGen: ModuleGen, node: FunExpr, name: string, indent: string, declared?: Type): string {
  const resumable = moduleGen.program.rows.get(node)?.has("Wait") ?? false;
  const gen = createFunctionGen(moduleGen, resumable, indent + "  ");
  gen.scalarUnions = scalarUnionLocals(moduleGen.program, node.body);
  const params = node.params.flatMap((param) => localNames(moduleGen.program.bindings.get(param) as LocalBinding));
  const type = resolve(declared ?? moduleGen.program.types.get(node) ?? functionTypeOf(moduleGen, node));
  const result = type.kind === "Function" ? type.result : type;
  // Recursion is a loop without a back-edge: recursive functions spend the same budget on entry.
  if (isRecursive(moduleGen, node)) budgetCheck(gen, node.span);
  if (resumable) {
    emit(gen, `const FR = rt.fiber.frames; FR.push(${JSON.stringify(moduleGen.module.name)});`);
    emit(gen, "try {");
    nested(gen, () => compileBody(gen, node, result));
    emit(gen, "} finally { FR.pop(); }");
  } else {
    compileBody(gen, node, result);
  }
  const keyword = resumable ? "function*" : "function";
  return `${keyword} ${name}(${params.join(", ")}) {\n${gen.lines.join("\n")}\n${indent}}`;
}

/** Whether the function can call itself again through calls to known functions. */
function isRecursive(moduleGen: ModuleGen, node: FunExpr): boolean {
  const seen = new Set<FunExpr>();
  const pending = [...calledFunctions(moduleGen, node)];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === node) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...calledFunctions(moduleGen, next));
  }
  return false;
}

/** Known functions called directly in a body; each body is walked once per module. */
function calledFunctions(moduleGen: ModuleGen, node: FunExpr): FunExpr[] {
  const known = moduleGen.callees.get(node);
  if (known) return known;
  const found: FunExpr[] = [];
  someExpression(node.body, (expr) => {
    if (expr.kind !== "CallExpr" || expr.callee.kind !== "NameExpr") return false;
    const resolution = moduleGen.program.resolutions.get(expr.callee);
    if (resolution?.kind === "Function") found.push(resolution.function.node);
    return false;
  });
  moduleGen.callees.set(node, found);
  return found;
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

/** A lambda is a function expression closing over the enclosing JavaScript locals. */
export function compileLambda(gen: FunctionGen, node: FunExpr): string {
  return `(${compileFunction(gen.module, node, "", gen.indent)})`;
}

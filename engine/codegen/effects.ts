// `with handler E. ... do ...`, handler values and `cancel`. A handler frame sits in the fiber's
// slot for its effect, so performing an operation is one property load and a call. While a clause
// runs, the slot holds the next handler out; `cancel` throws to the `with` that owns the frame.

import type { HandlerExpr, WithExpr } from "../checker/program.ts";
import { resolve, type OperationInfo } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { effectKey, operationKey } from "../runtime/names.ts";
import { createFunctionGen, emit, invalidateBinders, nested, newTemp, partialPath, type FunctionGen } from "./emitter.ts";
import { mayAllocate, mayFree } from "./pools.ts";
import { compile, compileInto, compileVec, type ResultSlot } from "./expressions.ts";
import { isVec, localNames } from "./values.ts";

/** JavaScript name of the frame (inline handler) or handler value each cancel target throws to. */
function cancelTargetName(gen: FunctionGen, node: object): string {
  const names = gen.module.cancelNames;
  let name = names.get(node);
  if (!name) {
    name = `K${names.size}`;
    names.set(node, name);
  }
  return name;
}

export function compileWith(gen: FunctionGen, expr: WithExpr, slot: ResultSlot): void {
  const table = newTemp(gen, "HT");
  emit(gen, `const ${table} = rt.h;`);
  const inline = expr.handler.kind === "HandlerExpr";
  const frame = cancelTargetName(gen, inline ? expr : expr.handler);
  const key = inline ? installInlineFrame(gen, expr.handler as HandlerExpr, table, frame) : installHandlerValue(gen, expr.handler, table, frame);
  const saved = newTemp(gen, "saved");
  emit(gen, `const ${saved} = ${frameOf(table, key)}.outer;`);
  emit(gen, "try {");
  // A cancel may leave the body before any line of it: what the body learnt is not known after.
  partialPath(gen, () => nested(gen, () => compileInto(gen, expr.body, slot)));
  emit(gen, "} catch (e) {");
  nested(gen, () => {
    emit(gen, `if (!(e instanceof rt.Cancel) || e.frame !== ${frame}) throw e;`);
    assignCancelValue(gen, slot, "e.value");
  });
  emit(gen, `} finally {`);
  nested(gen, () => emit(gen, `${frameOf(table, key)} = ${saved};`));
  emit(gen, "}");
  // A cancel may leave the body anywhere: afterwards assume whatever the body may have done.
  invalidateBinders(gen, mayFree(gen, expr.body), mayAllocate(gen, expr.body));
}

function frameOf(table: string, key: string): string {
  return key.startsWith("[") ? `${table}${key}` : `${table}.${key}`;
}

function assignCancelValue(gen: FunctionGen, slot: ResultSlot, value: string): void {
  if (slot.kind === "value") emit(gen, `${slot.name} = ${value};`);
  if (slot.kind === "vec") emit(gen, `${slot.x} = ${value}.x; ${slot.y} = ${value}.y;`);
  if (slot.kind === "tag") emit(gen, `${slot.name} = ${value}.tag;`);
}

/** Builds the frame object for an inline handler, installs it, and returns the slot key. */
function installInlineFrame(gen: FunctionGen, handler: HandlerExpr, table: string, frame: string): string {
  const effect = gen.module.program.handlerEffects.get(handler);
  if (!effect) throw new Error("internal: handler without an effect");
  const key = effectKey(effect.qualifiedName);
  emit(gen, `const ${frame} = { outer: ${table}.${key} };`);
  for (const clause of handler.clauses) {
    const operation = effect.operations.get(clause.operation)!;
    const clauseFunction = compileClause(gen, clause, operation, (body) => {
      emit(body, `${table}.${key} = ${frame}.outer;`);
      emit(body, "try {");
    }, (body) => {
      emit(body, `} finally { ${table}.${key} = ${frame}; }`);
    });
    emit(gen, `${frame}.${operationKey(operation.name)} = ${clauseFunction};`);
  }
  emit(gen, `${table}.${key} = ${frame};`);
  return key;
}

/** Installs a handler value; `frameName` names the installed frame, which its cancels throw to. */
function installHandlerValue(gen: FunctionGen, handler: Ast.Expr, table: string, frameName: string): string {
  const value = newTemp(gen, "HV");
  emit(gen, `const ${value} = ${compile(gen, handler)};`);
  emit(gen, `const ${frameName} = rt.frameFor(${table}, ${value}.key, ${value});`);
  emit(gen, `${table}[${value}.key] = ${frameName};`);
  return `[${value}.key]`;
}

/** A handler as a value: `{ key, clauses }`, installed later by `with value do ...`. */
export function compileStandaloneHandler(gen: FunctionGen, handler: HandlerExpr): string {
  const effect = gen.module.program.handlerEffects.get(handler);
  if (!effect) throw new Error("internal: handler without an effect");
  const name = cancelTargetName(gen, handler);
  const inner = createFunctionGen(gen.module, false, gen.indent + "  ");
  emit(inner, `const ${name} = { key: ${JSON.stringify(effectKey(effect.qualifiedName))}, clauses: {} };`);
  for (const clause of handler.clauses) {
    const operation = effect.operations.get(clause.operation)!;
    emit(inner, `${name}.clauses.${operationKey(operation.name)} = ${compileClause(inner, clause, operation, () => {}, () => {})};`);
  }
  emit(inner, `return ${name};`);
  return `(() => {\n${inner.lines.join("\n")}\n${gen.indent}})()`;
}

/** A clause as a function of the operation's (flattened) arguments returning the resume value. */
function compileClause(
  gen: FunctionGen,
  clause: Ast.HandlerClause,
  operation: OperationInfo,
  open: (body: FunctionGen) => void,
  close: (body: FunctionGen) => void,
): string {
  const body = createFunctionGen(gen.module, false, gen.indent + "  ");
  const params = clauseParams(gen, clause.pattern, operation);
  open(body);
  nested(body, () => {
    if (isVec(operation.result)) {
      const [x, y] = compileVec(body, clause.body);
      emit(body, `return { x: ${x}, y: ${y} };`);
    } else if (resolve(operation.result).kind === "Unit" || resolve(operation.result).kind === "Never") {
      compileInto(body, clause.body, { kind: "discard" });
    } else {
      emit(body, `return ${compile(body, clause.body)};`);
    }
  });
  close(body);
  return `function (${params.join(", ")}) {\n${body.lines.join("\n")}\n${gen.indent}}`;
}

function clauseParams(gen: FunctionGen, pattern: Ast.Pattern, operation: OperationInfo): string[] {
  const patterns = operation.params.length === 1 ? [pattern] : pattern.kind === "TuplePattern" ? pattern.items : [];
  return operation.params.flatMap((param, index) => {
    const item = patterns[index];
    const binding = item && item.kind === "BindPattern" ? gen.module.program.bindings.get(item) : undefined;
    if (binding) return localNames(binding);
    const unused = newTemp(gen, "_");
    return isVec(param) ? [`${unused}x`, `${unused}y`] : [unused];
  });
}

export function compileCancel(gen: FunctionGen, expr: Extract<Ast.Expr, { kind: "CancelExpr" }>): void {
  const target = gen.module.program.cancelTargets.get(expr);
  const value = expr.value ? compile(gen, expr.value) : "undefined";
  const frame = target ? cancelTargetName(gen, target.node) : "null";
  emit(gen, `throw new rt.Cancel(${frame}, ${value});`);
}

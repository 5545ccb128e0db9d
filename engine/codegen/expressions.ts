// Compiles Ribbon expressions to JavaScript. `compile` yields a JavaScript expression for a value;
// `compileVec` yields the x and y parts of a Vec2 expression without building an object; control
// flow used as a value becomes statements that assign a result slot.

import type { ConstantInfo, LocalBinding } from "../checker/program.ts";
import { resolve, type Type, type UnionInfo } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { fieldKey } from "../runtime/names.ts";
import { compileCall } from "./calls.ts";
import { compileCancel, compileStandaloneHandler, compileWith } from "./effects.ts";
import { alternatives, emit, helper, invalidateBinders, isSimple, loopBody, nested, newTemp, ordered, site, spill, type FunctionGen } from "./emitter.ts";
import { compileLambda } from "./functions.ts";
import { compileInPlace } from "./inline.ts";
import { compileMatch } from "./match.ts";
import { compileReentrant } from "./resume.ts";
import { droppableValue, dropValue } from "./quiet-draw.ts";
import { compileForEach, compilePoolFieldRead, compilePoolFieldVec, compilePoolUnionParts, mayAllocate, mayFree, poolPath } from "./pools.ts";
import { isBareUnion, type ScalarUnion } from "./scalar-unions.ts";
import { assignScalarUnion, compileAssign } from "./assign.ts";
import { isLiteralOrName, isVec, localName, localNames, memberExpression, poolExpression, typeOf } from "./values.ts";

type Expr = Ast.Expr;
type ExprOf<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

/**
 * Where a statement-form expression leaves its value: nowhere, a variable, two variables for a
 * Vec2, or (for a union of bare variants) a variable holding just the tag.
 */
export type ResultSlot =
  | { kind: "discard" }
  | { kind: "value"; name: string }
  | { kind: "vec"; x: string; y: string }
  | { kind: "tag"; name: string; union: UnionInfo };

/** A JavaScript expression for the value of `expr` (a Vec2 comes back as an `{ x, y }` object). */
export function compile(gen: FunctionGen, expr: Expr): string {
  if (mayBeVec(expr) && isVec(typeOf(gen, expr))) {
    const [x, y] = compileVec(gen, expr);
    return `{ x: ${x}, y: ${y} }`;
  }
  return compileScalar(gen, expr);
}

/** Whether an expression of this form can have type Vec2 at all (saves a type lookup for most). */
function mayBeVec(expr: Expr): boolean {
  switch (expr.kind) {
    case "NameExpr":
    case "FieldExpr":
    case "CallExpr":
    case "IfExpr":
    case "MatchExpr":
    case "BlockExpr":
    case "WithExpr":
      return true;
    case "UnaryExpr":
      return expr.operator === "-";
    case "BinaryExpr":
      return expr.operator === "+" || expr.operator === "-" || expr.operator === "*" || expr.operator === "/" || expr.operator === "%";
    default:
      return false;
  }
}

function compileScalar(gen: FunctionGen, expr: Expr): string {
  switch (expr.kind) {
    case "IntLiteral":
    case "FloatLiteral":
      return numberLiteral(expr.value);
    case "StringLiteral":
      return JSON.stringify(expr.value);
    case "SymbolLiteral":
      return JSON.stringify(expr.name);
    case "BoolLiteral":
      return String(expr.value);
    case "UnitLiteral":
      return "undefined";
    case "NameExpr":
      return compileName(gen, expr);
    case "TupleExpr":
      return `[${ordered(gen, expr.items.map((item) => () => [compile(gen, item)])).join(", ")}]`;
    case "RecordExpr":
    case "ConstructExpr":
      return compileConstruct(gen, expr);
    case "FieldExpr":
      return compileField(gen, expr);
    case "CallExpr":
      return compileCall(gen, expr);
    case "UnaryExpr":
      return compileUnary(gen, expr);
    case "BinaryExpr":
      return compileBinary(gen, expr);
    case "FunExpr":
      return compileLambda(gen, expr);
    case "HandlerExpr":
      return compileStandaloneHandler(gen, expr);
    case "CancelExpr":
      compileCancel(gen, expr);
      return "undefined";
    case "ReturnExpr":
      emit(gen, `return${expr.value ? ` ${compile(gen, expr.value)}` : ""};`);
      return "undefined";
    case "BreakExpr":
      emit(gen, "break;");
      return "undefined";
    case "ContinueExpr":
      emit(gen, "continue;");
      return "undefined";
    case "IfExpr":
      return compileIfValue(gen, expr);
    default:
      return viaSlot(gen, expr);
  }
}

export function numberLiteral(value: number): string {
  return value < 0 || Object.is(value, -0) ? `(${value === 0 ? "-0" : value})` : String(value);
}

/** Compiles a statement-form expression into a fresh temporary and returns its name. */
function viaSlot(gen: FunctionGen, expr: Expr): string {
  const name = newTemp(gen, "r");
  emit(gen, declareSlot(gen, name, expr));
  compileInto(gen, expr, { kind: "value", name });
  return name;
}

/** `let r` for a value assigned in branches; a number slot starts as a number so V8 keeps it unboxed. */
function declareSlot(gen: FunctionGen, name: string, expr: Expr): string {
  const kind = typeOf(gen, expr).kind;
  return kind === "Int" || kind === "Float" ? `let ${name} = 0;` : `let ${name};`;
}

/** Compiles `expr` so that its value lands in `slot` (statements, not an expression). */
export function compileInto(gen: FunctionGen, expr: Expr, slot: ResultSlot): void {
  if (gen.resume !== null && compileReentrant(gen, expr, slot)) return;
  switch (expr.kind) {
    case "BlockExpr":
      compileStatements(gen, expr.items, slot);
      return;
    case "IfExpr":
      compileIfStatement(gen, expr, slot);
      return;
    case "MatchExpr":
      compileMatch(gen, expr, slot);
      return;
    case "WithExpr":
      compileWith(gen, expr, slot);
      return;
    case "WhileExpr":
      compileWhile(gen, expr);
      return;
    case "ForRangeExpr":
      compileForRange(gen, expr);
      return;
    case "ForEachExpr":
      compileForEach(gen, expr);
      return;
    default:
      assignSlot(gen, expr, slot);
  }
}

function assignSlot(gen: FunctionGen, expr: Expr, slot: ResultSlot): void {
  switch (slot.kind) {
    case "discard": {
      // In a quiet twin, a value that could neither fail nor change anything is not computed.
      if (gen.quietDraw && droppableValue(gen.module, expr)) return dropValue(gen, expr);
      const code = compileScalarOrVecForEffect(gen, expr);
      if (code && !isSimple(code)) emit(gen, `${code};`);
      return;
    }
    case "value":
      emit(gen, `${slot.name} = ${compile(gen, expr)};`);
      return;
    case "vec": {
      const [x, y] = compileVec(gen, expr);
      emit(gen, `${slot.x} = ${x}; ${slot.y} = ${y};`);
      return;
    }
    case "tag":
      emit(gen, `${slot.name} = ${bareUnionTag(gen, expr, slot.union)};`);
      return;
    default: {
      const never: never = slot;
      return never;
    }
  }
}

/** For an expression evaluated only for its effects: skip building a vector nobody reads. */
function compileScalarOrVecForEffect(gen: FunctionGen, expr: Expr): string | null {
  if (!isVec(typeOf(gen, expr))) return compileScalar(gen, expr);
  compileVec(gen, expr);
  return null;
}

// ---------------------------------------------------------------- blocks and statements

export function compileStatements(gen: FunctionGen, items: Ast.Statement[], slot: ResultSlot): void {
  items.forEach((item, index) => compileStatement(gen, item, index === items.length - 1 ? slot : { kind: "discard" }));
}

/** One statement of a block; `slot` receives its value (only the last one's is used). */
export function compileStatement(gen: FunctionGen, item: Ast.Statement, slot: ResultSlot): void {
  if (item.kind === "ExprStatement") compileInto(gen, item.expr, slot);
  else if (item.kind === "LetStatement") compileLet(gen, item);
  else compileAssign(gen, item);
}

function compileLet(gen: FunctionGen, statement: Ast.Statement & { kind: "LetStatement" }): void {
  const binding = gen.module.program.bindings.get(statement) as LocalBinding;
  // A re-enterable function declares these at its top (resume-plan.ts): here they are assigned.
  const hoisted = gen.resume?.hoisted.includes(binding) ?? false;
  const keyword = hoisted ? "" : statement.mutable ? "let " : "const ";
  const scalar = gen.scalarUnions.get(binding);
  if (gen.quietLocals?.has(binding) && !scalar && !hoisted) {
    // Only dropped values read it (quiet-draw.ts): what its value does, then a stand-in. An `if`
    // keeps its condition and what each branch does (its checks), not the branches' values.
    const names = localNames(binding);
    dropValue(gen, statement.value);
    emit(gen, `const ${names.map((name) => `${name} = 0`).join(", ")};`);
    return;
  }
  if (scalar) {
    emit(gen, `let ${scalar.names.join(", ")};`);
    assignScalarUnion(gen, scalar, statement.value);
    return;
  }
  if (isVec(binding.type)) {
    const [x, y] = compileVec(gen, statement.value);
    const [nameX, nameY] = localNames(binding);
    emit(gen, `${keyword}${nameX} = ${x}, ${nameY} = ${y};`);
    return;
  }
  const name = localName(binding);
  if (isStatementForm(statement.value)) {
    if (!hoisted) emit(gen, declareSlot(gen, name, statement.value));
    compileInto(gen, statement.value, { kind: "value", name });
  } else {
    emit(gen, `${keyword}${name} = ${compile(gen, statement.value)};`);
  }
  if (!statement.mutable && !hoisted && gen.resume === null) bindPointerSlot(gen, binding, name);
}

/**
 * An immutable pointer local gets its slot where it is bound, unchecked: every path that reads
 * through it checks liveness first (locateBinder), and code after branches that all checked it
 * knows it is alive. Decoded at the first read instead, the slot would be a `const` of that
 * branch, and the code after it would decode and check again.
 */
function bindPointerSlot(gen: FunctionGen, binding: LocalBinding, name: string): void {
  const type = resolve(binding.type);
  if (type.kind !== "Pointer") return;
  const slot = newTemp(gen, "s");
  emit(gen, `const ${slot} = ${name} & 16777215;`);
  gen.binders.set(binding, { pool: poolExpression(gen, type.pool), slot, generation: null, handle: name, columns: [], verified: false, fresh: true });
}

function isStatementForm(expr: Expr): boolean {
  return expr.kind === "BlockExpr" || expr.kind === "MatchExpr" || expr.kind === "WithExpr" || (expr.kind === "IfExpr" && !isPlain(expr));
}

/** True when compiling `expr` needs no statements: it can sit inside a larger expression. */
function isPlain(expr: Expr): boolean {
  if (isLiteralOrName(expr)) return true;
  switch (expr.kind) {
    case "UnaryExpr":
      return isPlain(expr.operand);
    case "BinaryExpr":
      return isPlain(expr.left) && isPlain(expr.right);
    case "IfExpr":
      return expr.else !== null && isPlain(expr.condition) && isPlain(expr.then) && isPlain(expr.else);
    default:
      return false;
  }
}

// ---------------------------------------------------------------- names and data

function compileName(gen: FunctionGen, expr: ExprOf<"NameExpr">): string {
  const resolution = gen.module.program.resolutions.get(expr);
  if (!resolution) throw new Error(`internal: unresolved name ${expr.path.segments.join("/")}`);
  switch (resolution.kind) {
    case "Local": {
      const scalar = gen.scalarUnions.get(resolution.binding);
      return scalar ? bareUnionValue(gen, scalar) : localName(resolution.binding);
    }
    case "Variant":
      return variantConstant(gen, resolution.union.qualifiedName, resolution.index);
    case "Operation":
    case "Builtin":
      throw new Error("internal: operation or builtin used as a value");
    case "Constant":
      return literalConstant(gen, resolution.constant) ?? memberExpression(gen, resolution);
    default:
      return memberExpression(gen, resolution);
  }
}

/**
 * A constant written as a number or boolean literal, of this module or an imported one, is
 * compiled as that literal: V8 then folds it into the arithmetic, where a factory `const` or a
 * read of the other module's table stays a load. A changed value changes its module's source, and
 * code is generated again for that module and every module that reaches it through imports
 * (compiler/compile.ts keys generated code so), so a reload swaps in every user of the new value.
 * A module fibers can wait in keeps reading imported ones from their tables (foldImportedConstants).
 */
function literalConstant(gen: FunctionGen, constant: ConstantInfo): string | null {
  if (!foldsConstantOf(gen, constant)) return null;
  const value = constant.value;
  return value.kind === "BoolLiteral" ? String(value.value) : literalNumber(value);
}

function foldsConstantOf(gen: FunctionGen, constant: ConstantInfo): boolean {
  return constant.module === gen.module.module.name || gen.module.foldImportedConstants;
}

/** A number literal's JavaScript, or null for any other expression. */
function literalNumber(expr: Expr): string | null {
  return expr.kind === "IntLiteral" || expr.kind === "FloatLiteral" ? numberLiteral(expr.value) : null;
}

/**
 * The whole value of a union local kept as scalars, where a use needs it: only a union of bare
 * variants is kept so then (scalar-unions.ts), and its tag picks the shared variant.
 */
function bareUnionValue(gen: FunctionGen, scalar: ScalarUnion): string {
  if (!isBareUnion(scalar.union)) throw new Error(`internal: the union local ${scalar.tag} is used whole`);
  return variantOfTag(gen, scalar.union, scalar.tag);
}

/** The shared variant of a union of bare variants whose tag `tag` computes. */
export function variantOfTag(gen: FunctionGen, union: UnionInfo, tag: string): string {
  const variants = union.variants.map((variant) => variantConstant(gen, union.qualifiedName, variant.index));
  const table = helper(gen.module, `variants:${union.qualifiedName}`, (name) => `const ${name} = [${variants.join(", ")}];`);
  return `${table}[${tag}]`;
}

/**
 * The tag of a value of a union of bare variants, read without building the value where it can
 * be: a variant's index, a pool field's tag column, a scalar local's tag variable.
 */
export function bareUnionTag(gen: FunctionGen, expr: Ast.Expr, union: UnionInfo): string {
  const program = gen.module.program;
  const resolution = expr.kind === "NameExpr" ? program.resolutions.get(expr) : undefined;
  if (resolution?.kind === "Variant" && resolution.union === union) return String(resolution.index);
  const constructed = program.variantConstructs.get(expr);
  if (constructed?.union === union) return String(constructed.index);
  const scalar = resolution?.kind === "Local" ? gen.scalarUnions.get(resolution.binding) : undefined;
  if (scalar) return scalar.tag;
  const path = expr.kind === "FieldExpr" ? poolPath(gen, expr) : null;
  if (path) return compilePoolUnionParts(gen, path, expr as ExprOf<"FieldExpr">, union).tag;
  if (isStatementForm(expr)) {
    // Each branch leaves its tag: `if near then Mode/Chase else Mode/Wander` builds no value.
    const name = newTemp(gen, "r");
    emit(gen, `let ${name} = 0;`);
    compileInto(gen, expr, { kind: "tag", name, union });
    return name;
  }
  const inPlace = expr.kind === "CallExpr" ? compileInPlace(gen, expr) : null;
  if (inPlace?.kind === "tag") return inPlace.name;
  if (inPlace) throw new Error("internal: a call returning a union of bare variants compiled in place without a tag");
  return `${wrap(compile(gen, expr))}.tag`;
}

/** Nullary variants are shared frozen objects, created once per module. */
export function variantConstant(gen: FunctionGen, unionName: string, index: number): string {
  const key = `variant:${unionName}:${index}`;
  const existing = gen.module.helperNames.get(key);
  if (existing) return existing;
  const name = `V${gen.module.helperNames.size}`;
  gen.module.helperNames.set(key, name);
  gen.module.helpers.unshift(`const ${name} = Object.freeze({ tag: ${index} });`);
  return name;
}

function compileConstruct(gen: FunctionGen, expr: ExprOf<"RecordExpr"> | ExprOf<"ConstructExpr">): string {
  const program = gen.module.program;
  const variant = program.variantConstructs.get(expr);
  if (variant) {
    const info = variant.union.variants[variant.index];
    return `{ tag: ${variant.index}${info.fields.length ? ", " : ""}${compileFieldValues(gen, info.fields, expr.fields).join(", ")} }`;
  }
  const struct = program.recordTypes.get(expr);
  if (!struct) throw new Error("internal: record without a struct type");
  return `{ ${compileFieldValues(gen, struct.fields, expr.fields).join(", ")} }`;
}

/** `f_name: value` for every declared field in order, defaults filled in; source order kept. */
export function compileFieldValues(
  gen: FunctionGen,
  fields: Array<{ name: string; defaultValue: Expr | null }>,
  inits: Ast.FieldInit[],
): string[] {
  const values = new Map<string, string>();
  const results = ordered(gen, inits.map((init) => () => [compile(gen, init.value)]));
  inits.forEach((init, index) => values.set(init.name, results[index][0]));
  return fields.map((field) => `${fieldKey(field.name)}: ${values.get(field.name) ?? compile(gen, field.defaultValue!)}`);
}

function compileField(gen: FunctionGen, expr: ExprOf<"FieldExpr">): string {
  const path = poolPath(gen, expr);
  if (path) return compilePoolFieldRead(gen, path, expr);
  const targetType = typeOf(gen, expr.target);
  if (isVec(targetType)) {
    const [x, y] = compileVec(gen, expr.target);
    return expr.name === "x" ? x : y;
  }
  return `${compile(gen, expr.target)}.${fieldKey(expr.name)}`;
}

// ---------------------------------------------------------------- operators

function compileUnary(gen: FunctionGen, expr: ExprOf<"UnaryExpr">): string {
  const operand = compile(gen, expr.operand);
  if (expr.operator === "not") return `!${wrap(operand)}`;
  return typeOf(gen, expr).kind === "Int" ? `(-${wrap(operand)} | 0)` : `(-${wrap(operand)})`;
}

export function wrap(code: string): string {
  return isSimple(code) && !code.startsWith("-") ? code : `(${code})`;
}

function compileBinary(gen: FunctionGen, expr: ExprOf<"BinaryExpr">): string {
  if (expr.operator === "and" || expr.operator === "or") return compileLogical(gen, expr);
  const operandType = typeOf(gen, expr.left);
  if (isVec(operandType)) return compileVecComparison(gen, expr);
  const bare = bareUnionOf(operandType);
  if (bare && (expr.operator === "==" || expr.operator === "!=")) {
    const [[left], [right]] = ordered(gen, [() => [bareUnionTag(gen, expr.left, bare)], () => [bareUnionTag(gen, expr.right, bare)]]);
    return `(${left} ${expr.operator === "==" ? "===" : "!=="} ${right})`;
  }
  const [[left], [right]] = ordered(gen, [() => [compile(gen, expr.left)], () => [compile(gen, expr.right)]]);
  switch (expr.operator) {
    case "==":
      return equality(operandType, left, right);
    case "!=":
      return `!${equality(operandType, left, right)}`;
    case "<":
    case "<=":
    case ">":
    case ">=":
      return `(${left} ${expr.operator} ${right})`;
    default:
      return arithmetic(gen, expr, operandType, left, right);
  }
}

function bareUnionOf(type: Type): UnionInfo | null {
  const resolved = resolve(type);
  return resolved.kind === "Union" && isBareUnion(resolved.union) ? resolved.union : null;
}

/** Scalars compare with `===`, other data structurally (a union of bare variants by tag, above). */
function equality(type: Type, left: string, right: string): string {
  const resolved = resolve(type);
  const structural = resolved.kind === "Struct" || resolved.kind === "Union" || resolved.kind === "Tuple";
  return structural ? `rt.equal(${left}, ${right})` : `(${left} === ${right})`;
}

function arithmetic(gen: FunctionGen, expr: ExprOf<"BinaryExpr">, type: Type, left: string, right: string): string {
  if (resolve(type).kind !== "Int") return `(${left} ${expr.operator} ${right})`;
  switch (expr.operator) {
    case "*":
      return `Math.imul(${left}, ${right})`;
    case "/":
      return `rt.idiv(${left}, ${right}, ${site(gen, expr.span)})`;
    case "%":
      return `rt.imod(${left}, ${right}, ${site(gen, expr.span)})`;
    default:
      return `(${left} ${expr.operator} ${right} | 0)`;
  }
}

function compileLogical(gen: FunctionGen, expr: ExprOf<"BinaryExpr">): string {
  const operator = expr.operator === "and" ? "&&" : "||";
  const left = compile(gen, expr.left);
  if (isPlain(expr.right)) return `(${left} ${operator} ${compile(gen, expr.right)})`;
  const name = newTemp(gen, "r");
  emit(gen, `let ${name} = ${left};`);
  emit(gen, `if (${expr.operator === "and" ? name : `!${name}`}) {`);
  alternatives(gen, [() => nested(gen, () => emit(gen, `${name} = ${compile(gen, expr.right)};`))], true);
  emit(gen, "}");
  return name;
}

function compileVecComparison(gen: FunctionGen, expr: ExprOf<"BinaryExpr">): string {
  const [[lx, ly], [rx, ry]] = ordered(gen, [() => simpleVec(gen, expr.left), () => simpleVec(gen, expr.right)]);
  const same = `(${lx} === ${rx} && ${ly} === ${ry})`;
  return expr.operator === "!=" ? `!${same}` : same;
}

// ---------------------------------------------------------------- control flow

function compileIfValue(gen: FunctionGen, expr: ExprOf<"IfExpr">): string {
  if (expr.else && isPlain(expr)) {
    return `(${compile(gen, expr.condition)} ? ${compile(gen, expr.then)} : ${compile(gen, expr.else)})`;
  }
  if (!expr.else) {
    compileInto(gen, expr, { kind: "discard" });
    return "undefined";
  }
  return viaSlot(gen, expr);
}

/** `if`; `condition` is the JavaScript test when the caller has computed it already. */
export function compileIfStatement(gen: FunctionGen, expr: ExprOf<"IfExpr">, slot: ResultSlot, condition?: string): void {
  emit(gen, `if (${condition ?? compile(gen, expr.condition)}) {`);
  const thenPath = () => nested(gen, () => compileInto(gen, expr.then, expr.else ? slot : { kind: "discard" }));
  const elsePath = () => {
    emit(gen, "} else {");
    nested(gen, () => compileInto(gen, expr.else!, slot));
  };
  alternatives(gen, expr.else ? [thenPath, elsePath] : [thenPath], !expr.else);
  emit(gen, "}");
}

/** Loop back-edges spend the tick's budget, so a stuck loop is stopped with its position. */
export function budgetCheck(gen: FunctionGen, span: Ast.Span): void {
  emit(gen, `if (--B.left < 0) rt.outOfBudget(${site(gen, span)});`);
}

/** A loop body runs again after itself: what it may do counts from its first line. */
export function enterLoop(gen: FunctionGen, body: Expr): void {
  invalidateBinders(gen, mayFree(gen, body), mayAllocate(gen, body));
}

function compileWhile(gen: FunctionGen, expr: ExprOf<"WhileExpr">): void {
  enterLoop(gen, expr);
  emit(gen, "for (;;) {");
  loopBody(gen, () => {
    emit(gen, `if (!${wrap(compile(gen, expr.condition))}) break;`);
    budgetCheck(gen, expr.span);
    compileInto(gen, expr.body, { kind: "discard" });
  });
  emit(gen, "}");
}

function compileForRange(gen: FunctionGen, expr: ExprOf<"ForRangeExpr">): void {
  const [[from], [to]] = ordered(gen, [() => [compile(gen, expr.from)], () => [compile(gen, expr.to)]]);
  const end = spill(gen, to, "end");
  const binding = gen.module.program.bindings.get(expr) as LocalBinding;
  const counter = newTemp(gen, "i");
  enterLoop(gen, expr.body);
  emit(gen, `for (let ${counter} = ${from}; ${counter} < ${end}; ${counter}++) {`);
  loopBody(gen, () => {
    emit(gen, `const ${localName(binding)} = ${counter};`);
    budgetCheck(gen, expr.span);
    compileInto(gen, expr.body, { kind: "discard" });
  });
  emit(gen, "}");
}

// ---------------------------------------------------------------- vectors

/** The x and y parts of a Vec2 expression, as JavaScript expressions evaluated where used. */
export function compileVec(gen: FunctionGen, expr: Expr): [string, string] {
  switch (expr.kind) {
    case "NameExpr":
      return vecName(gen, expr);
    case "CallExpr":
      return vecCall(gen, expr);
    case "UnaryExpr": {
      const [x, y] = compileVec(gen, expr.operand);
      return [`(-${wrap(x)})`, `(-${wrap(y)})`];
    }
    case "BinaryExpr":
      return vecBinary(gen, expr);
    case "FieldExpr": {
      const path = poolPath(gen, expr);
      if (path) return compilePoolFieldVec(gen, path, expr);
      return splitObject(gen, compileField(gen, expr));
    }
    case "BlockExpr":
    case "IfExpr":
    case "MatchExpr":
    case "WithExpr": {
      const x = newTemp(gen, "rx");
      const y = newTemp(gen, "ry");
      // Start as numbers, so V8 keeps the parts unboxed.
      emit(gen, `let ${x} = 0, ${y} = 0;`);
      compileInto(gen, expr, { kind: "vec", x, y });
      return [x, y];
    }
    default:
      return splitObject(gen, compileScalar(gen, expr));
  }
}

/** Both parts bound to names or literals, for consumers that read each part more than once. */
export function simpleVec(gen: FunctionGen, expr: Expr): [string, string] {
  const [x, y] = compileVec(gen, expr);
  return [spill(gen, x), spill(gen, y)];
}

export function splitObject(gen: FunctionGen, code: string): [string, string] {
  const name = spill(gen, code, "v");
  return [`${name}.x`, `${name}.y`];
}

function vecName(gen: FunctionGen, expr: ExprOf<"NameExpr">): [string, string] {
  const resolution = gen.module.program.resolutions.get(expr);
  if (resolution?.kind === "Local") {
    const [x, y] = localNames(resolution.binding);
    return [x, y];
  }
  if (resolution?.kind === "Constant") {
    const parts = literalVecConstant(gen, resolution.constant);
    if (parts) return parts;
  }
  return splitObject(gen, compileScalar(gen, expr));
}

/** `CENTER := vec2 640.0 360.0`, here or in an imported module, as its two literals (see literalConstant). */
function literalVecConstant(gen: FunctionGen, constant: ConstantInfo): [string, string] | null {
  const value = constant.value;
  if (!foldsConstantOf(gen, constant) || value.kind !== "CallExpr" || value.callee.kind !== "NameExpr") return null;
  const callee = gen.module.program.resolutions.get(value.callee);
  const args = gen.module.program.callArguments.get(value) ?? [];
  if (callee?.kind !== "Builtin" || callee.name !== "vec2" || args.length !== 2) return null;
  const [x, y] = args.map(literalNumber);
  return x !== null && y !== null ? [x, y] : null;
}

function vecCall(gen: FunctionGen, expr: ExprOf<"CallExpr">): [string, string] {
  const callee = expr.callee;
  const resolution = callee.kind === "NameExpr" ? gen.module.program.resolutions.get(callee) : undefined;
  const args = gen.module.program.callArguments.get(expr) ?? [];
  if (resolution?.kind === "Builtin" && resolution.name === "vec2") {
    const angle = directionAngle(gen, args[0], args[1]);
    if (angle) {
      // The same bits as cos and sin apart, with the angle reduced once (runtime/math.ts).
      emit(gen, `M.sincos(${compile(gen, angle)}, CS);`);
      return [spill(gen, "CS[0]", "c"), spill(gen, "CS[1]", "s")];
    }
    const [[x], [y]] = ordered(gen, [() => [compile(gen, args[0])], () => [compile(gen, args[1])]]);
    return [x, y];
  }
  if (resolution?.kind === "Builtin" && resolution.name === "normalize") {
    const [x, y] = simpleVec(gen, args[0]);
    const length = spill(gen, `Math.sqrt(${x} * ${x} + ${y} * ${y})`, "n");
    return [`(${length} > 0 ? ${x} / ${length} : 0)`, `(${length} > 0 ? ${y} / ${length} : 0)`];
  }
  const inPlace = compileInPlace(gen, expr);
  if (inPlace) {
    if (inPlace.kind !== "vec") throw new Error("internal: a Vec2 call compiled in place without a vector result");
    return [inPlace.x, inPlace.y];
  }
  return splitObject(gen, compileScalar(gen, expr));
}

/** `a` when the parts are `cos a` and `sin a` of one local `a` (a direction vector), else null. */
function directionAngle(gen: FunctionGen, x: Expr, y: Expr): Expr | null {
  const argumentOf = (part: Expr, name: string): Expr | null => {
    if (part.kind !== "CallExpr" || part.callee.kind !== "NameExpr" || part.args.length !== 1) return null;
    const resolution = gen.module.program.resolutions.get(part.callee);
    return resolution?.kind === "Builtin" && resolution.name === name ? part.args[0] : null;
  };
  const cosine = argumentOf(x, "cos");
  const sine = argumentOf(y, "sin");
  if (cosine?.kind !== "NameExpr" || sine?.kind !== "NameExpr") return null;
  const local = (name: ExprOf<"NameExpr">) => {
    const resolution = gen.module.program.resolutions.get(name);
    return resolution?.kind === "Local" ? resolution.binding : null;
  };
  const binding = local(cosine);
  return binding !== null && binding === local(sine) ? cosine : null;
}

function vecBinary(gen: FunctionGen, expr: ExprOf<"BinaryExpr">): [string, string] {
  const leftVec = isVec(typeOf(gen, expr.left));
  const rightVec = isVec(typeOf(gen, expr.right));
  // A scalar operand is read by both parts, so it is bound once (inside `ordered`, to keep order).
  const [left, right] = ordered(gen, [
    () => (leftVec ? compileVec(gen, expr.left) : [spill(gen, compile(gen, expr.left))]),
    () => (rightVec ? compileVec(gen, expr.right) : [spill(gen, compile(gen, expr.right))]),
  ]);
  const operator = expr.operator;
  if (leftVec && rightVec) return [`(${left[0]} ${operator} ${right[0]})`, `(${left[1]} ${operator} ${right[1]})`];
  if (leftVec) return [`(${left[0]} ${operator} ${right[0]})`, `(${left[1]} ${operator} ${right[0]})`];
  return [`(${left[0]} ${operator} ${right[0]})`, `(${left[0]} ${operator} ${right[1]})`];
}

export type { ExprOf };

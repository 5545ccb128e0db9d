// Pool access in generated code: field paths through pointers become column reads and writes,
// `for x in pool.` walks slots directly, and alloc/free/alive/count.

import type { LocalBinding } from "../checker/program.ts";
import { resolve, type PoolInfo, type StructInfo, type Type, type UnionInfo } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { fieldKey } from "../runtime/names.ts";
import { cachedColumn, emit, helper, invalidateBinders, loopBody, nested, newTemp, ordered, site, spill, type FunctionGen, type PoolBinder } from "./emitter.ts";
import { bareUnionTag, compile, compileInto, compileVec, simpleVec, splitObject, variantConstant } from "./expressions.ts";
import { cachedLayout, columnAt, type IndexedLayout } from "./layout.ts";
import { localName, poolExpression, typeOf } from "./values.ts";
import { mayDo } from "./pool-effects.ts";
import type { PoolLoopState } from "./resume-plan.ts";
import { isBareUnion, isFlatUnion } from "./scalar-unions.ts";
import { childExpressions } from "./walk.ts";

type FieldExpr = Extract<Ast.Expr, { kind: "FieldExpr" }>;

/** A field path inside a pool element: `b.pos.x` is base `b`, path ["pos", "x"]. */
export interface PoolPath {
  base: Ast.Expr;
  pool: PoolInfo;
  path: string[];
  type: Type;
}

export function poolPath(gen: FunctionGen, expr: FieldExpr): PoolPath | null {
  const targetType = typeOf(gen, expr.target);
  if (targetType.kind === "Pointer") return { base: expr.target, pool: targetType.pool, path: [expr.name], type: typeOf(gen, expr) };
  if (expr.target.kind !== "FieldExpr") return null;
  if (targetType.kind !== "Struct" && targetType.kind !== "Vec2") return null;
  const inner = poolPath(gen, expr.target);
  return inner ? { ...inner, path: [...inner.path, expr.name], type: typeOf(gen, expr) } : null;
}

function poolLayout(gen: FunctionGen, pool: PoolInfo): IndexedLayout {
  return cachedLayout(gen.module.layouts, elementStruct(pool));
}

function elementStruct(pool: PoolInfo): StructInfo {
  const element = resolve(pool.element);
  if (element.kind !== "Struct") throw new Error("internal: pool of a non-struct");
  return element.struct;
}

interface Location {
  pool: string;
  slot: string;
  /** Cached column arrays of a loop binder, when there are any. */
  columns?: string[];
}

/**
 * Where the base pointer's element lives: a loop binder's slot, the slot an immutable local was
 * already decoded to, or a checked handle decode. An immutable pointer local is decoded once;
 * later accesses in the same block reuse the slot and re-check liveness only after something that
 * may free (see PoolBinder). The decode is a statement, which is safe: field reads are never
 * compiled inside a JavaScript `&&`, `||` or `?:` (only plain operands are, see isPlain in
 * expressions.ts).
 */
function locate(gen: FunctionGen, path: PoolPath, span: Ast.Span): Location {
  const base = path.base;
  const binding = base.kind === "NameExpr" ? localBinding(gen, base) : null;
  const binder = binding ? gen.binders.get(binding) : undefined;
  if (binder) return locateBinder(gen, binder, span);
  const handle = spill(gen, compile(gen, base), "h");
  const pool = poolExpression(gen, path.pool);
  const slot = decodeChecked(gen, pool, handle, span);
  if (binding && !binding.mutable) gen.binders.set(binding, { pool, slot, generation: null, handle, columns: [], verified: true, fresh: true });
  return { pool, slot };
}

/**
 * The slot of a handle, checked to be alive, as a `const` of the code emitted here. It is
 * `rt.slot` written out: a call there costs V8 the argument loads (the site above all) on every
 * access even when inlined, and the check sits on the hottest paths (a linked-list walk is one
 * decode per step). The liveness test is the same: the slot's generation rebuilds the handle.
 */
function decodeChecked(gen: FunctionGen, pool: string, handle: string, span: Ast.Span): string {
  const slot = newTemp(gen, "s");
  emit(gen, `const ${slot} = ${handle} & 16777215;`);
  emitLivenessCheck(gen, pool, slot, handle, span);
  return slot;
}

function emitLivenessCheck(gen: FunctionGen, pool: string, slot: string, handle: string, span: Ast.Span): void {
  emit(gen, `if (${pool}.gens[${slot}] * 16777216 + ${slot} !== ${handle}) rt.deadPointer(${pool}, ${site(gen, span)});`);
}

function localBinding(gen: FunctionGen, name: Extract<Ast.Expr, { kind: "NameExpr" }>): LocalBinding | null {
  const resolution = gen.module.program.resolutions.get(name);
  return resolution?.kind === "Local" ? resolution.binding : null;
}

/** Re-checks liveness and reloads cached columns only when something since may have changed them. */
function locateBinder(gen: FunctionGen, binder: PoolBinder, span: Ast.Span): Location {
  if (!binder.verified) {
    if (binder.handle) emitLivenessCheck(gen, binder.pool, binder.slot, binder.handle, span);
    else if (binder.generation) emit(gen, `if (${binder.pool}.gens[${binder.slot}] !== ${binder.generation}) rt.deadPointer(${binder.pool}, ${site(gen, span)});`);
  }
  binder.verified = true;
  if (!binder.fresh && binder.columns.length > 0) {
    emit(gen, `${binder.columns.map((column, index) => `${column} = ${binder.pool}.cols[${index}]`).join("; ")};`);
  }
  binder.fresh = true;
  return { pool: binder.pool, slot: binder.slot, columns: binder.columns.length > 0 ? binder.columns : undefined };
}

function columnRead(gen: FunctionGen, location: Location, pool: PoolInfo, columnPath: string): string {
  const index = columnAt(poolLayout(gen, pool), columnPath);
  if (location.columns) return `${location.columns[index]}[${location.slot}]`;
  const shared = currentLoopColumns(gen, location.pool);
  if (shared) return `${shared[index]}[${location.slot}]`;
  return `${cachedColumn(gen, location.pool, index)}[${location.slot}]`;
}

/**
 * The column arrays of a loop over the same pool, while they are current. Walking pointers into
 * the pool being iterated (a linked list of its elements, a parent) then reads the loop's arrays
 * instead of loading arrays of its own on every step.
 */
function currentLoopColumns(gen: FunctionGen, pool: string): string[] | null {
  for (const binder of gen.binders.values()) {
    if (binder.source === pool && binder.fresh && binder.columns.length > 0) return binder.columns;
  }
  return null;
}

export function compilePoolFieldRead(gen: FunctionGen, path: PoolPath, expr: FieldExpr): string {
  const type = resolve(path.type);
  const columnPath = path.path.join(".");
  if (type.kind === "Struct" || type.kind === "Union" || type.kind === "Tuple") {
    const location = locate(gen, path, expr.span);
    return `${reader(gen, path.pool, columnPath, type)}(${location.pool}, ${location.slot})`;
  }
  if (type.kind === "Vec2") {
    const [x, y] = compilePoolFieldVec(gen, path, expr);
    return `{ x: ${x}, y: ${y} }`;
  }
  const location = locate(gen, path, expr.span);
  const read = columnRead(gen, location, path.pool, columnPath);
  return type.kind === "Bool" ? `(${read} === 1)` : read;
}

/**
 * A flat union stored in a pool element, read once into temporaries: its tag and every variant
 * field (scalar union locals, matches on a pool field, copies between pool fields).
 */
export function compilePoolUnionParts(gen: FunctionGen, path: PoolPath, expr: FieldExpr, union: UnionInfo): { tag: string; fields: Array<{ variant: number; name: string; code: string }> } {
  const location = locate(gen, path, expr.span);
  const columnPath = path.path.join(".");
  const tag = spill(gen, columnRead(gen, location, path.pool, `${columnPath}#tag`), "u");
  const fields = union.variants.flatMap((variant) =>
    variant.fields.map((field) => {
      const read = columnRead(gen, location, path.pool, `${columnPath}.${variant.name}.${field.name}`);
      return { variant: variant.index, name: field.name, code: spill(gen, resolve(field.type).kind === "Bool" ? `(${read} === 1)` : read, "u") };
    }),
  );
  return { tag, fields };
}

export function compilePoolFieldVec(gen: FunctionGen, path: PoolPath, expr: FieldExpr): [string, string] {
  const location = locate(gen, path, expr.span);
  const columnPath = path.path.join(".");
  return [columnRead(gen, location, path.pool, `${columnPath}.x`), columnRead(gen, location, path.pool, `${columnPath}.y`)];
}

/** `target = value` where the target is a path inside a pool element. */
export function compilePoolWrite(gen: FunctionGen, path: PoolPath, target: FieldExpr, value: Ast.Expr): void {
  const type = resolve(path.type);
  const columnPath = path.path.join(".");
  if (type.kind === "Vec2") {
    const [x, y] = simpleVec(gen, value);
    const location = locate(gen, path, target.span);
    emit(gen, `${columnRead(gen, location, path.pool, `${columnPath}.x`)} = ${x};`);
    emit(gen, `${columnRead(gen, location, path.pool, `${columnPath}.y`)} = ${y};`);
    return;
  }
  if (type.kind === "Union" && compileUnionWrite(gen, path, target, value, type.union)) return;
  const code = spill(gen, compile(gen, value));
  if (type.kind === "Struct" || type.kind === "Union" || type.kind === "Tuple") {
    const location = locate(gen, path, target.span);
    emit(gen, `${writer(gen, path.pool, columnPath, type)}(${location.pool}, ${location.slot}, ${code});`);
    return;
  }
  const location = locate(gen, path, target.span);
  emit(gen, `${columnRead(gen, location, path.pool, columnPath)} = ${type.kind === "Bool" ? `(${code} ? 1 : 0)` : code};`);
}

/**
 * A union stored into a pool field without building the union value: a variant written where it
 * is constructed (`c.list = Link/To { body = b }`, `c.list = Link/End`) or copied from another
 * pool field (`b.next = c.list`, when every variant field is one column) goes column to column,
 * writing the same columns as the writer helper (the tag, then the fields of the variant it
 * holds). A union of bare variants is its tag column alone, whatever the value (expressions.ts
 * bareUnionTag). False for any other value.
 */
function compileUnionWrite(gen: FunctionGen, path: PoolPath, target: FieldExpr, value: Ast.Expr, union: UnionInfo): boolean {
  const program = gen.module.program;
  const columnPath = path.path.join(".");
  const constructed = program.variantConstructs.get(value);
  const named = value.kind === "NameExpr" ? program.resolutions.get(value) : undefined;
  if (constructed?.union === union || (named?.kind === "Variant" && named.union === union)) {
    const index = constructed ? constructed.index : (named as { index: number }).index;
    const variant = union.variants[index];
    const fields = constructed ? variantFieldValues(gen, variant.fields, (value as { fields: Ast.FieldInit[] }).fields) : [];
    const location = locate(gen, path, target.span);
    const column = (columnName: string) => columnRead(gen, location, path.pool, columnName);
    emit(gen, `${column(`${columnPath}#tag`)} = ${index};`);
    variant.fields.forEach((field, at) => {
      for (const line of writeStatements(field.type, `${columnPath}.${variant.name}.${field.name}`, fields[at], column)) emit(gen, line);
    });
    return true;
  }
  if (isBareUnion(union)) {
    // The tag is the whole value, and it is computed before the element is located for the write.
    const tag = spill(gen, bareUnionTag(gen, value, union), "u");
    emit(gen, `${columnRead(gen, locate(gen, path, target.span), path.pool, `${columnPath}#tag`)} = ${tag};`);
    return true;
  }
  const source = value.kind === "FieldExpr" ? poolPath(gen, value) : null;
  const sourceType = source ? resolve(source.type) : null;
  if (!source || sourceType?.kind !== "Union" || sourceType.union !== union || !isFlatUnion(union)) return false;
  // Every part is read before anything is written: the source may be the target.
  const { tag, fields } = compilePoolUnionParts(gen, source, value as FieldExpr, union);
  const location = locate(gen, path, target.span);
  const column = (columnName: string) => columnRead(gen, location, path.pool, columnName);
  emit(gen, `${column(`${columnPath}#tag`)} = ${tag};`);
  for (const variant of union.variants) {
    if (variant.fields.length === 0) continue;
    const writes = variant.fields.flatMap((field) => {
      const part = fields.find((candidate) => candidate.variant === variant.index && candidate.name === field.name)!;
      return writeStatements(field.type, `${columnPath}.${variant.name}.${field.name}`, part.code, column);
    });
    emit(gen, `if (${tag} === ${variant.index}) { ${writes.join(" ")} }`);
  }
  return true;
}

/** A variant's field values in declaration order, defaults filled in, evaluated in source order. */
function variantFieldValues(gen: FunctionGen, fields: Array<{ name: string; defaultValue: Ast.Expr | null }>, inits: Ast.FieldInit[]): string[] {
  const results = ordered(gen, inits.map((init) => () => [spill(gen, compile(gen, init.value))]));
  const given = new Map(inits.map((init, index) => [init.name, results[index][0]]));
  return fields.map((field) => given.get(field.name) ?? spill(gen, compile(gen, field.defaultValue!)));
}

// ---------------------------------------------------------------- composite readers and writers

/** Column path of a field inside `path`; the element itself is the empty path. */
function joinPath(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

/** Reader and writer of whole elements, which data migration uses to run migration functions. */
export function elementAccessors(gen: FunctionGen, pool: PoolInfo): { read: string; write: string } {
  const element = { kind: "Struct" as const, struct: elementStruct(pool) };
  return { read: reader(gen, pool, "", element), write: writer(gen, pool, "", element) };
}

function reader(gen: FunctionGen, pool: PoolInfo, prefix: string, type: Type): string {
  const layout = poolLayout(gen, pool);
  const column = (path: string) => `c[${columnAt(layout, path)}][s]`;
  const bare = (union: UnionInfo, index: number) => variantConstant(gen, union.qualifiedName, index);
  const key = `read:${pool.qualifiedName}:${prefix}`;
  const existing = gen.module.helperNames.get(key);
  if (existing) return existing;
  // Built before the helper is named, so the variant constants it uses are numbered first.
  const body = readExpression(type, prefix, column, bare);
  return helper(gen.module, key, (name) => `function ${name}(P, s) {\n  const c = P.cols;\n  return ${body};\n}`);
}

/** Builds the stored value back from its columns; bare variants are the shared constants. */
function readExpression(type: Type, path: string, column: (path: string) => string, bare: (union: UnionInfo, index: number) => string): string {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Bool":
      return `(${column(path)} === 1)`;
    case "Vec2":
      return `{ x: ${column(`${path}.x`)}, y: ${column(`${path}.y`)} }`;
    case "Unit":
      return "undefined";
    case "Struct":
      return `{ ${resolved.struct.fields.map((field) => `${fieldKey(field.name)}: ${readExpression(field.type, joinPath(path, field.name), column, bare)}`).join(", ")} }`;
    case "Tuple":
      return `[${resolved.items.map((item, index) => readExpression(item, joinPath(path, String(index)), column, bare)).join(", ")}]`;
    case "Union": {
      const tag = column(`${path}#tag`);
      const arms = resolved.union.variants.map((variant) => {
        if (variant.fields.length === 0) return `${tag} === ${variant.index} ? ${bare(resolved.union, variant.index)}`;
        const fields = variant.fields.map((field) => `, ${fieldKey(field.name)}: ${readExpression(field.type, `${path}.${variant.name}.${field.name}`, column, bare)}`);
        return `${tag} === ${variant.index} ? { tag: ${variant.index}${fields.join("")} }`;
      });
      return `(${arms.join(" : ")} : undefined)`;
    }
    default:
      return column(path);
  }
}

function writer(gen: FunctionGen, pool: PoolInfo, prefix: string, type: Type): string {
  const layout = poolLayout(gen, pool);
  const column = (path: string) => `c[${columnAt(layout, path)}][s]`;
  return helper(gen.module, `write:${pool.qualifiedName}:${prefix}`, (name) => {
    const body = writeStatements(type, prefix, "v", column).map((line) => `  ${line}`);
    return `function ${name}(P, s, v) {\n  const c = P.cols;\n${body.join("\n")}\n}`;
  });
}

function writeStatements(type: Type, path: string, value: string, column: (path: string) => string): string[] {
  const resolved = resolve(type);
  switch (resolved.kind) {
    case "Bool":
      return [`${column(path)} = ${value} ? 1 : 0;`];
    case "Vec2":
      return [`${column(`${path}.x`)} = ${value}.x;`, `${column(`${path}.y`)} = ${value}.y;`];
    case "Unit":
      return [];
    case "Struct":
      return resolved.struct.fields.flatMap((field) => writeStatements(field.type, joinPath(path, field.name), `${value}.${fieldKey(field.name)}`, column));
    case "Tuple":
      return resolved.items.flatMap((item, index) => writeStatements(item, joinPath(path, String(index)), `${value}[${index}]`, column));
    case "Union": {
      const lines = [`${column(`${path}#tag`)} = ${value}.tag;`];
      for (const variant of resolved.union.variants) {
        if (variant.fields.length === 0) continue;
        const writes = variant.fields.flatMap((field) => writeStatements(field.type, `${path}.${variant.name}.${field.name}`, `${value}.${fieldKey(field.name)}`, column));
        lines.push(`if (${value}.tag === ${variant.index}) { ${writes.join(" ")} }`);
      }
      return lines;
    }
    default:
      return [`${column(path)} = ${value};`];
  }
}

// ---------------------------------------------------------------- loops and allocation

/** Whether running `body` could free pool elements. */
export function mayFree(gen: FunctionGen, body: Ast.Expr): boolean {
  return mayDo(gen.module, body, "free", gen.quietDraw);
}

/** Whether running `body` could allocate, growing a pool and replacing its column arrays. */
export function mayAllocate(gen: FunctionGen, body: Ast.Expr): boolean {
  return mayDo(gen.module, body, "alloc", gen.quietDraw);
}

/**
 * `for x in pool.` walks slots [0, size) with the binder reading columns by slot. `reentry` names
 * the loop's state in a re-enterable function (resume.ts): slot, end and generation are then
 * frame locals, set up only when running normally, so a re-entered frame goes on at its slot.
 */
export function compileForEach(gen: FunctionGen, expr: Extract<Ast.Expr, { kind: "ForEachExpr" }>, reentry?: PoolLoopState): void {
  const binding = gen.module.program.bindings.get(expr) as LocalBinding;
  const pointer = resolve(binding.type);
  if (pointer.kind !== "Pointer") return;
  const iterable = compile(gen, expr.iterable);
  const pool = spill(gen, iterable, "P");
  const end = reentry?.end ?? newTemp(gen, "end");
  const slot = reentry?.slot ?? newTemp(gen, "s");
  const checked = mayFree(gen, expr.body);
  const columns = poolLayout(gen, pointer.pool).layout.columns.map(() => newTemp(gen, "c"));
  const allocates = mayAllocate(gen, expr.body);
  invalidateBinders(gen, checked, allocates);
  // Column arrays are cached once; a body that may allocate reloads them where it must.
  if (columns.length > 0) emit(gen, `let ${columns.map((column, index) => `${column} = ${pool}.cols[${index}]`).join(", ")};`);
  if (reentry) {
    emit(gen, `if (resume$ === null) { ${slot} = 0; ${end} = ${pool}.size; }`);
    emit(gen, `for (; ${slot} < ${end}; ${slot}++) {`);
  } else {
    emit(gen, `for (let ${slot} = 0, ${end} = ${pool}.size; ${slot} < ${end}; ${slot}++) {`);
  }
  loopBody(gen, () => {
    const generation = checked ? (reentry?.generation ?? newTemp(gen, "g")) : null;
    const declare = reentry ? "" : "const ";
    const head = [
      `if ((${pool}.gens[${slot}] & 1) === 0) continue;`,
      ...(generation ? [`${declare}${generation} = ${pool}.gens[${slot}];`] : []),
      `${declare}${localName(binding)} = ${pool}.gens[${slot}] * 16777216 + ${slot};`,
    ];
    if (reentry) emit(gen, `if (resume$ === null) { ${head.join(" ")} }`);
    else for (const line of head) emit(gen, line);
    // Columns are current when an iteration starts if the previous one ended with them current:
    // a body that may allocate reloads them at its end, unless a `continue` could skip that.
    const reloadAtEnd = allocates && !continuesLoop(expr.body);
    const binder: PoolBinder = { pool, source: iterable, slot, generation, columns, verified: true, fresh: !allocates || reloadAtEnd };
    gen.binders.set(binding, binder);
    compileInto(gen, expr.body, { kind: "discard" });
    if (reloadAtEnd && !binder.fresh) emit(gen, `${columns.map((column, index) => `${column} = ${pool}.cols[${index}]`).join("; ")};`);
    gen.binders.delete(binding);
  });
  emit(gen, "}");
}

/** Whether the body has a `continue` for this loop (not one of a loop nested inside it). */
function continuesLoop(body: Ast.Expr): boolean {
  if (body.kind === "ContinueExpr") return true;
  if (body.kind === "WhileExpr" || body.kind === "ForRangeExpr" || body.kind === "ForEachExpr" || body.kind === "FunExpr") return false;
  return childExpressions(body).some(continuesLoop);
}

/** `alloc pool { ... }`: values first (source order), then a slot, then every column written. */
export function compileAlloc(gen: FunctionGen, poolInfo: PoolInfo, poolArg: Ast.Expr, value: Ast.Expr, span: Ast.Span): string {
  const struct = elementStruct(poolInfo);
  const layout = poolLayout(gen, poolInfo);
  const pool = spill(gen, compile(gen, poolArg), "P");
  const fieldValues = allocValues(gen, struct, value);
  const slot = newTemp(gen, "s");
  emit(gen, `const ${slot} = ${pool}.allocSlot(${site(gen, span)});`);
  invalidateBinders(gen, false, true);
  const column = (path: string) => `${pool}.cols[${columnAt(layout, path)}][${slot}]`;
  struct.fields.forEach((field, index) => {
    const parts = fieldValues[index];
    const fieldType = resolve(field.type);
    if (fieldType.kind === "Vec2") {
      emit(gen, `${column(`${field.name}.x`)} = ${parts[0]};`);
      emit(gen, `${column(`${field.name}.y`)} = ${parts[1]};`);
      return;
    }
    for (const line of writeStatements(field.type, field.name, parts[0], column)) emit(gen, line);
  });
  return spill(gen, `${pool}.handleOf(${slot})`, "h");
}

function allocValues(gen: FunctionGen, struct: StructInfo, value: Ast.Expr): string[][] {
  const valueOf = (type: Type, expr: Ast.Expr) => (resolve(type).kind === "Vec2" ? simpleVec(gen, expr) : [spill(gen, compile(gen, expr))]);
  if (value.kind === "RecordExpr" || value.kind === "ConstructExpr") {
    const byName = new Map(value.fields.map((init) => [init.name, init.value]));
    const given = ordered(gen, value.fields.map((init) => () => valueOf(struct.fields.find((field) => field.name === init.name)!.type, init.value)));
    return struct.fields.map((field) => {
      const index = value.fields.findIndex((init) => init.name === field.name);
      return index >= 0 && byName.has(field.name) ? given[index] : valueOf(field.type, field.defaultValue!);
    });
  }
  const whole = spill(gen, compile(gen, value), "v");
  return struct.fields.map((field) =>
    resolve(field.type).kind === "Vec2" ? splitObject(gen, `${whole}.${fieldKey(field.name)}`) : [`${whole}.${fieldKey(field.name)}`],
  );
}

export function compileFree(gen: FunctionGen, poolInfo: PoolInfo, pointer: Ast.Expr, span: Ast.Span): void {
  const handle = spill(gen, compile(gen, pointer), "h");
  const pool = poolExpression(gen, poolInfo);
  emit(gen, `${pool}.freeSlot(rt.slot(${pool}, ${handle}, ${site(gen, span)}));`);
  invalidateBinders(gen, true, false);
}

export function compileAlive(gen: FunctionGen, poolInfo: PoolInfo, pointer: Ast.Expr): string {
  return `(${poolExpression(gen, poolInfo)}.slotOf(${compile(gen, pointer)}) >= 0)`;
}

export { compileVec };

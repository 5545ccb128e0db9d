// `match` as an if/else chain over the subject: a test per arm, then its bindings and body.

import type { LocalBinding } from "../checker/program.ts";
import { resolve, type Type } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { fieldKey } from "../runtime/names.ts";
import { alternatives, emit, nested, newTemp, spill, type FunctionGen } from "./emitter.ts";
import { compile, compileInto, numberLiteral, type ResultSlot } from "./expressions.ts";
import { variantIndex } from "./variants.ts";
import { compilePoolUnionParts, poolPath } from "./pools.ts";
import { inRange } from "./resume-plan.ts";
import { isFlatUnion, type ScalarUnion } from "./scalar-unions.ts";
import { isVec, localName, localNames, typeOf } from "./values.ts";

type MatchExpr = Extract<Ast.Expr, { kind: "MatchExpr" }>;

export function compileMatch(gen: FunctionGen, expr: MatchExpr, slot: ResultSlot): void {
  if (gen.resume?.within.has(expr)) return compileReentrantMatch(gen, expr, slot);
  const scalar = scalarSubject(gen, expr.subject);
  if (scalar) {
    // A union local kept as scalars: the arms test its tag and read its field variables.
    const type: Type = { kind: "Union", union: scalar.union };
    const test = (pattern: Ast.Pattern) => (pattern.kind === "VariantPattern" ? scalarVariantTest(gen, pattern, scalar, type) : null);
    const bind = (pattern: Ast.Pattern) => {
      if (pattern.kind === "VariantPattern") bindScalarVariant(gen, pattern, scalar, type);
    };
    return compileArms(gen, expr, slot, test, bind);
  }
  const subjectType = typeOf(gen, expr.subject);
  const subject = spill(gen, compile(gen, expr.subject), "m");
  compileArms(gen, expr, slot, (pattern) => patternTest(gen, pattern, subject, subjectType), (pattern) => bindPattern(gen, pattern, subject, subjectType));
}

/**
 * A match with restorable points in its arms (codegen/resume-plan.ts): the subject is evaluated
 * and the arms tested only when running normally; re-entering takes the arm with the saved point,
 * whose bindings are saved locals.
 */
function compileReentrantMatch(gen: FunctionGen, expr: MatchExpr, slot: ResultSlot): void {
  const plan = gen.resume!;
  const subjectType = typeOf(gen, expr.subject);
  const subject = newTemp(gen, "m");
  emit(gen, `let ${subject};`);
  emit(gen, "if (resume$ === null) {");
  alternatives(gen, [() => nested(gen, () => emit(gen, `${subject} = ${compile(gen, expr.subject)};`))], true);
  emit(gen, "}");
  const armOf = new Map(expr.arms.map((arm) => [arm.pattern, arm]));
  const test = (pattern: Ast.Pattern) => {
    const range = plan.within.get(armOf.get(pattern)!);
    const normal = patternTest(gen, pattern, subject, subjectType);
    return normal === null && !range ? null : `(resume$ !== null ? ${range ? inRange("resume$", range) : "false"} : ${normal ?? "true"})`;
  };
  const bind = (pattern: Ast.Pattern) => {
    emit(gen, "if (resume$ === null) {");
    nested(gen, () => bindPattern(gen, pattern, subject, subjectType));
    emit(gen, "}");
  };
  compileArms(gen, expr, slot, test, bind);
}

/**
 * The if/else chain: the arms up to the first one that always matches (later arms can never run),
 * each with its test, then its bindings and body. The checker proved the arms exhaustive, so
 * whatever reaches the last arm matches it: it is not tested.
 */
function compileArms(gen: FunctionGen, expr: MatchExpr, slot: ResultSlot, test: (pattern: Ast.Pattern) => string | null, bind: (pattern: Ast.Pattern) => void): void {
  const reachable: Array<{ arm: Ast.MatchArm; test: string | null }> = [];
  for (const arm of expr.arms) {
    const condition = test(arm.pattern);
    reachable.push({ arm, test: condition });
    if (condition === null) break;
  }
  if (reachable.length > 0) reachable[reachable.length - 1].test = null;
  const paths = reachable.map(({ arm, test: condition }, index) => () => {
    const opener = index === 0 ? "if" : "} else if";
    emit(gen, condition ? `${opener} (${condition}) {` : index === 0 ? "{" : "} else {");
    nested(gen, () => {
      bind(arm.pattern);
      compileInto(gen, arm.body, slot);
    });
  });
  alternatives(gen, paths, false);
  emit(gen, "}");
}

/**
 * A subject the arms can test as a tag and field variables: a union local kept as scalars, or a
 * flat union read from a pool field (its columns are read once here; no union value is built).
 */
function scalarSubject(gen: FunctionGen, subject: Ast.Expr): ScalarUnion | undefined {
  if (subject.kind === "FieldExpr") return poolFieldSubject(gen, subject);
  if (subject.kind !== "NameExpr") return undefined;
  const resolution = gen.module.program.resolutions.get(subject);
  return resolution?.kind === "Local" ? gen.scalarUnions.get(resolution.binding) : undefined;
}

function poolFieldSubject(gen: FunctionGen, subject: Extract<Ast.Expr, { kind: "FieldExpr" }>): ScalarUnion | undefined {
  const path = poolPath(gen, subject);
  const type = path ? resolve(path.type) : null;
  if (!path || type?.kind !== "Union" || !isFlatUnion(type.union)) return undefined;
  const parts = compilePoolUnionParts(gen, path, subject, type.union);
  const fields = new Map(parts.fields.map((field) => [`${field.variant}.${field.name}`, field.code]));
  return { union: type.union, tag: parts.tag, field: (variant, name) => fields.get(`${variant}.${name}`)!, names: [] };
}

type VariantPattern = Extract<Ast.Pattern, { kind: "VariantPattern" }>;

function scalarVariantTest(gen: FunctionGen, pattern: VariantPattern, scalar: ScalarUnion, type: Type): string {
  const index = variantIndex(pattern, type);
  const variant = scalar.union.variants[index];
  const fieldTests = (pattern.fields ?? []).map((field) => {
    const info = variant.fields.find((candidate) => candidate.name === field.name)!;
    return field.pattern ? patternTest(gen, field.pattern, scalar.field(index, field.name), info.type) : null;
  });
  return combine([`${scalar.tag} === ${index}`, ...fieldTests])!;
}

function bindScalarVariant(gen: FunctionGen, pattern: VariantPattern, scalar: ScalarUnion, type: Type): void {
  const index = variantIndex(pattern, type);
  const variant = scalar.union.variants[index];
  for (const field of pattern.fields ?? []) {
    const value = scalar.field(index, field.name);
    const info = variant.fields.find((candidate) => candidate.name === field.name)!;
    if (field.pattern) bindPattern(gen, field.pattern, value, info.type);
    else bindLocal(gen, gen.module.program.bindings.get(field) as LocalBinding, value);
  }
}

/** A JavaScript condition for the pattern, or null when it always matches. */
function patternTest(gen: FunctionGen, pattern: Ast.Pattern, value: string, type: Type): string | null {
  switch (pattern.kind) {
    case "WildcardPattern":
    case "BindPattern":
    case "UnitPattern":
      return null;
    case "LiteralPattern":
      return `${value} === ${literalCode(pattern.value)}`;
    case "TuplePattern":
      return combine(pattern.items.map((item, index) => patternTest(gen, item, `${value}[${index}]`, tupleItem(type, index))));
    case "VariantPattern": {
      const index = variantIndex(pattern, type);
      const variant = resolve(type).kind === "Union" ? (resolve(type) as Type & { kind: "Union" }).union.variants[index] : null;
      const fieldTests = (pattern.fields ?? []).map((field) => {
        const fieldType = variant?.fields.find((candidate) => candidate.name === field.name)?.type ?? type;
        return field.pattern ? patternTest(gen, field.pattern, `${value}.${fieldKey(field.name)}`, fieldType) : null;
      });
      return combine([`${value}.tag === ${index}`, ...fieldTests]);
    }
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

function combine(tests: Array<string | null>): string | null {
  const present = tests.filter((test): test is string => test !== null);
  return present.length === 0 ? null : present.join(" && ");
}

function literalCode(literal: Ast.LiteralExpr): string {
  switch (literal.kind) {
    case "IntLiteral":
    case "FloatLiteral":
      return numberLiteral(literal.value);
    case "StringLiteral":
      return JSON.stringify(literal.value);
    case "SymbolLiteral":
      return JSON.stringify(literal.name);
    case "BoolLiteral":
      return String(literal.value);
    default: {
      const never: never = literal;
      return never;
    }
  }
}

function tupleItem(type: Type, index: number): Type {
  const resolved = resolve(type);
  return resolved.kind === "Tuple" ? resolved.items[index] : resolved;
}

function bindPattern(gen: FunctionGen, pattern: Ast.Pattern, value: string, type: Type): void {
  switch (pattern.kind) {
    case "BindPattern":
      bindLocal(gen, gen.module.program.bindings.get(pattern) as LocalBinding, value);
      return;
    case "TuplePattern":
      pattern.items.forEach((item, index) => bindPattern(gen, item, `${value}[${index}]`, tupleItem(type, index)));
      return;
    case "VariantPattern": {
      const resolved = resolve(type);
      const variant = resolved.kind === "Union" ? resolved.union.variants[variantIndex(pattern, type)] : null;
      for (const field of pattern.fields ?? []) {
        const access = `${value}.${fieldKey(field.name)}`;
        const fieldType = variant?.fields.find((candidate) => candidate.name === field.name)?.type ?? type;
        if (field.pattern) bindPattern(gen, field.pattern, access, fieldType);
        else bindLocal(gen, gen.module.program.bindings.get(field) as LocalBinding, access);
      }
      return;
    }
    default:
      return;
  }
}

function bindLocal(gen: FunctionGen, binding: LocalBinding, value: string): void {
  // A re-enterable function declares these at its top (resume-plan.ts): here they are assigned.
  const declare = gen.resume?.hoisted.includes(binding) ? "" : "const ";
  if (isVec(binding.type)) {
    const [x, y] = localNames(binding);
    emit(gen, `${declare}${x} = ${value}.x, ${y} = ${value}.y;`);
    return;
  }
  emit(gen, `${declare}${localName(binding)} = ${value};`);
}

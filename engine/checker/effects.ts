// Effect rows: while checking, each function body is summarised as a term (operations performed,
// functions called, effects handled by `with`); rows are then solved by a fixpoint over all
// functions, so recursion and calls across modules need no annotations.

import { HOST_EFFECT_NAMES } from "./builtins.ts";
import { report, type Checker } from "./context.ts";
import type { FunExpr } from "./program.ts";
import { resolve, shortEffectName, typeToString, type EffectRow, type Type } from "./types.ts";

export type EffectTerm =
  | { kind: "Perform"; effect: string }
  | { kind: "CallFunction"; target: FunExpr }
  /** A call through a function value: its row is whatever that type's row is when solved. */
  | { kind: "CallValue"; type: Type }
  | { kind: "Handle"; effect: string; inner: EffectTerm[] };

export function evaluateTerms(terms: readonly EffectTerm[], rows: Map<FunExpr, Set<string>>, into: Set<string>): void {
  for (const term of terms) evaluateTerm(term, rows, into);
}

function evaluateTerm(term: EffectTerm, rows: Map<FunExpr, Set<string>>, into: Set<string>): void {
  switch (term.kind) {
    case "Perform":
      into.add(term.effect);
      return;
    case "CallFunction":
      for (const effect of rows.get(term.target) ?? []) into.add(effect);
      return;
    case "CallValue": {
      const type = resolve(term.type);
      if (type.kind === "Function") for (const effect of type.effects) into.add(effect);
      return;
    }
    case "Handle": {
      const inner = new Set<string>();
      evaluateTerms(term.inner, rows, inner);
      inner.delete(term.effect);
      for (const effect of inner) into.add(effect);
      return;
    }
    default: {
      const never: never = term;
      return never;
    }
  }
}

/** Grows every function's row until nothing changes; rows only grow, so this terminates. */
export function solveRows(checker: Checker): void {
  const rows = checker.program.rows;
  const widenable = lambdaRows(checker);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [fun, terms] of checker.terms) {
      const row = rows.get(fun)!;
      const before = row.size;
      evaluateTerms(terms, rows, row);
      if (row.size !== before) changed = true;
    }
    if (propagateCoercions(checker, widenable)) changed = true;
  }
}

/**
 * A function passed where a resumable function type is expected must itself be resumable,
 * so code generation can `yield*` into it. Where the expected type is a lambda's own inferred
 * type (`g : mut = fun ...` later given another function, one branch of an `if`), that row
 * grows to cover the function flowing in, so calls through it handle what it may perform.
 */
function propagateCoercions(checker: Checker, widenable: ReadonlySet<EffectRow>): boolean {
  let changed = false;
  const add = (row: EffectRow, effect: string) => {
    if (row.has(effect)) return;
    (row as Set<string>).add(effect);
    changed = true;
  };
  for (const coercion of checker.coercions) {
    const actual = resolve(coercion.actual);
    const expected = resolve(coercion.expected);
    if (actual.kind !== "Function" || expected.kind !== "Function") continue;
    if (expected.effects.has("Wait")) add(actual.effects, "Wait");
    if (widenable.has(expected.effects)) for (const effect of actual.effects) add(expected.effects, effect);
  }
  return changed;
}

/**
 * Rows that may grow to fit what flows into them: those of lambdas. Top-level functions keep
 * their own row (widening one would burden every direct call of it); written types keep theirs.
 */
function lambdaRows(checker: Checker): Set<EffectRow> {
  const rows = new Set<EffectRow>(checker.program.rows.values());
  for (const module of checker.program.modules) {
    for (const fn of module.functions.values()) rows.delete(checker.program.rows.get(fn.node)!);
  }
  return rows;
}

/** After solving: function values must not perform more than their declared types allow. */
export function checkCoercions(checker: Checker): void {
  for (const coercion of checker.coercions) {
    const actual = resolve(coercion.actual);
    const expected = resolve(coercion.expected);
    if (actual.kind !== "Function" || expected.kind !== "Function") continue;
    const extra = [...actual.effects].filter((effect) => !expected.effects.has(effect));
    if (extra.length === 0) continue;
    report(
      { checker, module: coercion.module },
      coercion.span,
      "E0301",
      `this function performs ${extra.map(shortEffectName).join(", ")}, but the expected type \`${typeToString(expected)}\` does not allow it`,
      [{ message: `add the effect to the type: \`| { ${extra.map(shortEffectName).join(", ")} }\`` }],
    );
  }
}

/** At entry points (init, update, fibers, constants) only host effects may remain. */
export function checkEntryPoints(checker: Checker): void {
  for (const entry of checker.entries) {
    const row = new Set<string>();
    evaluateTerms(entry.terms, checker.program.rows, row);
    for (const effect of row) {
      if (effect === "Wait" && !entry.mayWait) {
        const note = entry.waitOnly ? "a clause cannot suspend the code that performed the operation; wait before or after the `with`" : "only fibers wait: start one with `spawn (fun (). ...)`";
        report({ checker, module: entry.module }, entry.span, "E0302", `${entry.description} cannot wait`, [{ message: note }]);
      } else if (!entry.waitOnly && !HOST_EFFECT_NAMES.has(effect)) {
        report(
          { checker, module: entry.module },
          entry.span,
          "E0300",
          `effect ${shortEffectName(effect)} is not handled in ${entry.description}`,
          [{ message: `wrap the code that performs it in \`with handler ${shortEffectName(effect)}. ... do ...\`` }],
        );
      }
    }
  }
}

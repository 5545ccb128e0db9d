// Robustness of the parser: truncated and mutated programs never make it throw, and every span stays valid.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locate } from "../../engine/diagnostics/source.ts";
import { SyntaxCode } from "../../engine/syntax/tokens.ts";
import { exampleFiles, parseText } from "./helpers.ts";
import { nextFloat, seedRandom } from "../../engine/runtime/random.ts";

const SOURCES = exampleFiles().map((file) => readFileSync(file, "utf8"));

/** Deterministic numbers from the engine's own seeded generator, so every run is the same. */
function seededRandom(seed: number): () => number {
  const state = seedRandom(seed);
  return () => nextFloat(state);
}

function isValidSpan(value: unknown, length: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { start, end } = value as { start: unknown; end: unknown };
  return Number.isInteger(start) && Number.isInteger(end) && 0 <= (start as number) && start! <= end! && (end as number) <= length;
}

/** Every object in the tree that has a `span` (or a `*Span`) must point inside the text. */
function collectBadSpans(node: unknown, length: number, bad: string[], where = "ast"): void {
  if (Array.isArray(node)) {
    node.forEach((child, index) => collectBadSpans(child, length, bad, `${where}[${index}]`));
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || key.endsWith("Span")) {
      if (!isValidSpan(value, length)) bad.push(`${where}.${key}`);
    } else collectBadSpans(value, length, bad, `${where}.${key}`);
  }
}

/** Parses `text` and fails with the offending text when anything is wrong. */
function checkRobust(text: string): void {
  let parsed;
  try {
    parsed = parseText(text);
  } catch (caught) {
    throw new Error(`parseModule threw on ${JSON.stringify(text)}: ${String(caught)}`);
  }
  const { diagnostics, ast, file } = parsed;
  const internal = diagnostics.find((d) => d.code === SyntaxCode.internalError);
  if (internal) throw new Error(`${internal.message} on ${JSON.stringify(text)}`);
  const bad: string[] = [];
  diagnostics.forEach((d, index) => isValidSpan(d.span, text.length) || bad.push(`diagnostics[${index}]`));
  collectBadSpans(ast, text.length, bad);
  if (bad.length > 0) throw new Error(`invalid spans ${bad.slice(0, 5).join(", ")} on ${JSON.stringify(text)}`);
  const lines = diagnostics.map((d) => locate(file, d.span.start).line);
  if (new Set(lines).size !== lines.length) throw new Error(`two diagnostics on one line for ${JSON.stringify(text)}`);
}

function deleteRandomChars(text: string, random: () => number): string {
  let result = text;
  const count = 1 + Math.floor(random() * 4);
  for (let index = 0; index < count && result.length > 0; index++) {
    const at = Math.floor(random() * result.length);
    const length = 1 + Math.floor(random() * 3);
    result = result.slice(0, at) + result.slice(at + length);
  }
  return result;
}

const NOISE = ["(", ")", "{", "}", ".", ",", ";", "\t", "\n", " ", "    ", '"', "'", "=>", ":=", "-", "do", "else", "\\", "..", "=", "|"];

function insertRandomNoise(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const noise = NOISE[Math.floor(random() * NOISE.length)];
  return text.slice(0, at) + noise + text.slice(at);
}

function shuffleLines(text: string, random: () => number): string {
  const lines = text.split("\n");
  const a = Math.floor(random() * lines.length);
  const b = Math.floor(random() * lines.length);
  [lines[a], lines[b]] = [lines[b], lines[a]];
  return lines.join("\n");
}

describe("robustness", () => {
  it("survives every prefix of every example", () => {
    for (const source of SOURCES) {
      for (let length = 0; length <= source.length; length++) checkRobust(source.slice(0, length));
    }
  });

  it("survives random deletions, insertions and swapped lines", () => {
    const random = seededRandom(20261115);
    const mutations = [deleteRandomChars, insertRandomNoise, shuffleLines];
    for (const source of SOURCES) {
      for (let round = 0; round < 400; round++) {
        const mutate = mutations[round % mutations.length];
        checkRobust(mutate(source, random));
      }
    }
  });

  it("survives repeated mutations of the same program", () => {
    const random = seededRandom(7);
    for (const source of SOURCES) {
      let text = source;
      for (let round = 0; round < 60; round++) {
        text = round % 2 === 0 ? deleteRandomChars(text, random) : insertRandomNoise(text, random);
        checkRobust(text);
      }
    }
  });

  it("survives arbitrary strings over Ribbon's alphabet", () => {
    const pieces = [...NOISE, "x", "f", "Mode/Chase", "1", "-1", "2.5", "fun", "if", "then", "match", "with", "handler", "for", "in", "struct", "union", "effect", "pool", "*", "'b", "not", "cancel", "return", "old", "!", "->", ":", "_"];
    const program = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(" "));
    fc.assert(fc.property(program, (text) => checkRobust(text)), { seed: 42, numRuns: 2000 });
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => checkRobust(text)), { seed: 43, numRuns: 1000 });
  });

  it("survives deep nesting", () => {
    checkRobust("x := " + "(".repeat(5000) + "1" + ")".repeat(5000));
    checkRobust("x := " + "not ".repeat(5000) + "true");
    checkRobust("x := " + "- ".repeat(5000) + "1");
    checkRobust("x : " + "(".repeat(5000) + "i32" + ")".repeat(5000) + " = 1");
    checkRobust("x : " + "old ".repeat(5000) + "T = 1");
    checkRobust("x : " + "i32 -> ".repeat(5000) + "i32 = f");
    checkRobust("f := fun (m: M).\n    match m.\n        " + "(".repeat(5000) + "a" + ")".repeat(5000) + " => 1\n");
    checkRobust("x := if a then 1 " + "else if a then 1 ".repeat(5000) + "else 2");
    checkRobust("f := fun ().\n" + Array.from({ length: 3000 }, (_, depth) => " ".repeat(depth + 1) + "if c.").join("\n"));
  });

  it("reports deep nesting once instead of overflowing", () => {
    const { diagnostics } = parseText("x := " + "(".repeat(5000) + "1" + ")".repeat(5000));
    expect(diagnostics.map((d) => d.code)).toEqual([SyntaxCode.nestedTooDeeply]);
  });
});

// Robustness of the whole compiler: no mutated program makes compileProgram throw, every
// diagnostic is well-formed data, and whatever the compiler accepts is valid JavaScript.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic, Span } from "../../engine/diagnostics/diagnostic.ts";
import type { SourceFile } from "../../engine/diagnostics/source.ts";
import { SyntaxCode } from "../../engine/syntax/tokens.ts";
import { compileSources, repositoryRoot, runSource, runSources } from "../helpers/ribbon.ts";
import { captureImage, loadImage, whyNotRestorable } from "../../engine/replay/image.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { exampleFiles } from "../syntax/helpers.ts";

// ---------------------------------------------------------------- programs to mutate

interface Program {
  label: string;
  /** Module name → source; the first module is the root. */
  sources: Record<string, string>;
  /** The module whose text the mutations change. */
  target: string;
}

const PROGRAMS_DIRECTORY = join(repositoryRoot, "test/compiler/programs");

function readProgram(name: string): string {
  return readFileSync(join(PROGRAMS_DIRECTORY, `${name}.rib`), "utf8");
}

/** The shared examples (reload versions included) and the richer programs beside this file. */
function programs(): Program[] {
  const examples = exampleFiles().map((file) => ({ label: basename(file), sources: { main: readFileSync(file, "utf8") }, target: "main" }));
  const single = ["effects", "pools", "structs", "control", "fibers"].map((name) => ({ label: `${name}.rib`, sources: { main: readProgram(name) }, target: "main" }));
  const game = { game: readProgram("game"), physics: readProgram("physics") };
  return [...examples, ...single, { label: "game.rib", sources: game, target: "game" }, { label: "physics.rib", sources: game, target: "physics" }];
}

const PROGRAMS = programs();

// ---------------------------------------------------------------- mutations

/** Pieces of Ribbon that mutations insert: punctuation, operators, keywords, literals, layout. */
const VOCABULARY = [
  ".", ":=", "=>", "(", ")", "{", "}", "[", "]", ",", ";", "=", ":", "->", "|", "*", "!", "_", "/", "-", "+", "..", "==", "<", "\\",
  "fun", "if", "then", "else", "match", "with", "handler", "do", "cancel", "return", "break", "continue", "while", "for", "in",
  "not", "and", "or", "true", "false", "struct", "union", "effect", "pool", "import", "mut", "old",
  "alloc", "free", "alive", "spawn", "wait", "next-frame", "print", "vec2", "count", "length",
  "'sym", "'bodies", "0", "1", "-1", "2.5", "0xff", "1_000", "1e999", "2147483648", "9007199254740993", "0.0",
  '"text"', '""', ";; comment", "\t", "\n", "\n" + " ".repeat(24), " ".repeat(40), "()", "(a, b)", "{ }",
  "i32", "f64", "Str", "Vec2", "Symbol", "bool", "Body", "Mode/Chase", "hot/auto", "engine/rand", "x.y.z", "*'bodies Body", "old Body",
];

/** Names that are special to JavaScript or to the generated code. */
const HOSTILE_NAMES = [
  "constructor", "__proto__", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__",
  "rt", "instance", "modules", "S", "B", "M", "TABLE", "POOLS", "SITES", "initState", "r0", "V0", "l_x_0",
  "arguments", "eval", "this", "undefined", "NaN", "Infinity", "let", "yield", "await", "function", "class", "new", "delete", "null",
  "init", "update", "print", "vec2", "alloc", "Log", "Wait", "i32", "f64", "Vec2", "Symbol", "hot", "engine", "x-1", "a/b", "_",
];

type Mutation =
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "commentLine"; line: number }
  | { kind: "swapLines"; a: number; b: number }
  | { kind: "swapTokens"; a: number; b: number }
  | { kind: "insertTokens"; before: number; pieces: string[] }
  | { kind: "splice"; at: number; piece: string }
  | { kind: "replaceToken"; at: number; piece: string }
  | { kind: "copyToken"; from: number; to: number }
  | { kind: "replaceLiteral"; at: number; piece: string }
  | { kind: "indent"; line: number; prefix: string }
  | { kind: "rename"; identifier: number; name: string; everywhere: boolean };

interface TextToken {
  start: number;
  end: number;
  text: string;
}

/** A rough tokenizer, good enough to pick mutation points: comments, strings, punctuation, sequences. */
function textTokens(text: string): TextToken[] {
  const pattern = /;;[^\n]*|"(?:[^"\\\n]|\\.)*"?|[()[\]{},;\\]|\.|[^\s()[\]{},;\\".]+/g;
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index!, end: match.index! + match[0].length, text: match[0] }));
}

function isIdentifierToken(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_\-/?!]*$/.test(text);
}

/** Literals that keep a program's types when they replace one of the same kind. */
const LITERALS = [
  "0", "-1", "2147483647", "-2147483648", "4294967296", "0x7fffffff", "1_0",
  "0.0", "-0.0", "1e308", "1e-320", "3.5", "-2.5e3",
  '""', '"\\\\"', '"\\n\\t\\""', '"*/ ${x} `"', '"\u2028\u2029"', '"</script>"',
  "'a", "'with-dash", "'q?", "'constructor", "'__proto__",
];

function literalKind(text: string): string | null {
  if (/^-?(0x[0-9a-f]+|[0-9][0-9_]*)$/i.test(text)) return "int";
  if (/^-?[0-9][0-9_]*(\.[0-9]+)?(e[+-]?[0-9]+)?$/i.test(text)) return "float";
  if (text.startsWith('"')) return "string";
  if (text.startsWith("'")) return "symbol";
  return null;
}

function replaceRange(text: string, start: number, end: number, piece: string): string {
  return text.slice(0, start) + piece + text.slice(end);
}

function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length];
}

function applyMutation(text: string, mutation: Mutation): string {
  const lines = text.split("\n");
  const tokens = textTokens(text);
  switch (mutation.kind) {
    case "delete": {
      const at = mutation.at % (text.length + 1);
      return replaceRange(text, at, at + mutation.length, "");
    }
    case "duplicateLine": {
      const index = mutation.line % lines.length;
      lines.splice(index, 0, lines[index]);
      return lines.join("\n");
    }
    case "commentLine": {
      const index = mutation.line % lines.length;
      lines[index] = lines[index].replace(/^(\s*)/, "$1;; ");
      return lines.join("\n");
    }
    case "swapLines": {
      const a = mutation.a % lines.length;
      const b = mutation.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join("\n");
    }
    case "swapTokens": {
      if (tokens.length < 2) return text;
      const [first, second] = [pick(tokens, mutation.a), pick(tokens, mutation.b)].sort((x, y) => x.start - y.start);
      if (first === second) return text;
      return text.slice(0, first.start) + second.text + text.slice(first.end, second.start) + first.text + text.slice(second.end);
    }
    case "insertTokens": {
      const at = tokens.length === 0 ? 0 : pick(tokens, mutation.before).start;
      return replaceRange(text, at, at, `${mutation.pieces.join(" ")} `);
    }
    case "splice": {
      const at = mutation.at % (text.length + 1);
      return replaceRange(text, at, at, mutation.piece);
    }
    case "replaceToken": {
      if (tokens.length === 0) return mutation.piece;
      const token = pick(tokens, mutation.at);
      return replaceRange(text, token.start, token.end, mutation.piece);
    }
    case "copyToken": {
      if (tokens.length === 0) return text;
      const target = pick(tokens, mutation.to);
      return replaceRange(text, target.start, target.end, pick(tokens, mutation.from).text);
    }
    case "replaceLiteral": {
      const literals = tokens.filter((token) => literalKind(token.text) === literalKind(mutation.piece));
      if (literals.length === 0) return text;
      const token = pick(literals, mutation.at);
      return replaceRange(text, token.start, token.end, mutation.piece);
    }
    case "indent": {
      const index = mutation.line % lines.length;
      lines[index] = mutation.prefix + lines[index];
      return lines.join("\n");
    }
    case "rename":
      return rename(text, tokens, mutation);
  }
}

/** Replaces one identifier (every whole-token occurrence, or just one) with a hostile name. */
function rename(text: string, tokens: TextToken[], mutation: Extract<Mutation, { kind: "rename" }>): string {
  const identifiers = tokens.filter((token) => isIdentifierToken(token.text));
  if (identifiers.length === 0) return text;
  const chosen = pick(identifiers, mutation.identifier);
  const targets = mutation.everywhere ? identifiers.filter((token) => token.text === chosen.text) : [chosen];
  let result = text;
  for (const token of [...targets].reverse()) result = replaceRange(result, token.start, token.end, mutation.name);
  return result;
}

const position = fc.nat({ max: 100_000 });

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicateLine" as const), line: position }),
  fc.record({ kind: fc.constant("commentLine" as const), line: position }),
  fc.record({ kind: fc.constant("swapLines" as const), a: position, b: position }),
  fc.record({ kind: fc.constant("swapTokens" as const), a: position, b: position }),
  fc.record({ kind: fc.constant("insertTokens" as const), before: position, pieces: fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("splice" as const), at: position, piece: fc.constantFrom(...VOCABULARY) }),
  fc.record({ kind: fc.constant("replaceToken" as const), at: position, piece: fc.constantFrom(...VOCABULARY, ...HOSTILE_NAMES) }),
  fc.record({ kind: fc.constant("copyToken" as const), from: position, to: position }),
  fc.record({ kind: fc.constant("replaceLiteral" as const), at: position, piece: fc.constantFrom(...LITERALS) }),
  fc.record({ kind: fc.constant("indent" as const), line: position, prefix: fc.constantFrom("    ", "  ", "\t", " ".repeat(64), "        \t") }),
  fc.record({ kind: fc.constant("rename" as const), identifier: position, name: fc.constantFrom(...HOSTILE_NAMES), everywhere: fc.boolean() }),
);

/** Mostly one mutation, so many mutants still type-check and reach code generation; sometimes several. */
const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.oneof(
  { arbitrary: fc.tuple(mutationArbitrary), weight: 3 },
  { arbitrary: fc.array(mutationArbitrary, { minLength: 2, maxLength: 5 }), weight: 2 },
);

function mutatedSources(program: Program, mutations: Mutation[]): Record<string, string> {
  const text = mutations.reduce(applyMutation, program.sources[program.target]);
  return { ...program.sources, [program.target]: text };
}

// ---------------------------------------------------------------- the property

function isValidSpan(span: Span | undefined, file: SourceFile): boolean {
  if (span === undefined) return false;
  const { start, end } = span;
  return Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= file.text.length;
}

/** JavaScript leaking into a message: a prototype member taken for a Ribbon declaration, or a missing value. */
const LEAKS = ["[native code]", "[object Object]", "undefined", "null", "NaN"];

/** What is wrong with one diagnostic, or null; `text` is every source, to tell leaks from quoted names. */
function diagnosticProblem(diagnostic: Diagnostic, text: string): string | null {
  if (typeof diagnostic.file?.path !== "string" || typeof diagnostic.file.text !== "string") return "no file";
  if (!/^[EW]\d{4}$/.test(diagnostic.code ?? "")) return `bad code ${diagnostic.code}`;
  if (diagnostic.code === SyntaxCode.internalError) return `parser internal error: ${diagnostic.message}`;
  if (typeof diagnostic.message !== "string" || diagnostic.message.trim() === "") return "empty message";
  const leak = LEAKS.find((word) => diagnostic.message.includes(word) && !text.includes(word));
  if (leak) return `"${leak}" in the message`;
  if (!isValidSpan(diagnostic.span, diagnostic.file)) return `span ${JSON.stringify(diagnostic.span)} outside ${diagnostic.file.path} (${diagnostic.file.text.length} chars)`;
  for (const note of diagnostic.notes) {
    if (note.span !== undefined && !isValidSpan(note.span, note.file ?? diagnostic.file)) return `note span ${JSON.stringify(note.span)} out of bounds`;
  }
  return null;
}

/** Compiles and throws a descriptive error when the compiler misbehaves on these sources. */
function checkCompiler(sources: Record<string, string>): void {
  const shown = () => JSON.stringify(sources);
  let result;
  try {
    result = compileSources(sources);
  } catch (caught) {
    throw new Error(`compileSources threw ${caught instanceof Error ? caught.stack : String(caught)}\non ${shown()}`);
  }
  const text = Object.values(sources).join("\n");
  for (const diagnostic of result.diagnostics) {
    const problem = diagnosticProblem(diagnostic, text);
    if (problem) throw new Error(`${problem} in diagnostic ${diagnostic.code} "${diagnostic.message}" on ${shown()}`);
  }
  if (!result.ok) return;
  for (const module of result.modules) {
    try {
      new Function("rt", "instance", "modules", module.code);
    } catch (caught) {
      throw new Error(`module ${module.name} compiled to invalid JavaScript (${String(caught)}):\n${module.code}\non ${shown()}`);
    }
  }
}

/**
 * Runs the program `at` ticks, images the world and restores it into a fresh world of the same
 * code; both then run 40 more ticks and must print the same and hash the same after every tick.
 * Returns whether there were suspended fibers and they could be saved.
 */
function checkRestoredFuture(sources: Record<string, string>, at: number): boolean {
  const compile = compileSources(sources);
  if (!compile.ok) return false;
  const originalHost = createMemoryHost();
  // A small loop budget: a mutation can turn a loop into one that allocates forever.
  const original = createWorld(compile.modules, originalHost, { seed: 5, loopBudget: 100_000 });
  startWorld(original);
  for (let tick = 0; tick < at; tick++) stepWorld(original);
  const image = JSON.parse(JSON.stringify(captureImage(original)));
  if (original.fibers.length === 0 || whyNotRestorable(image) !== null) return false;
  const copyHost = createMemoryHost();
  const copy = createWorld(compile.modules, copyHost, { seed: 6, loopBudget: 100_000 });
  startWorld(copy);
  const failure = loadImage(copy, image);
  if (failure) throw new Error(`${failure}\non ${JSON.stringify(sources)}`);
  // The copy's own start printed too: compare only what both print from here on.
  const printed = [originalHost.lines.length, copyHost.lines.length, originalHost.errors.length, copyHost.errors.length];
  for (let tick = 0; tick < 40; tick++) {
    stepWorld(original);
    stepWorld(copy);
    if (hashWorld(copy) !== hashWorld(original)) throw new Error(`restored world differs ${tick + 1} ticks after tick ${at} on ${JSON.stringify(sources)}`);
  }
  expect(copyHost.lines.slice(printed[1]), JSON.stringify(sources)).toEqual(originalHost.lines.slice(printed[0]));
  const messages = (errors: Error[], from: number) => errors.slice(from).map((error) => error.message);
  expect(messages(copyHost.errors, printed[3]), JSON.stringify(sources)).toEqual(messages(originalHost.errors, printed[2]));
  return true;
}

/**
 * Runs a program compiled with small calls in place and compiled without, and the first also with
 * drawing off (drawing code then runs its quiet twins), tick by tick: the same lines, the same
 * runtime errors, the same world after every tick. Returns whether any call was compiled in place
 * (the two codes differ). A stack overflow is left out: it comes at a depth set by JavaScript
 * frames, which calls compiled in place do not make.
 */
function checkInliningChangesNothing(sources: Record<string, string>): boolean {
  const inlined = compileSources(sources);
  if (!inlined.ok) return false;
  const plain = compileSources(sources, { inline: false });
  const variants = [{ compiled: inlined, drawing: true }, { compiled: plain, drawing: true }, { compiled: inlined, drawing: false }];
  const runs = variants.map(({ compiled, drawing }) => {
    const host = createMemoryHost();
    const world = createWorld(compiled.modules, host, { seed: 5, loopBudget: 100_000, drawing });
    startWorld(world);
    return { host, world };
  });
  for (let tick = 0; tick < 12; tick++) {
    for (const run of runs) stepWorld(run.world);
    if (runs.some((run) => run.host.errors.some((error) => error.kind === "stack-overflow"))) return false;
    for (const run of runs.slice(1)) {
      if (hashWorld(runs[0].world) !== hashWorld(run.world)) throw new Error(`worlds differ after tick ${tick + 1} on ${JSON.stringify(sources)}`);
    }
  }
  for (const run of runs.slice(1)) {
    expect(run.host.lines, JSON.stringify(sources)).toEqual(runs[0].host.lines);
    expect(run.host.errors.map((error) => error.message), JSON.stringify(sources)).toEqual(runs[0].host.errors.map((error) => error.message));
  }
  return inlined.modules.some((module, index) => module.code !== plain.modules[index].code);
}

/** Every prefix of a program, cut at each character. */
function checkEveryPrefix(program: Program): void {
  const text = program.sources[program.target];
  for (let length = 0; length <= text.length; length++) checkCompiler({ ...program.sources, [program.target]: text.slice(0, length) });
}

/** Override with RIBBON_FUZZ_RUNS / RIBBON_FUZZ_SEED to search longer or elsewhere by hand. */
const RUNS = Number(process.env.RIBBON_FUZZ_RUNS ?? 4000);
const SEED = Number(process.env.RIBBON_FUZZ_SEED ?? 20261116);

describe("compiler robustness", () => {
  it("compiles every program to mutate cleanly", () => {
    for (const program of PROGRAMS) {
      if (program.label === "unhandled.rib") continue; // an example of an error
      const result = compileSources(program.sources);
      expect(result.diagnostics.map((d) => `${program.label}: ${d.message}`)).toEqual([]);
    }
  });

  it("never throws on mutated programs, and accepted code is valid JavaScript", () => {
    const property = fc.property(
      fc.nat({ max: PROGRAMS.length - 1 }),
      mutationsArbitrary,
      (index, mutations) => checkCompiler(mutatedSources(PROGRAMS[index], mutations)),
    );
    fc.assert(property, { seed: SEED, numRuns: RUNS });
  });

  it("accepted mutated programs run without internal errors: only Ribbon's own runtime errors", () => {
    const property = fc.property(fc.nat({ max: PROGRAMS.length - 1 }), mutationsArbitrary, (index, mutations) => {
      const sources = mutatedSources(PROGRAMS[index], mutations);
      const outcome = runSources(sources, 5);
      if (!outcome.compile.ok) return;
      const internal = outcome.errors.filter((error) => error.includes("internal error"));
      if (internal.length > 0) throw new Error(`${internal.join("\n")}\non ${JSON.stringify(sources)}`);
    });
    fc.assert(property, { seed: SEED + 1, numRuns: Math.ceil(RUNS / 4) });
  });

  it("mutated fiber programs saved mid-run and restored go on exactly as the original", () => {
    const fiberPrograms = PROGRAMS.filter((program) => /\b(wait|next-frame)\b/.test(program.sources[program.target]));
    let restored = 0;
    // Most mutations break a program; a share of unmutated runs saves at many different ticks.
    const mutations = fc.oneof({ arbitrary: fc.constant([] as Mutation[]), weight: 1 }, { arbitrary: mutationsArbitrary, weight: 3 });
    const runs = Math.ceil(RUNS / 10);
    const property = fc.property(fc.nat({ max: fiberPrograms.length - 1 }), mutations, fc.integer({ min: 1, max: 60 }), (index, applied, at) => {
      if (checkRestoredFuture(mutatedSources(fiberPrograms[index], applied), at)) restored++;
    });
    fc.assert(property, { seed: SEED + 2, numRuns: runs });
    // Not vacuous: a good share of the runs had suspended fibers that were saved and restored.
    expect(restored).toBeGreaterThan(runs / 10);
  });

  it("mutated programs behave the same with small calls compiled in place and without, and with drawing off", () => {
    let inlined = 0;
    const runs = Math.ceil(RUNS / 8);
    const property = fc.property(fc.nat({ max: PROGRAMS.length - 1 }), mutationsArbitrary, (index, mutations) => {
      if (checkInliningChangesNothing(mutatedSources(PROGRAMS[index], mutations))) inlined++;
    });
    fc.assert(property, { seed: SEED + 3, numRuns: runs });
    // Not vacuous: most mutations break the program, but a share still compiled calls in place.
    expect(inlined).toBeGreaterThan(runs / 20);
  });

  it("never throws on any prefix of the richest program", () => {
    checkEveryPrefix(PROGRAMS.find((program) => program.label === "pools.rib")!);
  });
});

/** Minimal inputs of crashes found by the property above or while reading the code it exercises. */
const REGRESSIONS: Array<{ name: string; source: string; codes: string[] }> = [
  {
    name: "a match arm after one that always matches (generated `} else {` after `{`)",
    source: "init := fun ().\n    match (1, 2).\n        (q, a) => print q\n        (q, r) => print r\n",
    codes: [],
  },
  { name: "import of an Object.prototype member", source: "import constructor\nimport toString/x\n", codes: ["E0170", "E0170"] },
  { name: "a type named after an Object.prototype member", source: "x : constructor = 1\nf := fun (a: toString) -> __proto__. a\n", codes: ["E0204", "E0204", "E0204"] },
  { name: "a scalar type built like a struct", source: "x := fun (). Symbol { t = 1 }\ny := fun (). Vec2 { x = 1.0 }\n", codes: ["E0107", "E0107"] },
  { name: "a call of a lambda bound under a non-function annotation", source: "init := fun ().\n    f : i32 = fun (x: i32). x\n    print (f 1)\n", codes: ["E0101", "E0150"] },
  {
    name: "break and continue in a handler clause inside a loop",
    source: "E := effect\n    op : i32 -> i32\ninit := fun ().\n    for i in 0 .. 3.\n        with handler E.\n            op x =>\n                if x > 1 then break\n                continue\n        do op 1\n",
    codes: ["E0103", "E0103"],
  },
  {
    name: "return in a handler clause",
    source: "E := effect\n    op : i32 -> i32\nf := fun () -> Str.\n    with handler E.\n        op x => return \"no\"\n    do\n        op 1\n        \"yes\"\n",
    codes: ["E0102"],
  },
  {
    name: "waiting in a handler clause (a clause is not a generator)",
    source: "E := effect\n    op : i32 -> i32\nfib := fun ().\n    with handler E.\n        op x =>\n            wait 1.0\n            x\n    do print (op 1)\ninit := fun (). spawn fib\n",
    codes: ["E0302"],
  },
  { name: "return outside any function", source: "X := if true then return else 1\ns : mut = return\nB := struct { a: i32 = return }\n", codes: ["E0102", "E0102", "E0102"] },
  { name: "a call of a match with no arms (its type was inferred anew on every retry)", source: "x := (match 1 * 2) 0.0\n", codes: ["E0038", "E0164"] },
  { name: "a struct that contains itself", source: "B := struct { a: i32, self: B }\nbs := pool B\nC := struct { d: D }\nD := struct { c: (i32, C) }\n", codes: ["E0215", "E0215", "E0215"] },
  { name: "a pool of a recursive union", source: "L := union { Nil, Cons { head: i32, tail: L } }\nS := struct { l: L }\nss := pool S\n", codes: ["E0216"] },
  {
    name: "field defaults that build their own struct",
    source: "B := struct { a: i32 = (B { }).a }\nC := struct { d: D = D { } }\nD := struct { c: i32 = (fun () -> i32. (C { }).d.c) () }\n",
    codes: ["E0217", "E0217"],
  },
  { name: "constants and state that need themselves", source: "K := K + 1\nA := B\nB := A\ns : mut = s\n", codes: ["E0218", "E0218", "E0218"] },
  { name: "a constant reading state", source: "s : mut = 1\nK := s + 1\n", codes: ["E0219"] },
  {
    name: "a migration function called or taken as a value by code (it has no code before a reload)",
    source: "B := struct { a: i32 }\nb-from-v1 := fun (prev: old B) -> B. B { a = 1 }\ninit := fun ().\n    print (b-from-v1 (B { a = 2 })).a\n    f := b-from-v1\n",
    codes: ["E0221", "E0221"],
  },
];

describe("compiler regressions", () => {
  for (const { name, source, codes } of REGRESSIONS) {
    it(name, () => {
      checkCompiler({ main: source });
      expect(compileSources({ main: source }).diagnostics.map((d) => d.code).sort()).toEqual([...codes].sort());
    });
  }

  it("computes constants and state after the ones they read, whatever the declaration order", () => {
    const source = "A := f () + B\nf := fun () -> i32. B * 10\nB := 2\na : mut = b + A\nb : mut = 100\ninit := fun ().\n    print A\n    print a\n";
    const outcome = runSource(source, 1);
    expect(outcome.compile.diagnostics.map((d) => d.message)).toEqual([]);
    expect(outcome.lines).toEqual(["22", "122"]);
  });

  it("binds modules that generated code reaches without importing them (a default naming its module's constant)", () => {
    const outcome = runSources({
      c: "import b\ninit := fun (). print (b/use { })\n",
      b: "import a\nuse := fun (s: a/S) -> f64. s.v\n",
      a: "K := 2.0\nS := struct { v: f64 = K * 2.0 }\n",
    }, 1);
    expect(outcome.compile.diagnostics.map((d) => d.message)).toEqual([]);
    expect(outcome.errors).toEqual([]);
    expect(outcome.lines).toEqual(["4"]);
  });
});

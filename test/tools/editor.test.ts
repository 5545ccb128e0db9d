// Editor support (tools/editor/vscode): the TextMate grammar run by vscode-textmate and Oniguruma,
// the engines VS Code itself uses, over Ribbon lines whose lexing is easy to get wrong (`-` inside
// names, keywords as parts of names, symbols, numbers, block dots), kept in step with the lexer's
// keywords and the prelude; and the problem matcher against real `ribbon check` output.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import { PRELUDE_FUNCTIONS } from "../../engine/checker/builtins.ts";
import { KEYWORDS } from "../../engine/syntax/tokens.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

const extension = join(repositoryRoot, "tools/editor/vscode");
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(createRequire(import.meta.url).resolve("vscode-oniguruma"), "../onig.wasm"));
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns), createOnigString: (text) => new oniguruma.OnigString(text) }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(join(extension, "syntaxes/ribbon.tmLanguage.json"), "utf8"), "ribbon.tmLanguage.json"),
  });
  grammar = (await registry.loadGrammar("source.ribbon"))!;
});

/** Each token of the lines as `text` → its innermost scope (without the `.ribbon` suffix). */
function tokens(...lines: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let stack = textmate.INITIAL;
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      const scope = token.scopes[token.scopes.length - 1].replace(/\.ribbon$/, "");
      const text = line.slice(token.startIndex, token.endIndex);
      // Plain names have no scope of their own: a run of them is one token, split here by spaces.
      const parts = scope === "source" ? text.split(/\s+/) : [text];
      for (const part of parts) if (part.trim() !== "") out.push([part, scope]);
    }
    stack = result.ruleStack;
  }
  return out;
}

function scopeOf(line: string, text: string): string | undefined {
  return tokens(line).find(([token]) => token === text)?.[1];
}

describe("the Ribbon grammar", () => {
  it("names with `-` are one name, even when a part is a keyword or a prelude function", () => {
    expect(tokens("max-speed + not-dead - x-1")).toEqual([
      ["max-speed", "source"],
      ["+", "keyword.operator"],
      ["not-dead", "source"],
      ["-", "keyword.operator"],
      ["x-1", "source"],
    ]);
  });

  it("declarations: functions, types, constants, state", () => {
    expect(tokens("update := fun (dt: f64).")).toEqual([
      ["update", "entity.name.function"],
      [":=", "keyword.operator.declaration"],
      ["fun", "storage.type.function"],
      ["(", "punctuation.bracket.round"],
      ["dt", "source"],
      [":", "keyword.operator"],
      ["f64", "support.type.builtin"],
      [")", "punctuation.bracket.round"],
      [".", "punctuation.terminator.block"],
    ]);
    expect(scopeOf("Body := struct { pos: Vec2, hp: f64 = 1.0 }", "Body")).toBe("entity.name.type");
    expect(scopeOf("Body := struct { pos: Vec2, hp: f64 = 1.0 }", "Vec2")).toBe("support.type.builtin");
    expect(scopeOf("MAX-ENEMIES := 60", "MAX-ENEMIES")).toBe("variable.other.constant");
    expect(scopeOf("score : mut = 0", "score")).toBe("variable.other.state");
    expect(scopeOf("score : mut = 0", "mut")).toBe("storage.modifier");
  });

  it("symbols, pointers, qualified names, variants", () => {
    expect(scopeOf("if b.kind == 'grunt then 1 else 2", "'grunt")).toBe("constant.other.symbol");
    expect(tokens("target: *'bodies Body")).toEqual([
      ["target", "source"],
      [":", "keyword.operator"],
      ["*", "keyword.operator.pointer"],
      ["'bodies", "entity.name.type.pool"],
      ["Body", "entity.name.type"],
    ]);
    expect(tokens("Mode/Chase => physics/ship")).toEqual([
      ["Mode/", "entity.name.namespace"],
      ["Chase", "entity.name.type"],
      ["=>", "keyword.operator"],
      ["physics/", "entity.name.namespace"],
      ["ship", "variable.other"],
    ]);
  });

  it("numbers, strings, comments", () => {
    expect(tokens(`n := 1_000 + 0xff + 2.5e3 + 1.0 ;; a "comment" with 'words`).map(([, scope]) => scope)).toEqual([
      "variable.other.declaration", "keyword.operator.declaration",
      "constant.numeric.integer", "keyword.operator", "constant.numeric.hex", "keyword.operator", "constant.numeric.float", "keyword.operator", "constant.numeric.float",
      "comment.line.double-semicolon",
    ]);
    expect(tokens(`print "hi\\n and \\q"`)).toEqual([
      ["print", "support.function.builtin"],
      [`"`, "string.quoted.double"],
      ["hi", "string.quoted.double"],
      ["\\n", "constant.character.escape"],
      [" and ", "string.quoted.double"],
      ["\\q", "invalid.illegal.escape"],
      [`"`, "string.quoted.double"],
    ]);
  });

  it("`;;` inside a string is not a comment", () => {
    expect(tokens(`print "a ;; b" ;; c`).map(([, scope]) => scope)).toEqual([
      "support.function.builtin", "string.quoted.double", "string.quoted.double", "string.quoted.double", "comment.line.double-semicolon",
    ]);
  });

  it("a field dot and a block dot are told apart", () => {
    expect(tokens("if b.pos.x > 0.0.")).toEqual([
      ["if", "keyword.control"],
      ["b", "source"],
      [".", "punctuation.accessor"],
      ["pos", "source"],
      [".", "punctuation.accessor"],
      ["x", "source"],
      [">", "keyword.operator"],
      ["0.0", "constant.numeric.float"],
      [".", "punctuation.terminator.block"],
    ]);
  });

  it("every keyword of the lexer and every prelude function has its colour", () => {
    for (const keyword of KEYWORDS) {
      expect(scopeOf(`x := ${keyword} y`, keyword), keyword).toMatch(/^(keyword|storage|constant\.language)\./);
    }
    for (const name of PRELUDE_FUNCTIONS) expect(scopeOf(`x := ${name} y`, name), name).toBe("support.function.builtin");
  });

  it("marks nothing invalid in the demo game", () => {
    const folder = join(repositoryRoot, "demo-game");
    const files = readdirSync(folder).filter((name) => name.endsWith(".rib"));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const invalid = tokens(...readFileSync(join(folder, name), "utf8").split("\n")).filter(([, scope]) => scope.startsWith("invalid"));
      expect(invalid, name).toEqual([]);
    }
  });
});

describe("the problem matcher", () => {
  const folder = mkdtempSync(join(tmpdir(), "ribbon-editor-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("reads file, line, column, severity, code and message off `ribbon check`", () => {
    writeFileSync(join(folder, "broken.rib"), "speed := 1.0\n\nupdate := fun (dt: f64).\n    print (speed + 1)\n");
    const result = spawnSync(process.execPath, [join(repositoryRoot, "tools/bin/ribbon.mjs"), "check", "broken.rib"], { cwd: folder, encoding: "utf8" });
    expect(result.status).toBe(1);
    const matcher = JSON.parse(readFileSync(join(extension, "package.json"), "utf8")).contributes.problemMatchers[0];
    const pattern = new RegExp(matcher.pattern.regexp);
    const found = result.stderr.split("\n").flatMap((line) => {
      const match = pattern.exec(line);
      return match ? [[match[matcher.pattern.file], match[matcher.pattern.line], match[matcher.pattern.column], match[matcher.pattern.severity], match[matcher.pattern.code]]] : [];
    });
    expect(found).toEqual([["broken.rib", "4", "12", "error", expect.stringMatching(/^E\d{4}$/)]]);
  });
});

// Tests of the Ribbon lexer: sequence classification, dots, numbers, strings, layout tokens.

import { describe, expect, it } from "vitest";
import { createSourceFile, locate } from "../../engine/diagnostics/source.ts";
import { lex } from "../../engine/syntax/lexer.ts";
import type { Token } from "../../engine/syntax/tokens.ts";

function tokensOf(text: string): Token[] {
  return lex(createSourceFile("test.rib", text)).tokens;
}

/** Compact rendering: names, keywords and operators by text, everything else by kind. */
function render(text: string): string {
  return tokensOf(text)
    .filter((token) => token.kind !== "End")
    .map((token) => (["Identifier", "Keyword", "Operator", "Int", "Float", "Symbol"].includes(token.kind) ? token.text : token.kind))
    .join(" ");
}

function errorsOf(text: string): { line: number; code: string; message: string }[] {
  const file = createSourceFile("test.rib", text);
  return lex(file).diagnostics.map((d) => ({ line: locate(file, d.span.start).line, code: d.code, message: d.message }));
}

describe("sequences", () => {
  it("keeps names with dashes and slashes whole", () => {
    expect(render("x-1 max-speed physics/bodies Mode/Chase alive?")).toBe("x-1 max-speed physics/bodies Mode/Chase alive?");
    expect(tokensOf("x-1")[0].kind).toBe("Identifier");
  });

  it("needs spaces around operators", () => {
    expect(render("x - 1")).toBe("x - 1");
    expect(render("a == b != c <= d >= e < f > g")).toBe("a == b != c <= d >= e < f > g");
  });

  it("splits a leading operator from a name", () => {
    expect(render("-x")).toBe("- x");
    expect(render("*'bodies Body")).toBe("* 'bodies Body");
  });

  it("splits a glued trailing colon", () => {
    expect(render("{ pos: Vec2 }")).toBe("LBrace pos : Vec2 RBrace");
    expect(render("(w: f64)")).toBe("LParen w : f64 RParen");
  });

  it("recognizes keywords only as whole sequences", () => {
    const tokens = tokensOf("if in-range then do-it else");
    expect(tokens.map((t) => t.kind).slice(0, 5)).toEqual(["Keyword", "Identifier", "Keyword", "Identifier", "Keyword"]);
  });

  it("reports glued operators with the spaced form", () => {
    const [diagnostic] = errorsOf("y := x+1");
    expect(diagnostic.code).toBe("E0007");
    expect(diagnostic.message).toContain("`x + 1`");
  });

  it("reports unknown operators and characters", () => {
    expect(errorsOf("a <> b")[0].code).toBe("E0008");
    expect(errorsOf("a @ b")[0].code).toBe("E0009");
  });
});

describe("numbers", () => {
  it("reads integers, floats and negative literals", () => {
    const values = tokensOf("42 0xff 1_000 1.0 2.5e3 -1 -7.5").slice(0, 7);
    expect(values.map((t) => t.kind)).toEqual(["Int", "Int", "Int", "Float", "Float", "Int", "Float"]);
    expect(values.map((t) => ("value" in t ? t.value : null))).toEqual([42, 255, 1000, 1, 2500, -1, -7.5]);
  });

  it("keeps a float together before a block dot", () => {
    expect(render("if hp > 60.0.")).toBe("if hp > 60.0 BlockDot");
  });

  it("reads `..` as the range operator", () => {
    expect(render("for i in 0 .. n.")).toBe("for i in 0 .. n BlockDot");
  });

  it("reports malformed numbers", () => {
    expect(errorsOf("x := 12ab")[0].code).toBe("E0006");
  });
});

describe("dots", () => {
  it("distinguishes field access from block dots", () => {
    expect(render("b.pos.x")).toBe("b FieldDot pos FieldDot x");
    expect(render("(f x).y")).toBe("LParen f x RParen FieldDot y");
    expect(render("fun (). x")).toBe("fun LParen RParen BlockDot x");
    expect(render("else.")).toBe("else BlockDot");
    expect(render("while c. ;; comment")).toBe("while c BlockDot");
  });
});

describe("strings and symbols", () => {
  it("decodes escapes", () => {
    const [token] = tokensOf('"a\\n\\t\\"\\\\"');
    expect(token.kind === "String" && token.value).toBe('a\n\t"\\');
  });

  it("reports an unterminated string at its line", () => {
    expect(errorsOf('a := 1\nb := "oops\nc := 2')).toEqual([expect.objectContaining({ line: 2, code: "E0003" })]);
  });

  it("reports unknown escapes", () => {
    expect(errorsOf('s := "a\\q"')[0].code).toBe("E0004");
  });

  it("reads symbols with slashes", () => {
    expect(render("'chase 'physics/bodies")).toBe("'chase 'physics/bodies");
    expect(errorsOf("x := ' y")[0].code).toBe("E0005");
  });
});

describe("layout", () => {
  it("opens a block after a block opener only", () => {
    expect(render("f := fun ().\n    a\n    b\ng := 1")).toBe("f := fun LParen RParen BlockDot Indent a Newline b Dedent Newline g := 1");
  });

  it("treats a deeper line without an opener as a continuation", () => {
    expect(render("x := f a\n    b\ny := 2")).toBe("x := f a b Newline y := 2");
  });

  it("opens blocks after =>, do, effect, then and else", () => {
    expect(render("a =>\n  b")).toBe("a => Indent b Dedent");
    expect(render("E := effect\n  op : () -> i32")).toBe("E := effect Indent op : LParen RParen -> i32 Dedent");
    expect(render("if c then\n  a\nelse\n  b")).toBe("if c then Indent a Dedent Newline else Indent b Dedent");
  });

  it("ignores blank lines, comments and layout inside brackets", () => {
    expect(render("a := { x = 1,\n\n  ;; note\n y = 2 }\nb := 2")).toBe("a := LBrace x = 1 Comma y = 2 RBrace Newline b := 2");
  });

  it("treats `;` as a line separator", () => {
    expect(render("a := 1; b := 2")).toBe("a := 1 Newline b := 2");
  });

  it("closes every open block at the end of the file", () => {
    expect(render("f := fun ().\n  if c.\n    x")).toBe("f := fun LParen RParen BlockDot Indent if c BlockDot Indent x Dedent Dedent");
  });

  it("reports tabs in indentation once, counting the other lines", () => {
    const file = createSourceFile("t.rib", "f := fun ().\n\ta\n\tb\n");
    const { diagnostics } = lex(file);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].code).toBe("E0001");
    expect(locate(file, diagnostics[0].span.start).line).toBe(2);
    expect(diagnostics[0].notes[0].message).toContain("1 more line");
  });

  it("reports an inconsistent dedent and snaps to the nearest level", () => {
    expect(errorsOf("f := fun ().\n    a\n  b\n    c\n")).toEqual([expect.objectContaining({ line: 3, code: "E0002" })]);
    expect(render("f := fun ().\n    a\n   b\n")).toBe("f := fun LParen RParen BlockDot Indent a Newline b Dedent");
  });

  it("closes a bracket left open when a line returns to its depth", () => {
    expect(errorsOf("x := f (a\ny := 2")).toEqual([expect.objectContaining({ line: 1, code: "E0010" })]);
    expect(render("x := f (a\ny := 2")).toBe("x := f LParen a RParen Newline y := 2");
  });

  it("drops a closing bracket that closes nothing", () => {
    expect(errorsOf("x := 1)")).toEqual([expect.objectContaining({ line: 1, code: "E0011" })]);
    expect(render("x := 1)")).toBe("x := 1");
  });

  it("gives every token a span", () => {
    const text = "f := fun (x: f64) -> f64.\n    x * 2.0 ;; double\n";
    for (const token of tokensOf(text)) {
      expect(token.span.start).toBeGreaterThanOrEqual(0);
      expect(token.span.end).toBeGreaterThanOrEqual(token.span.start);
      expect(token.span.end).toBeLessThanOrEqual(text.length);
      if (token.text !== "" && token.kind !== "Newline") expect(text.slice(token.span.start, token.span.end)).toBe(token.text);
    }
  });
});

// Tests of the Ribbon parser: the conformance examples, the shape of key constructs, and precise errors.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Pattern, TypeExpr } from "../../engine/syntax/ast.ts";
import {
  as,
  asStatement,
  binding,
  bodyStatements,
  EXAMPLES,
  exampleFiles,
  item,
  linesAndCodes,
  parseClean,
  parseExpr,
  parseText,
} from "./helpers.ts";

describe("conformance examples", () => {
  const files = exampleFiles();

  it("finds the examples", () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files.map((file) => [path.relative(EXAMPLES, file), file]))("%s parses with no diagnostics", (_name, file) => {
    const { diagnostics, ast } = parseText(readFileSync(file, "utf8"), file);
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    expect(ast.items.length).toBeGreaterThan(0);
  });
});

describe("names and operators", () => {
  it("reads `x-1` as one name and `x - 1` as a subtraction", () => {
    expect(as(parseExpr("x-1"), "NameExpr").path.segments).toEqual(["x-1"]);
    const difference = as(parseExpr("x - 1"), "BinaryExpr");
    expect(difference.operator).toBe("-");
    expect(as(difference.right, "IntLiteral").value).toBe(1);
  });

  it("splits qualified names into path segments", () => {
    expect(as(parseExpr("physics/bodies"), "NameExpr").path.segments).toEqual(["physics", "bodies"]);
  });

  it("follows the precedence table", () => {
    const or = as(parseExpr("not a and b or c == d + e * -f"), "BinaryExpr");
    expect(or.operator).toBe("or");
    const and = as(or.left, "BinaryExpr");
    expect(and.operator).toBe("and");
    expect(as(and.left, "UnaryExpr").operator).toBe("not");
    const equals = as(or.right, "BinaryExpr");
    expect(equals.operator).toBe("==");
    const sum = as(equals.right, "BinaryExpr");
    expect(sum.operator).toBe("+");
    const product = as(sum.right, "BinaryExpr");
    expect(product.operator).toBe("*");
    expect(as(product.right, "UnaryExpr").operator).toBe("-");
  });

  it("associates arithmetic to the left", () => {
    const outer = as(parseExpr("a - b - c"), "BinaryExpr");
    expect(as(outer.left, "BinaryExpr").operator).toBe("-");
    expect(as(outer.right, "NameExpr").path.segments).toEqual(["c"]);
  });

  it("nests field access", () => {
    const x = as(parseExpr("b.pos.x"), "FieldExpr");
    expect(x.name).toBe("x");
    const pos = as(x.target, "FieldExpr");
    expect(pos.name).toBe("pos");
    expect(as(pos.target, "NameExpr").path.segments).toEqual(["b"]);
  });

  it("applies field access to parenthesized expressions", () => {
    const y = as(parseExpr("(f x).y"), "FieldExpr");
    expect(as(y.target, "CallExpr").args).toHaveLength(1);
  });
});

describe("application", () => {
  it("applies by juxtaposition", () => {
    const call = as(parseExpr("f x y"), "CallExpr");
    expect(as(call.callee, "NameExpr").path.segments).toEqual(["f"]);
    expect(call.args.map((arg) => as(arg, "NameExpr").path.segments[0])).toEqual(["x", "y"]);
  });

  it("passes a tuple for `f (a, b)` and unit for `f ()`", () => {
    const tuple = as(as(parseExpr("f (a, b)"), "CallExpr").args[0], "TupleExpr");
    expect(tuple.items).toHaveLength(2);
    expect(as(parseExpr("f ()"), "CallExpr").args[0].kind).toBe("UnitLiteral");
  });

  it("binds application tighter than operators", () => {
    const sum = as(parseExpr("number () + number ()"), "BinaryExpr");
    expect(as(sum.left, "CallExpr").args[0].kind).toBe("UnitLiteral");
    expect(as(sum.right, "CallExpr").args[0].kind).toBe("UnitLiteral");
  });

  it("binds field access tighter than application", () => {
    const call = as(parseExpr("print a.pos.x"), "CallExpr");
    expect(call.args).toHaveLength(1);
    expect(as(call.args[0], "FieldExpr").name).toBe("x");
  });

  it("takes negative literals as arguments", () => {
    expect(as(as(parseExpr("f -1"), "CallExpr").args[0], "IntLiteral").value).toBe(-1);
  });

  it("passes a record literal as an argument", () => {
    const call = as(parseExpr("alloc bodies { pos = p, vel = v }"), "CallExpr");
    expect(as(call.args[0], "NameExpr").path.segments).toEqual(["bodies"]);
    expect(as(call.args[1], "RecordExpr").fields.map((field) => field.name)).toEqual(["pos", "vel"]);
  });

  it("builds constructs from capitalized names followed by `{`", () => {
    const chase = as(parseExpr("Mode/Chase { speed = 7.5 }"), "ConstructExpr");
    expect(chase.type.segments).toEqual(["Mode", "Chase"]);
    expect(as(chase.fields[0].value, "FloatLiteral").value).toBe(7.5);
    expect(as(parseExpr("Enemy { }"), "ConstructExpr").fields).toEqual([]);
    const call = as(parseExpr("describe Mode/Chase { speed = 1.0 }"), "CallExpr");
    expect(call.args[0].kind).toBe("ConstructExpr");
  });

  it("accepts a function as the last argument", () => {
    const ast = parseClean("init := fun ().\n    spawn fun ().\n        patrol guard\n        wait 0.5\n");
    const call = as(asStatement(bodyStatements(binding(ast, "init").value)[0], "ExprStatement").expr, "CallExpr");
    expect(as(as(call.args[0], "FunExpr").body, "BlockExpr").items).toHaveLength(2);
  });
});

describe("functions and blocks", () => {
  it("reads parameters, result types and inline bodies", () => {
    const fun = as(parseExpr("fun (w: f64, h, c: i32) -> f64. w * h"), "FunExpr");
    expect(fun.params.map((param) => [param.name, param.type?.kind ?? null])).toEqual([
      ["w", "NamedType"],
      ["h", null],
      ["c", "NamedType"],
    ]);
    expect(fun.result?.kind).toBe("NamedType");
    expect(fun.body.kind).toBe("BinaryExpr");
    expect(as(parseExpr("fun x. x"), "FunExpr").params.map((param) => param.name)).toEqual(["x"]);
    expect(as(parseExpr("fun (). 1"), "FunExpr").params).toEqual([]);
  });

  it("makes an indented body a block of statements", () => {
    const ast = parseClean(
      "init := fun ().\n    total : mut = 0\n    n : mut i32 = 1\n    k : f64 = 2.0\n    m := 3\n    total = total + n\n    b.pos = p\n    total\n",
    );
    const [total, n, k, m, assign, field, last] = bodyStatements(binding(ast, "init").value);
    expect(asStatement(total, "LetStatement")).toMatchObject({ name: "total", mutable: true, type: null });
    expect(asStatement(n, "LetStatement")).toMatchObject({ name: "n", mutable: true, type: { kind: "NamedType" } });
    expect(asStatement(k, "LetStatement")).toMatchObject({ name: "k", mutable: false, type: { kind: "NamedType" } });
    expect(asStatement(m, "LetStatement")).toMatchObject({ name: "m", mutable: false, type: null });
    expect(asStatement(assign, "AssignStatement").target.kind).toBe("NameExpr");
    expect(asStatement(field, "AssignStatement").target.kind).toBe("FieldExpr");
    expect(asStatement(last, "ExprStatement").expr.kind).toBe("NameExpr");
  });

  it("wraps an inline assignment in a block", () => {
    const ifExpr = as(parseExpr("if c then alive = false"), "IfExpr");
    const block = as(ifExpr.then, "BlockExpr");
    expect(asStatement(block.items[0], "AssignStatement").value.kind).toBe("BoolLiteral");
    expect(ifExpr.else).toBeNull();
  });
});

describe("control flow", () => {
  it("reads inline if/then/else with else-if chains", () => {
    const outer = as(parseExpr("if x < 0.0 then 0.0 else if x > 1.0 then 1.0 else x"), "IfExpr");
    const inner = as(outer.else!, "IfExpr");
    expect(as(inner.else!, "NameExpr").path.segments).toEqual(["x"]);
  });

  it("reads block if / else if / else on separate lines", () => {
    const ast = parseClean(
      "classify := fun (hp: f64) -> Symbol.\n    if hp > 60.0.\n        'healthy\n    else if hp > 20.0.\n        'hurt\n    else.\n        'dying\n",
    );
    const [statement] = bodyStatements(binding(ast, "classify").value);
    const first = as(asStatement(statement, "ExprStatement").expr, "IfExpr");
    expect(as(first.then, "BlockExpr").items).toHaveLength(1);
    const second = as(first.else!, "IfExpr");
    expect(as(second.condition, "BinaryExpr").operator).toBe(">");
    const last = as(second.else!, "BlockExpr");
    expect(as(asStatement(last.items[0], "ExprStatement").expr, "SymbolLiteral").name).toBe("dying");
  });

  it("does not take an `else` from an outer block", () => {
    const { diagnostics } = parseText("f := fun ().\n    if c.\n        x\nelse.\n    y\n");
    expect(diagnostics).toHaveLength(1);
  });

  it("reads range and pool loops, while, break and continue", () => {
    const ast = parseClean(
      "f := fun (n: i32).\n    for i in 0 .. n.\n        continue\n    for b in bodies.\n        break\n    while n > 3.\n        return n\n",
    );
    const [range, each, loop] = bodyStatements(binding(ast, "f").value).map((s) => asStatement(s, "ExprStatement").expr);
    const forRange = as(range, "ForRangeExpr");
    expect([forRange.binder, forRange.from.kind, forRange.to.kind]).toEqual(["i", "IntLiteral", "NameExpr"]);
    expect(as(each, "ForEachExpr").binder).toBe("b");
    const whileBody = as(as(loop, "WhileExpr").body, "BlockExpr");
    expect(as(asStatement(whileBody.items[0], "ExprStatement").expr, "ReturnExpr").value?.kind).toBe("NameExpr");
  });

  it("reads match arms with every kind of pattern", () => {
    const ast = parseClean(
      [
        "f := fun (m: Mode).",
        "    match m.",
        "        Mode/Wander => 1.0",
        "        Mode/Chase { speed } => speed",
        "        Mode/Chase { speed = s, target = _ } => s",
        "        Flee => -1.0",
        "        -1 => 0.0",
        "        'sym => 0.0",
        "        \"text\" => 0.0",
        "        true => 0.0",
        "        (a, b) => 0.0",
        "        () => 0.0",
        "        other =>",
        "            print other",
        "            0.0",
        "        _ => 0.0",
        "",
      ].join("\n"),
    );
    const match = as(asStatement(bodyStatements(binding(ast, "f").value)[0], "ExprStatement").expr, "MatchExpr");
    const kinds = match.arms.map((arm) => arm.pattern.kind);
    expect(kinds).toEqual([
      "VariantPattern", "VariantPattern", "VariantPattern", "VariantPattern", "LiteralPattern", "LiteralPattern",
      "LiteralPattern", "LiteralPattern", "TuplePattern", "UnitPattern", "BindPattern", "WildcardPattern",
    ]);
    const variant = (pattern: Pattern) => (pattern.kind === "VariantPattern" ? pattern : null);
    expect(variant(match.arms[0].pattern)?.fields).toBeNull();
    expect(variant(match.arms[1].pattern)?.fields).toEqual([expect.objectContaining({ name: "speed", pattern: null })]);
    expect(variant(match.arms[2].pattern)?.fields?.map((field) => field.pattern?.kind)).toEqual(["BindPattern", "WildcardPattern"]);
    expect(variant(match.arms[3].pattern)?.path.segments).toEqual(["Flee"]);
    expect(match.arms[10].body.kind).toBe("BlockExpr");
  });
});

describe("effects and handlers", () => {
  it("reads `with handler E.` clauses followed by `do` on its own line", () => {
    const ast = parseClean(
      "init := fun ().\n    r := with handler Ask.\n        number () => 21\n        pick (a, b) =>\n            cancel a\n    do\n        add-two ()\n    print r\n",
    );
    const [let_, print] = bodyStatements(binding(ast, "init").value);
    const withExpr = as(asStatement(let_, "LetStatement").value, "WithExpr");
    const handler = as(withExpr.handler, "HandlerExpr");
    expect(handler.effect.segments).toEqual(["Ask"]);
    expect(handler.clauses.map((clause) => [clause.operation, clause.pattern.kind])).toEqual([
      ["number", "UnitPattern"],
      ["pick", "TuplePattern"],
    ]);
    const pickBody = as(handler.clauses[1].body, "BlockExpr");
    expect(as(asStatement(pickBody.items[0], "ExprStatement").expr, "CancelExpr").value?.kind).toBe("NameExpr");
    expect(as(withExpr.body, "BlockExpr").items).toHaveLength(1);
    expect(asStatement(print, "ExprStatement").expr.kind).toBe("CallExpr");
  });

  it("reads `with EXPR do` with an inline body", () => {
    const withExpr = as(parseExpr("with reload-policy do run ()"), "WithExpr");
    expect(as(withExpr.handler, "NameExpr").path.segments).toEqual(["reload-policy"]);
    expect(withExpr.body.kind).toBe("CallExpr");
  });

  it("reads a top-level handler", () => {
    const ast = parseClean(
      'reload-policy := handler hot/Reload.\n    migrate plan =>\n        if plan.module == "ai" then hot/reset else hot/auto\n',
    );
    const handler = as(binding(ast, "reload-policy").value, "HandlerExpr");
    expect(handler.effect.segments).toEqual(["hot", "Reload"]);
    expect(handler.clauses[0].pattern).toMatchObject({ kind: "BindPattern", name: "plan" });
  });

  it("reads effect declarations with function types", () => {
    const ast = parseClean("Damage := effect\n    hit : (*'bodies Body, f64) -> f64\n    fail : Str -> !\n    number : () -> i32\n");
    const [hit, fail, number] = item(ast, "EffectItem", "Damage").operations;
    const hitType = hit.type as Extract<TypeExpr, { kind: "FunctionType" }>;
    expect(hitType.params.map((param) => param.kind)).toEqual(["PointerType", "NamedType"]);
    expect(hitType.params[0]).toMatchObject({ pool: { segments: ["bodies"] }, target: { kind: "NamedType" } });
    expect(fail.type).toMatchObject({ kind: "FunctionType", params: [{ kind: "NamedType" }], result: { kind: "NeverType" } });
    expect(number.type).toMatchObject({ kind: "FunctionType", params: [], effects: null });
  });
});

describe("types and declarations", () => {
  it("reads struct fields with defaults", () => {
    const ast = parseClean("Body := struct { pos: Vec2, vel: Vec2, mass: f64 = 2.0 }\n");
    const fields = item(ast, "StructItem", "Body").fields;
    expect(fields.map((field) => [field.name, field.defaultValue?.kind ?? null])).toEqual([
      ["pos", null],
      ["vel", null],
      ["mass", "FloatLiteral"],
    ]);
  });

  it("reads multi-line structs and unions with variant fields", () => {
    const ast = parseClean("Body := struct {\n    pos: Vec2,\n    hp: f64 = 100.0,\n}\nMode := union { Wander, Chase { target: *'bodies Body }, Flee }\n");
    expect(item(ast, "StructItem", "Body").fields).toHaveLength(2);
    const variants = item(ast, "UnionItem", "Mode").variants;
    expect(variants.map((variant) => [variant.name, variant.fields.length])).toEqual([
      ["Wander", 0],
      ["Chase", 1],
      ["Flee", 0],
    ]);
  });

  it("reads function types with effect rows, tuples, unit, old and holes", () => {
    const ast = parseClean(
      "a : (f64) -> () | { Rand, Wait } = f\nb : (i32, f64) = t\nc : old Body -> Body = m\nd : _ = 1\ne : (i32, i32) -> i32 = g\n",
    );
    expect(binding(ast, "a").type).toMatchObject({
      kind: "FunctionType",
      params: [{ kind: "NamedType" }],
      result: { kind: "UnitType" },
      effects: [{ segments: ["Rand"] }, { segments: ["Wait"] }],
    });
    expect(binding(ast, "b").type).toMatchObject({ kind: "TupleType", items: [{}, {}] });
    expect(binding(ast, "c").type).toMatchObject({ kind: "FunctionType", params: [{ kind: "OldType" }] });
    expect(binding(ast, "d").type?.kind).toBe("HoleType");
    expect(binding(ast, "e").type).toMatchObject({ kind: "FunctionType", params: [{}, {}] });
  });

  it("reads bindings, pools and imports", () => {
    const ast = parseClean("import engine/input\nscore : mut = 0\nspeed : mut f64 = 0.0\nGRAVITY := 900.0\nbodies := pool Body\n");
    expect(item(ast, "ImportItem").path.segments).toEqual(["engine", "input"]);
    expect(binding(ast, "score")).toMatchObject({ mutable: true, type: null });
    expect(binding(ast, "speed")).toMatchObject({ mutable: true, type: { kind: "NamedType" } });
    expect(binding(ast, "GRAVITY")).toMatchObject({ mutable: false, type: null, value: { kind: "FloatLiteral", value: 900 } });
    expect(item(ast, "PoolItem", "bodies").element.kind).toBe("NamedType");
  });

  it("gives items spans covering their text", () => {
    const text = "square := fun (x: f64) -> f64.\n    x * x\n";
    const [square] = parseClean(text).items;
    expect(text.slice(square.span.start, square.span.end)).toBe(text.trimEnd());
  });
});

describe("syntax errors", () => {
  it("reports a missing `=>` in a match arm", () => {
    const parsed = parseText("f := fun (m: Mode).\n    match m.\n        Mode/Wander => 1.0\n        Mode/Flee 2.0\n");
    expect(linesAndCodes(parsed)).toEqual([[4, "E0023"]]);
    expect(parsed.diagnostics[0].message).toContain("expected `=>` after the pattern");
  });

  it("reports an unterminated string", () => {
    expect(linesAndCodes(parseText('init := fun ().\n    print "hi\n    print 2\n'))).toEqual([[2, "E0003"]]);
  });

  it("reports a tab in indentation", () => {
    const parsed = parseText("init := fun ().\n\tprint 1\n");
    expect(linesAndCodes(parsed)).toEqual([[2, "E0001"]]);
    expect(parsed.diagnostics[0].message).toBe("tabs are not allowed for indentation; use spaces");
  });

  it("reports an inconsistent dedent", () => {
    expect(linesAndCodes(parseText("init := fun ().\n    if c.\n        a\n      b\n    c\n"))).toEqual([[4, "E0002"]]);
  });

  it("reports an unexpected token", () => {
    const parsed = parseText("x := 1\ny := f a =>\nz := 2\n");
    expect(linesAndCodes(parsed)).toEqual([[2, "E0021"]]);
    expect(parsed.diagnostics[0].message).toContain("found `=>`");
    expect(parsed.ast.items.map((i) => ("name" in i ? i.name : ""))).toEqual(["x", "y", "z"]);
  });

  it("reports every broken line of a file, once each", () => {
    const parsed = parseText("a := (1 +)\nb := 2\nc = 3\nd := if x = 1 then 2 else 3\ne := match.\n");
    expect(linesAndCodes(parsed).map(([line]) => line)).toEqual([1, 3, 4, 5]);
    expect(parsed.ast.items.map((i) => ("name" in i ? i.name : ""))).toContain("b");
  });

  it("explains common mistakes", () => {
    const message = (text: string) => parseText(text).diagnostics[0]?.message;
    expect(message("x := if a = b then 1 else 2")).toContain("to compare, use `==`");
    expect(message("x := a < b < c")).toContain("cannot be chained");
    expect(message("x := Body { pos: p }")).toContain("expected `=` and a value for the field `pos`");
    expect(message("f := fun ()\n    x\n")).toContain("expected `.` after the parameters of `fun`");
    expect(message("M := union { wander }")).toContain("`Wander`");
    expect(message("E := effect\n    op : i32\n")).toContain("must be a function type");
    expect(message("h := handler E.\n    op => 1\n")).toContain("write `()` when it takes none");
    expect(message("f := fun ().\n    1 = x\n")).toContain("only a name or a field can be assigned");
  });

  it("recovers after an error inside a block", () => {
    const parsed = parseText("f := fun ().\n    a := )\n    b := 2\n    c := (\ng := 1\n");
    expect(linesAndCodes(parsed).map(([line]) => line)).toEqual([2, 4]);
    const items = parsed.ast.items.map((i) => ("name" in i ? i.name : ""));
    expect(items).toEqual(["f", "g"]);
    expect(bodyStatements(binding(parsed.ast, "f").value).length).toBe(3);
  });

  it("points at the line that lacks a block opener, not at its continuation", () => {
    const parsed = parseText("init := fun ().\n    if x > 0\n        print x\n    y := 1\n");
    expect(linesAndCodes(parsed)).toEqual([[2, "E0026"]]);
    expect(parsed.diagnostics[0].message).toContain("add it at the end of this line");
    const stray = parseText("x := 1\n  y := 2\n");
    expect(linesAndCodes(stray)).toEqual([[2, "E0021"]]);
    expect(stray.diagnostics[0].notes[0].message).toContain("continues that line");
  });

  it("does not cascade into the `else` and `do` lines of a broken construct", () => {
    const brokenIf = "f := fun (hp: f64).\n    i hp > 60.0.\n        'a\n    else if hp > 20.0.\n        'b\n    else.\n        'c\n";
    expect(linesAndCodes(parseText(brokenIf))).toEqual([[2, "E0021"]]);
    const brokenWith = "f := fun ().\n    r := with handler Ask\n        number () => 1\n    do\n        go ()\n";
    expect(linesAndCodes(parseText(brokenWith))).toEqual([[2, "E0038"]]);
  });

  it("reports a block pasted at another indentation once", () => {
    expect(linesAndCodes(parseText("f := fun ().\n    a\n  b\n  c\n    d\ng := 1\n"))).toEqual([[3, "E0002"]]);
  });

  it("reports an indented first line and an empty block", () => {
    expect(linesAndCodes(parseText("  x := 1\ny := 2\n"))).toEqual([[1, "E0012"]]);
    expect(linesAndCodes(parseText("f := fun ().\n    ;\ng := 1\n"))).toEqual([[2, "E0027"]]);
  });

  it("reports a bracket left open at the end of the file", () => {
    expect(linesAndCodes(parseText("x := 1\ny := f (a, (b)\n    c\n"))).toEqual([[2, "E0010"]]);
  });

  it("reports a missing `do` and a missing body", () => {
    expect(linesAndCodes(parseText("x := with h\ny := 1\n"))).toEqual([[1, "E0028"]]);
    expect(linesAndCodes(parseText("f := fun ().\ny := 1\n"))).toEqual([[1, "E0027"]]);
  });
});

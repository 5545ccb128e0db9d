// Compile errors as a user meets them: code, line:column, message and the hint that fixes it.

import { describe, expect, it } from "vitest";
import { diagnose, printed, rib } from "./support.ts";

describe("diagnostics", () => {
  it("a file that starts with a byte-order mark compiles, and its columns are the editor's", () => {
    expect(printed("\uFEFFupdate := fun (dt: f64).\n    print \"ok\"\n", 1)).toEqual(["ok"]);
    const seen = diagnose("\uFEFFupdate := fun (dt: f64).\n    print sped\n");
    expect(seen.map((d) => [d.code, d.line, d.column])).toEqual([["E0132", 2, 11]]);
  });

  it("an unknown name suggests the closest known one", () => {
    const seen = diagnose(rib`
      init := fun ().
          speed := 3
          print sped
    `);
    expect(seen.map((d) => [d.code, d.line, d.column, d.message])).toEqual([["E0132", 3, 11, "unknown name sped; did you mean speed?"]]);
  });

  it("`x-1` where x is known is one unknown name, with a note suggesting `x - 1`", () => {
    const seen = diagnose(rib`
      init := fun ().
          x := 3
          print (x-1)
    `);
    expect(seen.map((d) => [d.code, d.line, d.column, d.message])).toEqual([["E0130", 3, 12, "unknown name x-1"]]);
    expect(seen[0].notes).toEqual(["Ribbon reads `x-1` as one name; operators need spaces: `x - 1`"]);
  });

  it("an `if` or `while` missing its `.` is the only error: the body it swallowed adds none", () => {
    const seen = diagnose(rib`
      x : mut = 0
      update := fun (dt: f64).
          spread := 1.0
          if spread >= 0.0
              x = x + 1
          while x < 3
              x = x + 1
          print undefined-name
    `);
    expect(seen.map((d) => [d.code, d.line, d.column])).toEqual([
      ["E0026", 4, 21],
      ["E0038", 6, 16],
      ["E0132", 8, 11],
    ]);
    expect(seen[0].message).toBe("expected `then` or `.` after the condition of `if`; add it at the end of this line");
  });

  it("a hyphenated name that is declared is not split", () => {
    const seen = diagnose(rib`
      init := fun ().
          max-speed := 3
          print (max-speed - 1)
          print max-sped
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0132", 4, "unknown name max-sped; did you mean max-speed?"]]);
  });

  it("an i32 where an f64 is expected suggests the float literal", () => {
    const seen = diagnose(rib`
      init := fun ().
          x : f64 = 2
          print x
    `);
    expect(seen.map((d) => [d.code, d.line, d.column])).toEqual([["E0101", 2, 15]]);
    expect(seen[0].message).toBe("the value of x has type i32, but f64 is expected");
    expect(seen[0].notes).toEqual(["write `2.0` for an f64"]);
  });

  it("mixing i32 and f64 in arithmetic names the literal to change", () => {
    const seen = diagnose(rib`
      speed : mut = 1.5

      init := fun ().
          speed = speed * 2
    `);
    expect(seen.map((d) => [d.code, d.line, d.column, d.message])).toEqual([["E0111", 4, 13, "`*` is not defined for f64 and i32"]]);
    expect(seen[0].notes[0]).toContain("write `2.0` for an f64");
  });

  it("an i32 argument where f64 is expected suggests `float x`", () => {
    const seen = diagnose(rib`
      half := fun (x: f64) -> f64. x / 2.0

      init := fun ().
          n := 3
          print (half n)
    `);
    expect(seen.map((d) => [d.code, d.line, d.column, d.notes[0]])).toEqual([["E0101", 5, 17, "convert with `float x`"]]);
  });

  it("a match that misses variants lists them", () => {
    const seen = diagnose(rib`
      Mode := union { Idle, Chase { speed: f64 }, Flee }

      describe := fun (m: Mode) -> i32.
          match m.
              Mode/Idle => 1
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0164", 4, "this match does not cover Mode/Chase, Mode/Flee"]]);
  });

  it("a struct built without a field that has no default", () => {
    const seen = diagnose(rib`
      Point := struct { x: f64, y: f64 = 0.0, z: f64 }

      init := fun ().
          p := Point { y = 1.0 }
          print p.y
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0142", 4, "Point needs fields x, z (no default)"]]);
  });

  it("an unknown field, when building and when reading, suggests the closest field", () => {
    const seen = diagnose(rib`
      Point := struct { speed: f64, y: f64 = 0.0 }
      points := pool Point

      init := fun ().
          p := Point { sped = 1.0 }
          q := alloc points { speed = 2.0 }
          print q.sped
          v := vec2 1.0 2.0
          print v.xx
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([
      ["E0140", 5, "Point has no field sped; did you mean speed?"],
      ["E0142", 5, "Point needs field speed (no default)"],
      ["E0108", 7, "*'points Point has no field sped; did you mean speed?"],
      ["E0108", 9, "Vec2 has no field xx; did you mean x?"],
    ]);
  });

  it("assigning to an immutable binding says how to make it mutable", () => {
    const seen = diagnose(rib`
      LIMIT := 10

      init := fun ().
          k := 5
          k = 6
          LIMIT = 11
    `);
    expect(seen.map((d) => [d.code, d.line, d.column, d.message, d.notes[0]])).toEqual([
      ["E0115", 5, 5, "cannot assign to k: it is not mutable", "declare it with `k : mut = ...`"],
      ["E0115", 6, 5, "cannot assign to LIMIT: it is not mutable", "declare it with `LIMIT : mut = ...`"],
    ]);
  });

  it("the wrong number of arguments counts what was written", () => {
    const seen = diagnose(rib`
      add := fun (a: i32, b: i32) -> i32. a + b

      init := fun ().
          print (add (1, 2, 3))
          print (add 1)
          print (add ())
          print (min (1, 2, 3))
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([
      ["E0151", 4, "add takes 2 arguments, but 3 were given"],
      ["E0151", 5, "add takes 2 arguments, but 1 was given"],
      ["E0151", 6, "add takes 2 arguments, but 0 were given"],
      ["E0151", 7, "min takes 2 arguments, but 3 were given"],
    ]);
  });

  it("reports every error of a file in one run, in source order", () => {
    const seen = diagnose(rib`
      Point := struct { x: f64 }
      Mode := union { A, B }

      init := fun ().
          print unknown-thing
          p := Point { }
          k := 1
          k = 2
          print (k + 1.5)
          match Mode/A.
              Mode/A => print 1
          print (p.w)
    `);
    expect(seen.map((d) => [d.code, d.line])).toEqual([
      ["E0132", 5],
      ["E0142", 6],
      ["E0115", 8],
      ["E0111", 9],
      ["E0164", 10],
      ["E0108", 12],
    ]);
  });

  it("a diagnostic in an imported module names that module's file", () => {
    const seen = diagnose({
      game: "import lib\ninit := fun ().\n    print (lib/f 1)\n",
      lib: "f := fun (x: i32) -> i32.\n    x + nope\n",
    });
    expect(seen.map((d) => [d.file, d.line, d.column, d.code])).toEqual([["lib.rib", 2, 9, "E0132"]]);
  });
});

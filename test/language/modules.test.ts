// Programs of several modules: qualified names, another module's pools and state, imported
// names, update order, and the diagnostics for missing or cyclic imports.

import { describe, expect, it } from "vitest";
import { compileProgram } from "../../engine/compiler/compile.ts";
import { positionOf } from "../../engine/diagnostics/diagnostic.ts";
import { createSourceFile } from "../../engine/diagnostics/source.ts";
import { diagnose, printed, rib } from "./support.ts";

const physics = rib`
  Body := struct { pos: Vec2, vel: Vec2 = vec2 1.0 0.0 }
  bodies := pool Body
  score : mut = 0
  GRAVITY := 9.5

  Bump := effect
      bump : i32 -> i32

  kick := fun (n: i32) -> i32. bump (n * 2)

  step := fun (dt: f64).
      for b in bodies.
          b.pos = b.pos + b.vel
`;

describe("modules", () => {
  it("calls, constants, effects, pools and state of an imported module by qualified name", () => {
    const game = rib`
      import physics

      init := fun ().
          alloc physics/bodies (physics/Body { pos = vec2 0.0 0.0 })
          alloc physics/bodies (physics/Body { pos = vec2 5.0 5.0, vel = vec2 0.0 1.0 })
          physics/score = 10
          physics/score = physics/score + 1
          print physics/score
          print physics/GRAVITY
          physics/step 0.1
          physics/step 0.1
          for b in physics/bodies.
              print b.pos
          print (count physics/bodies)
          x := with handler physics/Bump.
              bump n => n + 1
          do
              physics/kick 5
          print x
    `;
    expect(printed({ game, physics })).toEqual(["11", "9.5", "vec2 2 0", "vec2 5 7", "2", "11"]);
  });

  it("`import physics/Body` and `import physics/bodies` bring single names in unqualified", () => {
    const game = rib`
      import physics/Body
      import physics/bodies

      init := fun ().
          b := alloc bodies (Body { pos = vec2 1.0 2.0 })
          here : Body = Body { pos = vec2 3.0 4.0 }
          print b.pos
          print here.vel
          print (count bodies)
    `;
    expect(printed({ game, physics })).toEqual(["vec2 1 2", "vec2 1 0", "1"]);
  });

  it("modules with the same top-level names keep separate state", () => {
    const game = rib`
      import physics
      score : mut = 100

      init := fun ().
          score = score + 1
          physics/score = 7
          print score
          print physics/score
    `;
    expect(printed({ game, physics })).toEqual(["101", "7"]);
  });

  it("a module's update runs after the updates of the modules it imports, every tick", () => {
    const game = rib`
      import counter

      update := fun (dt: f64).
          print ("game sees " + str counter/ticks)
    `;
    const counter = rib`
      ticks : mut = 0

      update := fun (dt: f64).
          ticks = ticks + 1
          print ("counter " + str ticks)
    `;
    expect(printed({ game, counter }, 2)).toEqual(["counter 1", "game sees 1", "counter 2", "game sees 2"]);
  });

  it("an unknown module is reported at the import, with no cascade of unknown names after it", () => {
    const seen = diagnose({
      game: rib`
        import nosuch

        init := fun ().
            print (nosuch/f 1)
      `,
    });
    expect(seen.map((d) => [d.code, d.line, d.column, d.message])).toEqual([["E0170", 1, 8, "cannot find module nosuch"]]);
  });

  it("a root module with no source is an error, reported in the file that lists it", () => {
    const provider = (name: string) => (name === "main" ? { path: "main.rib", text: "update := fun (dt: f64).\n    print \"tick\"\n" } : null);
    const alone = compileProgram(["main", "enemies"], provider);
    expect(alone.ok).toBe(false);
    expect(alone.diagnostics.map((d) => [d.code, positionOf(d), d.message])).toEqual([["E0174", "enemies.rib:1:1", "cannot find module enemies: there is no enemies.rib"]]);
    const manifest = createSourceFile("game/manifest.json", `{ "seed": 3,\n  "modules": ["main", "enemies.rib"] }`);
    const listed = compileProgram(["main", "enemies"], provider, { rootsFile: manifest });
    expect(listed.diagnostics.map((d) => [d.code, positionOf(d), d.span.end - d.span.start])).toEqual([["E0174", "game/manifest.json:2:23", '"enemies.rib"'.length]]);
  });

  it("an unknown member of an imported module suggests the closest one", () => {
    const seen = diagnose({
      game: rib`
        import physics

        init := fun ().
            physics/stepp 1.0
      `,
      physics,
    });
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0132", 4, "unknown name physics/stepp; did you mean physics/step?"]]);
  });

  it("a qualified name of a module that is not imported says to import it", () => {
    const seen = diagnose({
      game: rib`
        init := fun ().
            print physics/score
      `,
      physics,
    });
    expect(seen.map((d) => [d.code, d.line])).toEqual([["E0131", 2]]);
    expect(seen[0].notes).toEqual(["import it first: `import physics`"]);
  });

  it("an import cycle is reported once, with the whole cycle, and nothing else", () => {
    const seen = diagnose({
      a: rib`
        import b
        x := 1
        init := fun ().
            print b/y
      `,
      b: rib`
        import c
        y := 2
      `,
      c: rib`
        import a
        z := fun () -> i32. a/x
      `,
    });
    expect(seen.map((d) => [d.code, d.file, d.line, d.column, d.message])).toEqual([["E0173", "c.rib", 1, 8, "import cycle: a → b → c → a"]]);
  });

  it("another module's constants and pools cannot be assigned", () => {
    const seen = diagnose({
      game: rib`
        import physics

        init := fun ().
            physics/GRAVITY = 1.0
            physics/bodies = physics/bodies
      `,
      physics,
    });
    expect(seen.map((d) => [d.code, d.line, d.notes[0]])).toEqual([
      ["E0115", 4, "declare it in module physics with `GRAVITY : mut = ...`"],
      ["E0115", 5, "pool bodies cannot be assigned"],
    ]);
  });

  it("two structs with one name in two modules are different types, and the message says which is which", () => {
    const seen = diagnose({
      game: rib`
        import physics
        Body := struct { pos: Vec2 }

        init := fun ().
            alloc physics/bodies (Body { pos = vec2 0.0 0.0 })
      `,
      physics,
    });
    expect(seen.map((d) => [d.code, d.line])).toEqual([["E0101", 5]]);
    expect(seen[0].message).toContain("game/Body, but physics/Body is expected");
  });
});

// Calls compiled in place (engine/codegen/inline.ts): a helper called per element runs as part of
// its caller, and nothing a user can see changes: values, evaluation order, runtime errors naming
// the helper's own line and function, freed pointers caught across the call, and hot reload of
// the helper's body reaching every caller. Constants written as literals are compiled as their
// values, and a reload that changes one still takes effect.

import { describe, expect, it } from "vitest";
import { compileSources, runSources } from "../helpers/ribbon.ts";
import { startHarness } from "../reload/harness.ts";
import { printed, rib } from "./support.ts";

/** The generated JavaScript of function `name` of module `main`. */
function generated(source: string, name: string): string {
  const compiled = compileSources({ main: source });
  const code = compiled.modules.find((module) => module.name === "main")!.code;
  const start = code.indexOf(`function F_${name}(`);
  return code.slice(start, code.indexOf("\n}\n", start));
}

const AGENTS = rib`
  Mode := union { Idle, Chase { speed: f64 } }
  Agent := struct { pos: Vec2, mode: Mode = Mode/Idle, hp: f64 = 10.0 }
  agents := pool Agent

  step-of := fun (a: *'agents Agent, dt: f64) -> Vec2.
      match a.mode.
          Mode/Chase { speed } => vec2 (speed * dt) 0.0
          Mode/Idle => vec2 0.0 0.0

  next-mode := fun (a: *'agents Agent) -> Mode.
      if a.hp < 5.0 then Mode/Idle else Mode/Chase { speed = a.hp }

  hurt := fun (a: *'agents Agent, amount: f64).
      a.hp = a.hp - amount

  init := fun ().
      alloc agents { pos = vec2 0.0 0.0, hp = 10.0 }
      alloc agents { pos = vec2 0.0 5.0, hp = 6.0 }

  update := fun (dt: f64).
      for a in agents.
          a.mode = next-mode a
          a.pos = a.pos + step-of (a, 1.0)
          hurt (a, 1.0)
      for a in agents.
          print (str a.pos.x + " " + str a.hp)
`;

describe("helpers called per element", () => {
  it("are compiled into the loop that calls them", () => {
    const update = generated(AGENTS, "update");
    expect(update).not.toMatch(/F_step\$2d\$of\(|F_next\$2d\$mode\(|F_hurt\(/);
  });

  it("compute what the calls would: vectors, unions and updates through the element", () => {
    const lines = printed(AGENTS, 3, 1);
    // hp 10 → speed 10, 9, 8; hp 6 → speed 6, then 5, then Idle once hp < 5 (4 after tick 2).
    expect(lines).toEqual(["10 9", "6 5", "19 8", "11 4", "27 7", "11 3"]);
  });

  it("evaluate their arguments once, in order, before the body", () => {
    const lines = printed(rib`
      counter : mut = 0
      next := fun (label: Str) -> i32.
          counter = counter + 1
          print (label + " " + str counter)
          counter
      pair := fun (a: i32, b: i32) -> i32.
          print "body"
          a * 10 + b + a
      init := fun ().
          for i in 0 .. 2.
              print (str (pair (next "a", next "b")))
    `);
    expect(lines).toEqual(["a 1", "b 2", "body", "13", "a 3", "b 4", "body", "37"]);
  });

  it("keep their own locals and loops apart from the caller's, also nested in each other", () => {
    const lines = printed(rib`
      count-to := fun (n: i32) -> i32.
          total : mut = 0
          i : mut = 0
          while true.
              i = i + 1
              if i > n then break
              total = total + i
          total
      twice := fun (total: i32) -> i32. count-to (count-to total)
      init := fun ().
          total : mut = 0
          for i in 1 .. 4.
              total = total + twice i
              print (str i + " " + str total)
    `);
    // twice 1 = count-to 1 = 1; twice 2 = count-to 3 = 6; twice 3 = count-to 6 = 21.
    expect(lines).toEqual(["1 1", "2 7", "3 28"]);
  });
});

describe("runtime errors in a helper compiled in place", () => {
  it("name the helper's line and function", () => {
    const outcome = runSources({
      main: rib`
        Item := struct { hp: i32 = 3 }
        items := pool Item

        share := fun (it: *'items Item, ways: i32) -> i32.
            it.hp / ways

        init := fun ().
            alloc items { }
            alloc items { }
            for it in items.
                print (str (share (it, it.hp - 3)))
      `,
    }, 1);
    expect(outcome.errors).toEqual(["main.rib:5:5: integer division by zero"]);
  });

  it("a runaway loop in a helper is stopped by the budget, named after the helper", () => {
    const outcome = runSources({
      main: rib`
        spin := fun (n: i32) -> i32.
            k : mut = n
            while k >= 0.
                k = k + 1
            k
        update := fun (dt: f64).
            for i in 0 .. 3.
                print (str (spin i))
      `,
    }, 1);
    expect(outcome.errors).toEqual(["main.rib:3:5: loop ran past this tick's budget in main/spin: is it stuck?"]);
  });

  it("a helper that frees the element leaves the caller's next use of it caught", () => {
    const outcome = runSources({
      main: rib`
        Item := struct { hp: i32 = 3 }
        items := pool Item

        drop := fun (it: *'items Item).
            if it.hp > 2 then free it

        init := fun ().
            alloc items { }
            for it in items.
                drop it
                print "dropped"
                print (str it.hp)
      `,
    }, 1);
    expect(outcome.lines).toEqual(["dropped"]);
    expect(outcome.errors).toEqual(["main.rib:12:20: use of a freed pointer into pool 'items (module main)"]);
  });

  it("a freed pointer passed in is caught at the helper's line", () => {
    const outcome = runSources({
      main: rib`
        Item := struct { hp: i32 = 3 }
        items := pool Item

        hp-of := fun (it: *'items Item) -> i32. it.hp

        init := fun ().
            a := alloc items { }
            free a
            for i in 0 .. 2.
                print (str (hp-of a))
      `,
    }, 1);
    expect(outcome.errors).toEqual(["main.rib:4:41: use of a freed pointer into pool 'items (module main)"]);
  });
});

describe("hot reload of a helper compiled in place", () => {
  it("changes every caller at the next tick, state kept", () => {
    const source = (factor: string) => rib`
      Item := struct { hp: f64 = 100.0 }
      items := pool Item

      wear := fun (it: *'items Item) -> f64. ${factor}

      init := fun ().
          alloc items { }

      update := fun (dt: f64).
          for it in items.
              it.hp = it.hp - wear it
              print (str it.hp)
    `;
    const h = startHarness({ main: source("1.0") });
    h.step(2);
    expect(h.take()).toEqual(["99", "98"]);
    const report = h.edit(source("it.hp * 0.5"));
    expect(report.outcome).toBe("swapped");
    h.step(2);
    expect(h.take()).toEqual(["49", "24.5"]);
  });
});

describe("constants written as literals", () => {
  const game = (speed: string, centre: string) => rib`
    import tuning
    SPEED := ${speed}
    CENTRE := ${centre}
    x : mut = 0.0

    update := fun (dt: f64).
        x = x + SPEED * tuning/SCALE
        print (str x + " " + str (CENTRE.x + CENTRE.y))
  `;
  const tuning = (scale: string) => rib`
    SCALE := ${scale}
  `;

  it("are compiled as their values, in their own module and in the modules that import them", () => {
    const compiled = compileSources({ main: game("2.0", "vec2 1.0 -3.0"), tuning: tuning("1.0") });
    const whole = compiled.modules.find((module) => module.name === "main")!.code;
    const code = whole.slice(whole.indexOf("function F_update("), whole.indexOf("\n}\n", whole.indexOf("function F_update(")));
    expect(code).not.toContain("C_SPEED");
    expect(code).not.toContain("C_CENTRE");
    expect(code).not.toContain("T_tuning.x_SCALE");
    expect(code).toContain("(2 * 1)");
    expect(code).toContain("(1 + (-3))");
  });

  it("a module a fiber can wait in reads another module's constants from its table, so editing one keeps the fiber", () => {
    const walker = rib`
      import tuning
      steps : mut = 0.0

      walk := fun ().
          while true.
              steps = steps + tuning/STRIDE
              print (str steps)
              wait 0.05

      init := fun ().
          spawn (fun (). walk ())
    `;
    const stride = (value: string) => tuning(value).replace("SCALE", "STRIDE");
    const compiled = compileSources({ walker, tuning: stride("1.0") });
    expect(compiled.modules.find((module) => module.name === "walker")!.code).toContain("T_tuning.x_STRIDE");
    const h = startHarness({ walker, tuning: stride("1.0") });
    h.step(4);
    expect(h.take()).toEqual(["1", "2"]);
    const report = h.edit(stride("10.0"), "tuning");
    expect(report.outcome).toBe("swapped");
    expect(report.modules).toEqual(["tuning"]);
    h.step(6);
    expect(h.take()).toEqual(["12", "22"]);
    expect(h.session.world.fibers).toHaveLength(1);
  });

  it("another module's constant that is not a literal stays a read of that module's table", () => {
    const compiled = compileSources({ main: game("2.0", "vec2 1.0 -3.0"), tuning: tuning("1.0 + 0.5") });
    const code = compiled.modules.find((module) => module.name === "main")!.code;
    expect(code).toContain("(2 * T_tuning.x_SCALE)");
  });

  it("a reload that changes one, here or in the other module, changes behaviour from the next tick", () => {
    const h = startHarness({ main: game("2.0", "vec2 1.0 -3.0"), tuning: tuning("1.0") });
    h.step(2);
    expect(h.take()).toEqual(["2 -2", "4 -2"]);
    expect(h.edit(game("5.0", "vec2 10.0 0.5")).outcome).toBe("swapped");
    h.step(1);
    expect(h.take()).toEqual(["9 10.5"]);
    expect(h.edit(tuning("0.5"), "tuning").outcome).toBe("swapped");
    h.step(1);
    expect(h.take()).toEqual(["11.5 10.5"]);
  });
});

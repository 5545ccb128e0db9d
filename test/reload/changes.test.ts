// HOT-RELOAD.md, "What each change does": one describe per row of the table. Each test runs a
// program, edits it the way a designer would, reloads at a frame boundary and checks what the
// designer sees: the outcome word, the printed lines and the live data that carried over.

import { describe, expect, test } from "vitest";
import { rib, startHarness } from "./harness.ts";

/** The migration skeleton a rejection shows, as the designer would paste it (indentation removed). */
function skeletonIn(details: string): string {
  const lines = details.split("\n");
  const first = lines.findIndex((line) => /-from-v\d+ := fun/.test(line));
  const indent = /^ */.exec(lines[first])![0].length;
  return lines.slice(first, first + 2).map((line) => line.slice(indent)).join("\n");
}

/** Two enemies that lose 1 hp a tick: after 10 ticks they have 90 and 40. */
const ENEMIES = rib`
  Enemy := struct { hp: f64 = 100.0, level: i32 = 1 }
  enemies := pool Enemy

  init := fun ().
      alloc enemies { }
      alloc enemies { hp = 50.0, level = 3 }

  update := fun (dt: f64).
      for e in enemies.
          e.hp = e.hp - 1.0
`;

/** Three agents in union modes; every tick prints what each mode describes: 0, 2.5, 4. */
const MODES = rib`
  Mode := union { Idle, Chase { speed: f64 }, Flee }
  Agent := struct { mode: Mode, hp: f64 = 10.0 }
  agents := pool Agent

  init := fun ().
      alloc agents { mode = Mode/Idle }
      alloc agents { mode = Mode/Chase { speed = 2.5 } }
      alloc agents { mode = Mode/Chase { speed = 4.0 }, hp = 3.0 }

  describe-mode := fun (m: Mode) -> f64.
      match m.
          Mode/Idle => 0.0
          Mode/Chase { speed } => speed
          Mode/Flee => -1.0

  update := fun (dt: f64).
      for a in agents.
          print (describe-mode a.mode)
`;

describe("function body, constant value, new function/constant/import: code swapped, all state kept", () => {
  const v1 = rib`
    Ball := struct { x: f64, v: f64 = 1.0 }
    balls := pool Ball
    ticks : mut = 0
    SPEED := 1.0

    label := fun (n: i32) -> i32.
        n

    init := fun ().
        alloc balls { x = 0.0 }
        alloc balls { x = 10.0, v = 2.0 }

    update := fun (dt: f64).
        ticks = ticks + 1
        for b in balls.
            b.x = b.x + b.v * SPEED
        print (label ticks)
  `;

  test("a new constant value and function body take effect on the next tick; the counter and positions continue", () => {
    const h = startHarness({ main: v1 });
    h.step(3);
    expect(h.take()).toEqual(["1", "2", "3"]);
    expect(h.elements("balls")).toEqual([{ x: 3, v: 1 }, { x: 16, v: 2 }]);

    const report = h.edit(v1.replace("SPEED := 1.0", "SPEED := 10.0").replace("    n\n", "    n * 100\n"));
    expect(report.outcome).toBe("swapped");
    expect(report.modules).toEqual(["main"]);
    expect(h.elements("balls")).toEqual([{ x: 3, v: 1 }, { x: 16, v: 2 }]);

    h.step(2);
    expect(h.take()).toEqual(["400", "500"]);
    expect(h.elements("balls")).toEqual([{ x: 23, v: 1 }, { x: 56, v: 2 }]);
    expect(h.state("ticks")).toBe(5);
  });

  test("a new function, a new constant and a new import are swapped in without touching state", () => {
    const h = startHarness({ main: v1, util: rib`
      triple := fun (n: i32) -> i32.
          n * 3
    ` });
    h.step(2);
    h.take();
    const v2 = `import util\n${v1}\nOFFSET := 1000\n\nshifted := fun (n: i32) -> i32.\n    util/triple n + OFFSET\n`.replace("print (label ticks)", "print (shifted ticks)");
    const report = h.edit(v2);
    expect(report.outcome).toBe("swapped");
    h.step(2);
    expect(h.take()).toEqual(["1009", "1012"]);
    expect(h.elements("balls")).toEqual([{ x: 4, v: 1 }, { x: 18, v: 2 }]);
  });

  test("a reload that changes nothing is a swap that keeps everything", () => {
    const h = startHarness({ main: v1 });
    h.step(4);
    const before = h.hash();
    const report = h.edit(v1);
    expect(report.outcome).toBe("swapped");
    expect(h.hash()).toBe(before);
  });
});

describe("struct field added with a default: the generated migration fills the default", () => {
  test("live values get the default and keep their other fields", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(10);
    const v2 = ENEMIES.replace("level: i32 = 1 }", "level: i32 = 1, armor: f64 = 5.0 }").replace(
      "e.hp = e.hp - 1.0",
      "e.hp = e.hp - 1.0\n        print (e.hp + e.armor)",
    );
    const report = h.edit(v2);
    expect(report.outcome).toBe("migrated");
    expect(report.migrated).toEqual({ enemies: 2 });
    expect(h.elements("enemies")).toEqual([
      { hp: 90, level: 1, armor: 5 },
      { hp: 40, level: 3, armor: 5 },
    ]);
    h.step(1);
    expect(h.take()).toEqual(["94", "44"]);
  });

  test("a default given by a constant expression and a new Vec2 field are filled too", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(1);
    const v2 = ENEMIES.replace("level: i32 = 1 }", "level: i32 = 1, pos: Vec2 = vec2 3.0 4.0, boss: bool = true, speed: f64 = 2.0 * 3.0 }");
    expect(h.edit(v2).outcome).toBe("migrated");
    expect(h.elements("enemies")).toEqual([
      { hp: 99, level: 1, "pos.x": 3, "pos.y": 4, boss: 1, speed: 6 },
      { hp: 49, level: 3, "pos.x": 3, "pos.y": 4, boss: 1, speed: 6 },
    ]);
  });
});

describe("struct field added without a default: reload rejected with a ready-to-paste skeleton", () => {
  /** The new field has no default, so every construction now gives it. */
  const withArmor = ENEMIES.replace("level: i32 = 1 }", "level: i32 = 1, armor: f64 }")
    .replace("alloc enemies { }", "alloc enemies { armor = 1.0 }")
    .replace("hp = 50.0, level = 3 }", "hp = 50.0, level = 3, armor = 1.0 }");

  test("the diagnostic asks for a default or a migration function and the old code keeps running", () => {
    const h = startHarness({ main: ENEMIES.replace("e.hp = e.hp - 1.0", "e.hp = e.hp - 1.0\n        print e.hp") });
    h.step(2);
    expect(h.take()).toEqual(["99", "49", "98", "48"]);
    const report = h.edit(withArmor);
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/armor/);
    expect(report.reason).toMatch(/default/);
    expect(report.reason).toMatch(/migration function/);
    expect(report.details).toContain("enemy-from-v1 := fun (prev: old Enemy) -> Enemy.");
    expect(report.details).toContain("Enemy { hp = prev.hp, level = prev.level, armor = ... }");
    h.step(1);
    expect(h.take()).toEqual(["97", "47"]);
  });

  test("with a migration function the same change is migrated", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(10);
    const v2 = `${withArmor}
enemy-from-v1 := fun (prev: old Enemy) -> Enemy.
    Enemy { hp = prev.hp, level = prev.level, armor = prev.hp / 10.0 }
`;
    const report = h.edit(v2);
    expect(report.outcome).toBe("migrated");
    expect(h.elements("enemies")).toEqual([
      { hp: 90, level: 1, armor: 9 },
      { hp: 40, level: 3, armor: 4 },
    ]);
  });
});

describe("field removed and another added (looks like a rename): rejected unless a migration function exists", () => {
  const renamed = ENEMIES.replace("hp: f64 = 100.0", "health: f64").replace("alloc enemies { }", "alloc enemies { health = 100.0 }").replace(
    "alloc enemies { hp = 50.0, level = 3 }",
    "alloc enemies { health = 50.0, level = 3 }",
  ).replace("e.hp = e.hp - 1.0", "e.health = e.health - 2.0");

  test("without a migration function: rejected, the skeleton carries the old field over", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(10);
    const before = h.hash();
    const report = h.edit(renamed);
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/\bhp\b/);
    expect(report.reason).toMatch(/health/);
    expect(report.details).toContain("enemy-from-v1 := fun (prev: old Enemy) -> Enemy.");
    expect(report.details).toContain("Enemy { health = prev.hp, level = prev.level }");
    expect(report.details).toMatch(/main\.rib:\d+:\d+/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.elements("enemies").map((e) => e.hp)).toEqual([89, 39]);
  });

  test("a field of a union variant renamed (even with a default) is a rename too: rejected, data not silently lost", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    h.take();
    const before = h.hash();
    const paced = MODES.replace("Chase { speed: f64 }", "Chase { pace: f64 = 1.0 }").replace("Chase { speed } => speed", "Chase { pace } => pace").replace(/speed = /g, "pace = ");
    const report = h.edit(paced);
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/Mode\/Chase: field speed was removed and pace added/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.take()).toEqual(["0", "2.5", "4"]);
  });

  test("with the migration function: migrated, the values carry over under the new name", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(10);
    const report = h.edit(`${renamed}
enemy-from-v1 := fun (prev: old Enemy) -> Enemy.
    Enemy { health = prev.hp, level = prev.level }
`);
    expect(report.outcome).toBe("migrated");
    expect(report.migrated).toEqual({ enemies: 2 });
    expect(h.elements("enemies")).toEqual([
      { health: 90, level: 1 },
      { health: 40, level: 3 },
    ]);
    h.step(1);
    expect(h.elements("enemies").map((e) => e.health)).toEqual([88, 38]);
  });

  test("after a rejected rename, the skeleton pasted as suggested makes the next reload migrate", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(3);
    const rejected = h.edit(renamed);
    const report = h.edit(`${renamed}\n${skeletonIn(rejected.details)}\n`);
    expect(report.outcome).toBe("migrated");
    expect(h.elements("enemies").map((e) => e.health)).toEqual([97, 47]);
  });
});

describe("field removed: generated migration drops it, reported as a warning with the count of values dropped", () => {
  test("the warning names the field and how many live values lost it; the rest carries over", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(10);
    const report = h.edit(ENEMIES.replace("hp: f64 = 100.0, level: i32 = 1", "hp: f64 = 100.0").replace("hp = 50.0, level = 3", "hp = 50.0"));
    expect(report.outcome).toBe("migrated");
    expect(report.migrated).toEqual({ enemies: 2 });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/Enemy\.level/);
    expect(report.warnings[0]).toMatch(/\b2 live values\b/);
    expect(h.elements("enemies")).toEqual([{ hp: 90 }, { hp: 40 }]);
  });

  test("a field removed from a union variant counts only the values in that variant", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    h.take();
    const report = h.edit(MODES.replace("Chase { speed: f64 }", "Chase").replace(/Mode\/Chase \{ speed = [0-9.]+ \}/g, "Mode/Chase").replace("Mode/Chase { speed } => speed", "Mode/Chase => 7.0"));
    expect(report.outcome).toBe("migrated");
    expect(report.warnings).toEqual([expect.stringMatching(/Mode\/Chase\.speed.*\b2 live values\b/)]);
    h.step(1);
    expect(h.take()).toEqual(["0", "7", "7"]);
  });
});

describe("field type widened (i32 to f64): the generated migration converts", () => {
  test("integer values become the same floating-point values and keep counting", () => {
    const v1 = rib`
      Unit := struct { score: i32, name: Str }
      units := pool Unit
      init := fun ().
          alloc units { score = 7, name = "a" }
          alloc units { score = -3, name = "b" }
      update := fun (dt: f64).
          for u in units.
              u.score = u.score + 2
    `;
    const h = startHarness({ main: v1 });
    h.step(5);
    expect(h.elements("units")).toEqual([{ score: 17, name: "a" }, { score: 7, name: "b" }]);
    const v2 = v1.replace("score: i32", "score: f64").replace("score = 7", "score = 7.0").replace("score = -3", "score = -3.0").replace(
      "u.score = u.score + 2",
      "u.score = u.score + 0.5\n        print u.score",
    );
    const report = h.edit(v2);
    expect(report.outcome).toBe("migrated");
    expect(report.migrated).toEqual({ units: 2 });
    h.step(1);
    expect(h.take()).toEqual(["17.5", "7.5"]);
  });
});

describe("any other field type change needs a migration function", () => {
  const v1 = rib`
    Light := struct { power: f64 = 1.0 }
    lights := pool Light
    init := fun ().
        alloc lights { power = 0.25 }
        alloc lights { power = 3.0 }
  `;
  const toBool = v1.replace("power: f64 = 1.0", "power: bool = false").replace("power = 0.25", "power = false").replace("power = 3.0", "power = true");

  test("f64 to bool without a migration function: rejected naming the field, nothing changes", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    const before = h.hash();
    const report = h.edit(toBool);
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/power/);
    expect(report.reason).toMatch(/migration function/);
    expect(report.details).toContain("light-from-v1 := fun (prev: old Light) -> Light.");
    expect(h.hash()).toBe(before);
    expect(h.elements("lights")).toEqual([{ power: 0.25 }, { power: 3 }]);
  });

  test("f64 to bool with a migration function: migrated through it", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    const report = h.edit(`${toBool}
light-from-v1 := fun (prev: old Light) -> Light.
    Light { power = prev.power > 1.0 }

update := fun (dt: f64).
    for l in lights.
        print l.power
`);
    expect(report.outcome).toBe("migrated");
    h.step(1);
    expect(h.take()).toEqual(["false", "true"]);
  });
});

describe("union variant added: generated", () => {
  test("live values keep their variant and fields when a variant is added before them", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    expect(h.take()).toEqual(["0", "2.5", "4"]);
    const v2 = MODES.replace("union { Idle, Chase", "union { Idle, Patrol { lap: i32 }, Chase").replace(
      "Mode/Idle => 0.0",
      "Mode/Idle => 0.0\n        Mode/Patrol { lap } => 100.0",
    );
    const report = h.edit(v2);
    expect(report.outcome).toBe("migrated");
    expect(report.migrated).toEqual({ agents: 3 });
    h.step(1);
    expect(h.take()).toEqual(["0", "2.5", "4"]);
    expect(h.elements("agents").map((a) => a.hp)).toEqual([10, 10, 3]);
  });
});

describe("union variant removed: generated if no live value uses it, otherwise needs a migration function", () => {
  const withoutFlee = MODES.replace("Chase { speed: f64 }, Flee }", "Chase { speed: f64 } }").replace("\n        Mode/Flee => -1.0", "");
  const withoutChase = MODES.replace("Chase { speed: f64 }, Flee }", "Flee }")
    .replace("alloc agents { mode = Mode/Chase { speed = 2.5 } }", "alloc agents { mode = Mode/Flee }")
    .replace("alloc agents { mode = Mode/Chase { speed = 4.0 }, hp = 3.0 }", "alloc agents { mode = Mode/Flee, hp = 3.0 }")
    .replace("\n        Mode/Chase { speed } => speed", "");

  test("a variant no live value uses is removed by the generated migration", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    h.take();
    const report = h.edit(withoutFlee);
    expect(report.outcome).toBe("migrated");
    h.step(1);
    expect(h.take()).toEqual(["0", "2.5", "4"]);
  });

  test("a variant live values still use: rejected, naming how many values use it; old code keeps running", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    h.take();
    const before = h.hash();
    const report = h.edit(withoutChase);
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/Mode\/Chase/);
    expect(report.reason).toMatch(/\b2 live values\b/);
    expect(report.reason).toMatch(/migration function/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.take()).toEqual(["0", "2.5", "4"]);
  });

  test("with a migration function for the struct holding it, live values are converted", () => {
    const h = startHarness({ main: MODES });
    h.step(1);
    h.take();
    const report = h.edit(`${withoutChase}
agent-from-v1 := fun (prev: old Agent) -> Agent.
    Agent { mode = Mode/Flee, hp = prev.hp }
`);
    expect(report.outcome).toBe("migrated");
    h.step(1);
    expect(h.take()).toEqual(["-1", "-1", "-1"]);
    expect(h.elements("agents").map((a) => a.hp)).toEqual([10, 10, 3]);
  });
});

describe("pool added / removed: empty pool created / pool dropped with a warning", () => {
  test("a new pool starts empty and can be used at once; existing pools keep their elements", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(2);
    const v2 = `${ENEMIES.replace("e.hp = e.hp - 1.0", "e.hp = e.hp - 1.0\n        alloc sparks { life = e.hp }")}
Spark := struct { life: f64 }
sparks := pool Spark
`;
    const report = h.edit(v2);
    expect(report.outcome).toBe("swapped");
    expect(report.reason).toMatch(/pool sparks starts empty/);
    expect(h.elements("sparks")).toEqual([]);
    expect(h.elements("enemies").map((e) => e.hp)).toEqual([98, 48]);
    h.step(1);
    expect(h.elements("sparks")).toEqual([{ life: 97 }, { life: 47 }]);
  });

  test("a removed pool is dropped and reported as a warning naming it", () => {
    const v1 = `${ENEMIES}
Spark := struct { life: f64 }
sparks := pool Spark
`.replace("alloc enemies { }", "alloc enemies { }\n    alloc sparks { life = 1.0 }");
    const h = startHarness({ main: v1 });
    h.step(2);
    expect(h.elements("sparks")).toHaveLength(1);
    const report = h.edit(ENEMIES);
    expect(report.outcome).toBe("swapped");
    expect(report.warnings).toEqual([expect.stringMatching(/pool sparks was removed/)]);
    expect(h.session.world.byName.main.pools).not.toHaveProperty("p_sparks");
    expect(h.elements("enemies").map((e) => e.hp)).toEqual([98, 48]);
  });
});

describe("module mut binding: value kept; a changed initializer is reported, not applied", () => {
  test("the running value survives a reload that changes its initializer, and the report says so", () => {
    const v1 = rib`
      score : mut = 0
      update := fun (dt: f64).
          score = score + 1
          print score
    `;
    const h = startHarness({ main: v1 });
    h.step(3);
    h.take();
    const report = h.edit(v1.replace("score : mut = 0", "score : mut = 500"));
    expect(report.outcome).toBe("swapped");
    expect(`${report.reason}\n${report.warnings.join("\n")}`).toMatch(/score/);
    expect(`${report.reason}\n${report.warnings.join("\n")}`).toMatch(/initializer/);
    h.step(1);
    expect(h.take()).toEqual(["4"]);
  });
});

describe("new module mut binding: starts from its initializer; the reload still counts as swapped", () => {
  test("a new binding starts from its initializer while the old one keeps its value", () => {
    const v1 = rib`
      score : mut = 0
      update := fun (dt: f64).
          score = score + 1
    `;
    const h = startHarness({ main: v1 });
    h.step(3);
    const report = h.edit(rib`
      score : mut = 0
      bonus : mut = 40
      update := fun (dt: f64).
          score = score + 1
          bonus = bonus + 1
          print (score + bonus)
    `);
    expect(report.outcome).toBe("swapped");
    h.step(1);
    expect(h.take()).toEqual(["45"]);
  });
});

// HOT-RELOAD.md outside the table: when a reload happens (frame boundary, the reload set swaps
// all together), the migration as the `hot/Reload` effect (the game's policy), the fallback
// ladder, and the report every reload produces.

import { describe, expect, test } from "vitest";
import { formatReportLine, type ReloadOutcome } from "../../engine/reload/report.ts";
import { rib, startHarness } from "./harness.ts";

const SHAPES = rib`
  Body := struct { x: f64, mass: f64 = 1.0 }
  GRAVITY := 1.0
`;
const PHYSICS = rib`
  import shapes
  bodies := pool shapes/Body
  init := fun ().
      alloc bodies { x = 0.0 }
      alloc bodies { x = 5.0, mass = 2.0 }
  update := fun (dt: f64).
      for b in bodies.
          b.x = b.x + shapes/GRAVITY
          print b.x
`;

describe("when it happens: at a frame boundary, every module of the reload or none", () => {
  test("the reload applies between two ticks: the tick count does not move and the next tick runs the new code", () => {
    const h = startHarness({ physics: PHYSICS, shapes: SHAPES });
    h.step(3);
    h.take();
    const report = h.edit(SHAPES.replace("GRAVITY := 1.0", "GRAVITY := 10.0"), "shapes");
    expect(report.tick).toBe(3);
    expect(h.session.world.tick).toBe(3);
    expect(h.take()).toEqual([]);
    h.step(1);
    expect(h.take()).toEqual(["13", "18"]);
  });

  test("editing a module another one imports reloads both together: its constant and the importer's pool migrate at once", () => {
    const h = startHarness({ physics: PHYSICS, shapes: SHAPES });
    h.step(1);
    h.take();
    const report = h.edit(SHAPES.replace("mass: f64 = 1.0", "mass: f64 = 1.0, spin: f64 = 3.0").replace("GRAVITY := 1.0", "GRAVITY := 10.0"), "shapes");
    expect(report.outcome).toBe("migrated");
    expect(report.modules).toEqual(["shapes", "physics"]);
    expect(report.migrated).toEqual({ bodies: 2 });
    expect(h.elements("bodies", "physics")).toEqual([
      { x: 1, mass: 1, spin: 3 },
      { x: 6, mass: 2, spin: 3 },
    ]);
    h.step(1);
    expect(h.take()).toEqual(["11", "16"]);
  });

  test("an edit that breaks an importer is rejected as a whole: the edited module keeps its old code too", () => {
    const h = startHarness({ physics: PHYSICS, shapes: SHAPES });
    h.step(1);
    h.take();
    const report = h.edit(SHAPES.replace("GRAVITY := 1.0", "GRAVITY := 10"), "shapes");
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/^physics\.rib:\d+:\d+: /);
    expect(report.modules).toEqual(["shapes", "physics"]);
    h.step(1);
    expect(h.take()).toEqual(["2", "7"]);
  });

  test("a field added without a default in one module rejects the whole reload, including the other module's new code", () => {
    const h = startHarness({ physics: PHYSICS, shapes: SHAPES });
    h.step(1);
    h.take();
    const report = h.edit(SHAPES.replace("mass: f64 = 1.0", "mass: f64 = 1.0, spin: f64").replace("GRAVITY := 1.0", "GRAVITY := 10.0"), "shapes");
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/spin/);
    h.step(1);
    expect(h.take()).toEqual(["2", "7"]);
  });
});

describe("the migration as an effect: the game's hot/Reload handler decides per module", () => {
  const AI = rib`
    thoughts : mut = 0
    update := fun (dt: f64).
        thoughts = thoughts + 100
  `;
  /** Prints every plan it is asked about, then applies `decision` (a Ribbon expression). */
  const mainWith = (decision: string) => rib`
    import hot
    import ai
    Foe := struct { hp: f64 = 1.0 }
    foes := pool Foe
    ticks : mut = 0

    reload-policy := handler hot/Reload.
        migrate plan =>
            print plan.module
            print plan.from-version
            print plan.to-version
            print plan.live-values
            ${decision}

    init := fun ().
        alloc foes { }
        alloc foes { }

    update := fun (dt: f64).
        ticks = ticks + 1
        for f in foes.
            f.hp = f.hp + 1.0
        print (ticks + ai/thoughts)
  `;
  const resetMain = mainWith('if plan.module == "main" then hot/reset else hot/auto');

  test("hot/reset for one module: only that module's state starts fresh, the others keep theirs", () => {
    const h = startHarness({ main: resetMain, ai: AI });
    h.step(2);
    expect(h.take()).toEqual(["101", "202"]);
    h.sources.ai = AI.replace("+ 100", "+ 1000");
    const report = h.edit(resetMain.replace("hp: f64 = 1.0", "hp: f64 = 1.0, x: f64 = 0.0"));
    expect(report.outcome).toBe("reset");
    expect(report.modules).toEqual(["ai", "main"]);
    expect(report.reason).toMatch(/main reset by the game's reload policy/);
    // Asked once per reloading module, with the plan's module, versions and live values.
    expect(h.take()).toEqual(["ai", "1", "2", "0", "main", "1", "2", "2"]);
    // main starts over (state from initializers, init ran again); ai kept its 200.
    expect(h.state("ticks")).toBe(0);
    expect(h.elements("foes")).toEqual([{ hp: 1, x: 0 }, { hp: 1, x: 0 }]);
    expect(h.state("thoughts", "ai")).toBe(200);
    h.step(1);
    expect(h.take()).toEqual(["1201"]);
  });

  test("hot/reset gets past a change the generated migration cannot handle: the module starts fresh with the new type", () => {
    const h = startHarness({ main: resetMain, ai: AI });
    h.step(2);
    h.take();
    const report = h.edit(resetMain.replace("hp: f64 = 1.0", "health: f64").replace(/alloc foes \{ \}/g, "alloc foes { health = 7.0 }").replace("f.hp = f.hp + 1.0", "f.health = f.health + 1.0"));
    expect(report.outcome).toBe("reset");
    expect(h.elements("foes")).toEqual([{ health: 7 }, { health: 7 }]);
    expect(h.state("thoughts", "ai")).toBe(200);
  });

  test("hot/auto on the same change is rejected with the skeleton, as without a policy", () => {
    const auto = mainWith("hot/auto");
    const h = startHarness({ main: auto, ai: AI });
    h.step(2);
    const before = h.hash();
    const report = h.edit(auto.replace("hp: f64 = 1.0", "health: f64").replace(/alloc foes \{ \}/g, "alloc foes { health = 7.0 }").replace("f.hp = f.hp + 1.0", "f.health = f.health + 1.0"));
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/field hp was removed and health added/);
    expect(report.details).toContain("foe-from-v1 := fun (prev: old Foe) -> Foe.");
    expect(h.hash()).toBe(before);
  });

  test("hot/auto applies the generated migration", () => {
    const auto = mainWith("hot/auto");
    const h = startHarness({ main: auto, ai: AI });
    h.step(2);
    h.take();
    const report = h.edit(auto.replace("hp: f64 = 1.0", "hp: f64 = 1.0, x: f64 = 0.0"));
    expect(report.outcome).toBe("migrated");
    expect(h.take()).toEqual(["main", "1", "2", "2"]);
    expect(h.elements("foes")).toEqual([{ hp: 3, x: 0 }, { hp: 3, x: 0 }]);
    expect(h.state("ticks")).toBe(2);
  });

  test("a policy that cancels refuses the reload: rejected, nothing changes", () => {
    const refuse = mainWith('if plan.module == "ai" then cancel hot/auto else hot/auto');
    const h = startHarness({ main: refuse, ai: AI });
    h.step(2);
    h.take();
    const before = h.hash();
    const report = h.edit(AI.replace("+ 100", "+ 1"), "ai");
    expect(report.outcome).toBe("rejected");
    expect(report.modules).toEqual(["ai"]);
    expect(report.reason).toMatch(/reload policy refused the reload of ai/);
    expect(h.hash()).toBe(before);
    h.take();
    h.step(1);
    expect(h.take()).toEqual(["303"]);
  });

  test("a policy that fails rejects the reload with the error", () => {
    const failing = mainWith("if 1 / (plan.live-values - 2) == 0 then hot/auto else hot/auto");
    const h = startHarness({ main: failing, ai: AI });
    h.step(1);
    const before = h.hash();
    const report = h.edit(failing.replace("ticks + 1", "ticks + 2"));
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/reload policy failed: .*division by zero/);
    expect(h.hash()).toBe(before);
  });
});

// Rungs 1 (hot swap) and 2 (module reset) are covered above and in changes.test.ts.
describe("the fallback ladder", () => {
  test("3. fast restart: the same world object starts over with the new code, compiled code is cached, not piled up", () => {
    const v1 = rib`
      ticks : mut = 0
      waiter := fun ().
          wait 100.0
      init := fun ().
          spawn (fun (). waiter ())
      update := fun (dt: f64).
          ticks = ticks + 1
    `;
    const h = startHarness({ main: v1 });
    const world = h.session.world;
    h.step(5);
    const report = h.edit(v1.replace("ticks + 1", "ticks + 2"));
    expect(report.outcome).toBe("restarted");
    expect(h.session.world).toBe(world);
    expect(world.tick).toBe(0);
    expect(world.factories.size).toBe(2);
    h.step(1);
    expect(h.state("ticks")).toBe(2);
  });
});

describe("every reload is reported: modules, outcome, why, entities migrated per pool, time per phase", () => {
  const ENEMIES = rib`
    Enemy := struct { hp: f64 = 100.0 }
    enemies := pool Enemy
    init := fun ().
        alloc enemies { }
        alloc enemies { hp = 50.0 }
    update := fun (dt: f64).
        for e in enemies.
            e.hp = e.hp - 1.0
  `;

  test("each outcome word comes with modules, a reason and the four timings", () => {
    let clock = 0;
    const h = startHarness({ main: ENEMIES }, { now: () => (clock += 1.5) });
    h.step(1);
    const edits: Array<[string, ReloadOutcome]> = [
      [ENEMIES.replace("e.hp - 1.0", "e.hp - 2.0"), "swapped"],
      [ENEMIES.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64 = 1.0"), "migrated"],
      [ENEMIES.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64"), "rejected"],
      [ENEMIES.replace("e.hp - 1.0", "e.hp - "), "rejected"],
    ];
    for (const [source, outcome] of edits) {
      const report = h.edit(source);
      expect(report.outcome).toBe(outcome);
      expect(report.modules).toEqual(["main"]);
      expect(report.reason).not.toBe("");
      expect(report.timings.compile).toBeGreaterThan(0);
      if (outcome !== "rejected") {
        expect(report.timings.plan).toBeGreaterThan(0);
        expect(report.timings.migrate).toBeGreaterThan(0);
        expect(report.timings.commit).toBeGreaterThan(0);
      }
    }
    expect(h.reports.map((report) => report.outcome)).toEqual(["swapped", "migrated", "rejected", "rejected"]);
    expect(h.reports[1].migrated).toEqual({ enemies: 2 });
  });

  test("the terminal line has the modules, the outcome word, the reason, entities per pool and each phase's time", () => {
    let clock = 0;
    const h = startHarness({ main: ENEMIES }, { now: () => (clock += 1) });
    h.step(1);
    const report = h.edit(ENEMIES.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64 = 1.0"));
    const [line, ...rest] = formatReportLine(report).split("\n");
    expect(rest).toEqual([]);
    expect(line).toMatch(/^\[reload\] main: migrated · /);
    expect(line).toContain("field-added Enemy.armor: f64");
    expect(line).toContain("enemies 2 migrated");
    expect(line).toMatch(/compile \d+\.\d ms, plan \d+\.\d ms, migrate \d+\.\d ms, commit \d+\.\d ms$/);
  });

  test("warnings follow the line", () => {
    const h = startHarness({ main: ENEMIES.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64 = 1.0") });
    const report = h.edit(ENEMIES);
    expect(report.outcome).toBe("migrated");
    expect(formatReportLine(report).split("\n")).toEqual([
      expect.stringMatching(/^\[reload\] main: migrated · field-removed Enemy\.armor/),
      "  warning: field Enemy.armor was removed: dropped from 2 live values of pool enemies",
    ]);
  });

  test("a probation rollback is reported through onReport with the same facts", () => {
    const h = startHarness({ main: ENEMIES });
    h.step(1);
    h.edit(ENEMIES.replace("e.hp = e.hp - 1.0", "e.hp = e.hp - 1.0\n        print (1 / 0)"));
    h.step(1);
    const rolledBack = h.reports[1];
    expect(rolledBack.outcome).toBe("rolled-back");
    expect(rolledBack.modules).toEqual(["main"]);
    expect(rolledBack.reason).toMatch(/failed during probation/);
    expect(formatReportLine(rolledBack)).toMatch(/^\[reload\] main: rolled-back · /);
  });
});

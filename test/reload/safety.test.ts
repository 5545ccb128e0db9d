// HOT-RELOAD.md, the rows where a reload cannot simply swap: a suspended fiber in a reloading
// module, errors in the new code, migration functions that fail or cancel, and new code that
// throws in its first frames (probation). In every case the game keeps running.

import { describe, expect, test } from "vitest";
import { rib, startHarness } from "./harness.ts";

describe("a suspended fiber has a frame in a reloading module: migration aborted, then the fast-restart fallback", () => {
  const v1 = rib`
    Enemy := struct { hp: f64 = 10.0 }
    enemies := pool Enemy
    ticks : mut = 0

    patrol := fun ().
        print "patrol v1"
        wait 10.0
        print "patrol v1 done"

    init := fun ().
        alloc enemies { }
        spawn (fun (). patrol ())

    update := fun (dt: f64).
        ticks = ticks + 1
  `;

  test("the world restarts from its initial state with the new code", () => {
    const h = startHarness({ main: v1 });
    h.step(30);
    expect(h.take()).toEqual(["patrol v1"]);
    expect(h.session.world.fibers).toHaveLength(1);
    const report = h.edit(v1.replace('print "patrol v1"', 'print "patrol v2"').replace("ticks + 1", "ticks + 10"));
    expect(report.outcome).toBe("restarted");
    expect(report.modules).toEqual(["main"]);
    expect(report.reason).toMatch(/suspended fiber/);
    expect(report.reason).toMatch(/main/);
    // Fresh start: tick 0, state from initializers, init ran again with the new code.
    expect(h.session.world.tick).toBe(0);
    expect(h.state("ticks")).toBe(0);
    h.step(2);
    expect(h.take()).toEqual(["patrol v2"]);
    expect(h.state("ticks")).toBe(20);
    expect(h.elements("enemies")).toEqual([{ hp: 10 }]);
    expect(h.session.world.fibers).toHaveLength(1);
  });

  test("a restart needs no migration: even a rename without a migration function restarts, pools start from init", () => {
    const h = startHarness({ main: v1 });
    h.step(5);
    h.take();
    const report = h.edit(v1.replace("hp: f64 = 10.0", "life: f64, armor: f64 = 2.0").replace("alloc enemies { }", "alloc enemies { life = 3.0 }"));
    expect(report.outcome).toBe("restarted");
    expect(h.elements("enemies")).toEqual([{ life: 3, armor: 2 }]);
  });

  test("a syntax error is still rejected first: the fiber and the old code keep running", () => {
    const h = startHarness({ main: v1 });
    h.step(5);
    const report = h.edit(v1.replace("ticks + 1", "ticks +"));
    expect(report.outcome).toBe("rejected");
    expect(h.session.world.tick).toBe(5);
    h.step(600);
    expect(h.take()).toEqual(["patrol v1", "patrol v1 done"]);
  });

  test("a fiber whose frames are all in modules outside the reload set does not stop a swap", () => {
    const cutscene = rib`
      scene := fun ().
          print "scene start"
          wait 1.0
          print "scene end"

      start := fun ().
          spawn (fun (). scene ())
    `;
    const main = rib`
      import cutscene
      ticks : mut = 0
      init := fun ().
          cutscene/start ()
      update := fun (dt: f64).
          ticks = ticks + 1
    `;
    const h = startHarness({ main, cutscene });
    h.step(10);
    expect(h.take()).toEqual(["scene start"]);
    const report = h.edit(main.replace("ticks + 1", "ticks + 2"));
    expect(report.outcome).toBe("swapped");
    h.step(60);
    expect(h.take()).toEqual(["scene end"]);
    expect(h.state("ticks")).toBe(10 + 120);
  });
});

describe("syntax or type error anywhere in the reload set: rejected, errors with code frames, the old code keeps running", () => {
  const v1 = rib`
    ticks : mut = 0
    update := fun (dt: f64).
        ticks = ticks + 1
        print ticks
  `;

  test("a syntax error: rejected with file:line:col and a code frame; printing continues with the old code", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    const before = h.hash();
    const report = h.edit(v1.replace("ticks + 1", "ticks + (1"));
    expect(report.outcome).toBe("rejected");
    expect(report.modules).toEqual(["main"]);
    expect(report.reason).toMatch(/^main\.rib:3:\d+: /);
    expect(report.details).toMatch(/main\.rib:3:\d+: error/);
    expect(report.details).toContain("> 3 |     ticks = ticks + (1");
    expect(h.hash()).toBe(before);
    h.step(2);
    expect(h.take()).toEqual(["1", "2", "3", "4"]);
  });

  test("a type error: rejected the same way", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    const report = h.edit(v1.replace("ticks + 1", "ticks + 1.5"));
    expect(report.outcome).toBe("rejected");
    expect(report.reason).toMatch(/^main\.rib:3:13: .*i32.*f64/);
    expect(report.details).toContain("> 3 |     ticks = ticks + 1.5");
    h.step(1);
    expect(h.take()).toEqual(["1", "2", "3"]);
  });

  test("an error in one module of a multi-module reload: no module swaps, not even the one without errors", () => {
    const util = rib`
      step := fun () -> i32.
          1
    `;
    const main = rib`
      import util
      ticks : mut = 0
      update := fun (dt: f64).
          ticks = ticks + util/step ()
          print ticks
    `;
    const h = startHarness({ main, util });
    h.step(1);
    h.sources.util = util.replace("    1", "    100");
    const report = h.edit(main.replace("print ticks", "print (ticks +)"));
    expect(report.outcome).toBe("rejected");
    expect(report.modules).toEqual(["util", "main"]);
    h.step(1);
    expect(h.take()).toEqual(["1", "2"]);
    // Fixing the error applies both edits together.
    expect(h.edit(main.replace("print ticks", "print (ticks * 10)")).outcome).toBe("swapped");
    h.step(1);
    expect(h.take()).toEqual(["1020"]);
  });

  test("after a rejection, the next good edit is planned against the code that is running", () => {
    const h = startHarness({ main: v1 });
    h.step(1);
    expect(h.edit(v1.replace("ticks + 1", "ticks + (1")).outcome).toBe("rejected");
    expect(h.edit(v1.replace("ticks + 1", "ticks + 5")).outcome).toBe("swapped");
    h.step(1);
    expect(h.take()).toEqual(["1", "6"]);
  });
});

describe("a migration function fails or cancels: whole reload rolled back, old code and state untouched", () => {
  const v1 = rib`
    Enemy := struct { hp: i32 = 100 }
    enemies := pool Enemy
    ticks : mut = 0

    init := fun ().
        alloc enemies { }
        alloc enemies { hp = 2 }

    update := fun (dt: f64).
        ticks = ticks + 1
        for e in enemies.
            e.hp = e.hp - 1
        print ticks
  `;
  /** `hp` renamed to `health`: needs a migration function, given in each test. */
  const renamed = (migration: string) =>
    `${v1
      .replace("hp: i32 = 100", "health: i32")
      .replace("alloc enemies { }", "alloc enemies { health = 1 }")
      .replace("hp = 2", "health = 0")
      .replace("e.hp = e.hp - 1", "e.health = e.health - 1")
      .replace("print ticks", "print (ticks * 1000)")}\nenemy-from-v1 := fun (prev: old Enemy) -> Enemy.\n    ${migration}\n`;

  test("integer division by zero inside the migration function: rolled back, world hash unchanged", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    h.take();
    expect(h.elements("enemies")).toEqual([{ hp: 98 }, { hp: 0 }]);
    const before = h.hash();
    const report = h.edit(renamed("Enemy { health = 100 / prev.hp }"));
    expect(report.outcome).toBe("rolled-back");
    expect(report.reason).toMatch(/enemy-from-v1/);
    expect(report.reason).toMatch(/division by zero/);
    expect(report.reason).toMatch(/main\.rib:\d+:\d+/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.take()).toEqual(["3"]);
    expect(h.elements("enemies")).toEqual([{ hp: 97 }, { hp: -1 }]);
  });

  test("a migration function that cancels: rolled back, world hash unchanged", () => {
    const h = startHarness({ main: v1 });
    h.step(2);
    h.take();
    const before = h.hash();
    const report = h.edit(renamed("if prev.hp < 1 then cancel () else Enemy { health = prev.hp }"));
    expect(report.outcome).toBe("rolled-back");
    expect(report.reason).toMatch(/enemy-from-v1 cancelled/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.take()).toEqual(["3"]);
  });

  test("a failing migration function for a module mut binding rolls back too", () => {
    const stats = rib`
      Stats := struct { kills: i32 }
      stats : mut = Stats { kills = 0 }
      update := fun (dt: f64).
          stats.kills = stats.kills + 1
          print stats.kills
    `;
    const h = startHarness({ main: stats });
    h.step(2);
    h.take();
    const before = h.hash();
    const scored = (body: string) => rib`
      Stats := struct { score: i32 }
      stats : mut = Stats { score = 0 }
      stats-from-v1 := fun (prev: old Stats) -> Stats.
          Stats { score = ${body} }
      update := fun (dt: f64).
          print stats.score
    `;
    const report = h.edit(scored("10 / (prev.kills - 2)"));
    expect(report.outcome).toBe("rolled-back");
    expect(report.reason).toMatch(/stats-from-v1 failed: main\.rib:4:\d+: integer division by zero/);
    expect(h.hash()).toBe(before);
    h.step(1);
    expect(h.take()).toEqual(["3"]);
    // The same binding with a working migration function carries the value over.
    expect(h.edit(scored("10 * prev.kills")).outcome).toBe("migrated");
    h.step(1);
    expect(h.take()).toEqual(["30"]);
  });

  test("a failing migration in one module rolls back the whole multi-module reload", () => {
    const shapes = rib`
      Body := struct { x: i32, mass: i32 = 1 }
      GRAVITY := 1
    `;
    const physics = rib`
      import shapes
      bodies := pool shapes/Body
      init := fun ().
          alloc bodies { x = 0 }
          alloc bodies { x = 5 }
      update := fun (dt: f64).
          for b in bodies.
              b.x = b.x + shapes/GRAVITY
              print b.x
    `;
    const h = startHarness({ physics, shapes });
    h.step(1);
    expect(h.take()).toEqual(["1", "6"]);
    const before = h.hash();
    const report = h.edit(
      `${shapes.replace("mass: i32 = 1", "weight: i32 = 1").replace("GRAVITY := 1", "GRAVITY := 100")}\nbody-from-v1 := fun (prev: old Body) -> Body.\n    Body { x = prev.x, weight = prev.mass * 10 / (prev.x - 6) }\n`,
      "shapes",
    );
    expect(report.outcome).toBe("rolled-back");
    expect(report.modules).toEqual(["shapes", "physics"]);
    expect(h.hash()).toBe(before);
    h.step(1);
    // GRAVITY is still 1: the constant of the module whose own data did not fail is not swapped either.
    expect(h.take()).toEqual(["2", "7"]);
  });
});

describe("new code throws in its first frames: automatic rollback to the pre-reload snapshot and old code", () => {
  const v1 = rib`
    Enemy := struct { hp: f64 = 100.0 }
    enemies := pool Enemy
    ticks : mut = 0

    init := fun ().
        alloc enemies { }

    update := fun (dt: f64).
        ticks = ticks + 1
        for e in enemies.
            e.hp = e.hp - 1.0
        print ticks
  `;
  /** Adds a field (so the reload migrates data) and divides by zero on the tick where ticks reaches `at`. */
  const failingAt = (at: number) =>
    v1.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64 = 1.0").replace("print ticks", `print (1000 / (ticks - ${at}))`);

  test("an error during probation rolls back: onReport gets rolled-back, the world is at the pre-reload state, old code runs", () => {
    const h = startHarness({ main: v1 });
    h.step(10);
    h.take();
    const before = h.hash();
    const report = h.edit(failingAt(12));
    expect(report.outcome).toBe("migrated");
    h.step(1);
    expect(h.take()).toEqual(["-1000"]);
    expect(h.reports.map((r) => r.outcome)).toEqual(["migrated"]);

    h.step(1); // ticks reaches 12: division by zero in the new code
    expect(h.reports.map((r) => r.outcome)).toEqual(["migrated", "rolled-back"]);
    const rolledBack = h.reports[1];
    expect(rolledBack.modules).toEqual(["main"]);
    expect(rolledBack.reason).toMatch(/division by zero/);
    expect(rolledBack.reason).toMatch(/main\.rib:\d+:\d+/);
    expect(h.host.errors.map((error) => error.message)).toEqual([expect.stringMatching(/division by zero/)]);
    expect(h.hash()).toBe(before);
    expect(h.session.world.tick).toBe(10);
    expect(h.elements("enemies")).toEqual([{ hp: 90 }]);

    h.step(3);
    expect(h.take()).toEqual(["11", "12", "13"]);
    expect(h.elements("enemies")).toEqual([{ hp: 87 }]);
  });

  test("after a rollback the world continues exactly as if the reload had never happened", () => {
    const h = startHarness({ main: v1 });
    const reference = startHarness({ main: v1 });
    h.step(10);
    h.edit(failingAt(13));
    h.step(5); // two good ticks, then the failing one rolls back; then two more ticks of old code
    reference.step(12);
    expect(h.session.world.tick).toBe(12);
    expect(h.hash()).toBe(reference.hash());
  });

  test("a rollback restores the running program, so the next edit is planned against the old version", () => {
    const h = startHarness({ main: v1 });
    h.step(10);
    h.edit(failingAt(11));
    h.step(1);
    expect(h.reports.map((r) => r.outcome)).toEqual(["migrated", "rolled-back"]);
    // Against the old version this is again a field addition (not "nothing changed").
    const report = h.edit(v1.replace("hp: f64 = 100.0", "hp: f64 = 100.0, armor: f64 = 1.0"));
    expect(report.outcome).toBe("migrated");
    expect(h.elements("enemies")).toEqual([{ hp: 90, armor: 1 }]);
  });

  test("an error in a fiber spawned by the new code also rolls back", () => {
    const h = startHarness({ main: v1 });
    h.step(5);
    h.take();
    const before = h.hash();
    const v2 = v1.replace("print ticks", "print ticks\n    if ticks == 7 then spawn (fun (). print (1 / (ticks - 7)))");
    expect(h.edit(v2).outcome).toBe("swapped");
    h.step(2);
    expect(h.reports.map((r) => r.outcome)).toEqual(["swapped", "rolled-back"]);
    expect(h.hash()).toBe(before);
    expect(h.session.world.fibers).toHaveLength(0);
  });

  test("probation is configurable: an error after it ends halts the module instead of rolling back", () => {
    const h = startHarness({ main: v1 }, { probationTicks: 3 });
    h.step(10);
    h.take();
    h.edit(failingAt(14)); // ticks 11, 12, 13 are the probation; 14 fails after it
    h.step(5);
    expect(h.reports.map((r) => r.outcome)).toEqual(["migrated"]);
    expect(h.take()).toEqual(["-333", "-500", "-1000"]);
    expect(h.host.errors.map((error) => error.message)).toEqual([expect.stringMatching(/division by zero/)]);
    expect(h.elements("enemies")).toEqual([{ hp: 86, armor: 1 }]);
  });

  test("with a longer probation the same late error still rolls back", () => {
    const h = startHarness({ main: v1 }, { probationTicks: 4 });
    h.step(10);
    const before = h.hash();
    h.edit(failingAt(14));
    h.step(4);
    expect(h.reports.map((r) => r.outcome)).toEqual(["migrated", "rolled-back"]);
    expect(h.hash()).toBe(before);
  });

  test("the default probation is 30 ticks", () => {
    const inside = startHarness({ main: v1 });
    inside.step(10);
    inside.edit(failingAt(40)); // the 30th tick after the reload
    inside.step(30);
    expect(inside.reports.map((r) => r.outcome)).toEqual(["migrated", "rolled-back"]);

    const outside = startHarness({ main: v1 });
    outside.step(10);
    outside.edit(failingAt(41)); // the 31st
    outside.step(31);
    expect(outside.reports.map((r) => r.outcome)).toEqual(["migrated"]);
  });
});

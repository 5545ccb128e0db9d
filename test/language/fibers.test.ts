// Fibers: interleaving in spawn order, waiting a number of ticks, resumable helpers, host effects.

import { describe, expect, it } from "vitest";
import { runSources } from "../helpers/ribbon.ts";
import { diagnose, printed, rib } from "./support.ts";

describe("fibers", () => {
  it("several fibers interleave one step per tick, in spawn order", () => {
    const lines = printed(
      rib`
        worker := fun (name: Str, n: i32).
            for i in 0 .. n.
                print (name + str i)
                next-frame ()

        init := fun ().
            spawn (fun (). worker ("a", 3))
            spawn (fun (). worker ("b", 2))
            spawn (fun (). worker ("c", 3))
      `,
      10,
    );
    expect(lines).toEqual(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "c2"]);
  });

  it("wait 0.5 resumes 30 ticks later", () => {
    const lines = printed(
      rib`
        ticks : mut = 0

        pause := fun ().
            started := ticks
            wait 0.5
            print (ticks - started)
            wait 0.1
            print (ticks - started)
            next-frame ()
            print (ticks - started)

        update := fun (dt: f64).
            ticks = ticks + 1

        init := fun ().
            spawn pause
      `,
      60,
    );
    expect(lines).toEqual(["30", "36", "37"]);
  });

  it("wait 1.0 suspends for exactly 60 ticks", () => {
    const program = rib`
      late := fun ().
          print "start"
          wait 1.0
          print "late"

      init := fun ().
          spawn late
    `;
    expect(printed(program, 60)).toEqual(["start"]);
    expect(printed(program, 61)).toEqual(["start", "late"]);
  });

  it("fibers call helper functions that wait, nested several deep", () => {
    const lines = printed(
      rib`
        ticks : mut = 0

        pause-for := fun (n: i32).
            for i in 0 .. n.
                next-frame ()

        walk := fun (name: Str) -> i32.
            print (name + " leaves at " + str ticks)
            pause-for 3
            print (name + " arrives at " + str ticks)
            ticks

        patrol := fun ().
            first := walk "guard"
            second := walk "guard"
            print (second - first)

        update := fun (dt: f64).
            ticks = ticks + 1

        init := fun ().
            spawn patrol
      `,
      20,
    );
    // A fiber spawned by init first runs after the first update, so it starts at tick 1.
    expect(lines).toEqual(["guard leaves at 1", "guard arrives at 4", "guard leaves at 4", "guard arrives at 7", "3"]);
  });

  it("a fiber performs Rand and Log, and its own handlers stay installed across waits", () => {
    const lines = printed(
      rib`
        import engine/rand

        Ask := effect
            number : () -> i32

        roller := fun ().
            with handler Ask.
                number () => 7
            do
                for i in 0 .. 3.
                    x := rand/int (1, 6)
                    print (x >= 1 and x <= 6)
                    next-frame ()
                    print (number ())

        init := fun ().
            spawn roller
      `,
      10,
    );
    expect(lines).toEqual(["true", "7", "true", "7", "true", "7"]);
  });

  it("a fiber's module state changes are seen by update", () => {
    const lines = printed(
      rib`
        phase : mut = 'idle
        seen : mut = 'none

        script := fun ().
            phase = 'walking
            wait 0.1
            phase = 'talking

        update := fun (dt: f64).
            if phase != seen.
                print phase
                seen = phase

        init := fun ().
            spawn script
      `,
      20,
    );
    expect(lines).toEqual(["'idle", "'walking", "'talking"]);
  });

  it("a pool element freed by update while a fiber waited inside a loop over the pool is a runtime error", () => {
    const outcome = runSources(
      {
        main: rib`
          Item := struct { hp: i32 }
          items := pool Item
          ticks : mut = 0

          walker := fun ().
              for it in items.
                  print it.hp
                  next-frame ()
                  print it.hp

          update := fun (dt: f64).
              ticks = ticks + 1
              if ticks == 2.
                  for it in items.
                      free it

          init := fun ().
              alloc items { hp = 1 }
              alloc items { hp = 2 }
              spawn walker
        `,
      },
      5,
    );
    expect(outcome.lines).toEqual(["1"]);
    expect(outcome.errors).toEqual(["main.rib:9:15: use of a freed pointer into pool 'items (module main)"]);
  });

  it("a fiber's write to its loop element lands even when the pool grew while it waited", () => {
    const lines = printed(
      rib`
        Item := struct { hp: i32 }
        items := pool Item
        ticks : mut = 0

        walker := fun ().
            for it in items.
                if it.hp == 1.
                    next-frame ()
                    it.hp = 50

        update := fun (dt: f64).
            ticks = ticks + 1
            if ticks == 2.
                for i in 0 .. 100.
                    alloc items { hp = 0 }
            if ticks == 4.
                for it in items.
                    if it.hp != 0.
                        print it.hp

        init := fun ().
            alloc items { hp = 1 }
            spawn walker
      `,
      5,
    );
    expect(lines).toEqual(["50"]);
  });

  it("only fibers wait: waiting in update is a compile error", () => {
    const seen = diagnose(rib`
      update := fun (dt: f64).
          wait 1.0
    `);
    expect(seen.map((d) => [d.code, d.line])).toEqual([["E0302", 1]]);
    expect(seen[0].notes.join(" ")).toContain("spawn");
  });
});

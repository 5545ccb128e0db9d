// Safety: Ribbon names never reach JavaScript host objects, and runtime failures (stuck loops,
// runaway recursion, freed pointers, division by zero) are reported with their source position
// while the rest of the game keeps running.

import { describe, expect, it } from "vitest";
import { runSources } from "../helpers/ribbon.ts";
import { poolKey } from "../../engine/runtime/names.ts";
import { SLOT_SPAN } from "../../engine/runtime/pool.ts";
import { diagnose, printed, rib, startSession } from "./support.ts";

const HOSTILE = ["constructor", "__proto__", "prototype", "globalThis", "process", "eval", "Function", "window", "require", "this"];

describe("names that mean something to JavaScript", () => {
  it("are ordinary Ribbon locals holding Ribbon values", () => {
    const locals = HOSTILE.map((name, index) => `    ${name} : mut = ${index}`).join("\n");
    const sum = HOSTILE.join(" + ");
    const lines = printed(`init := fun ().\n${locals}\n    globalThis = globalThis + 100\n    print globalThis\n    print (${sum})\n    print this\n`);
    expect(lines).toEqual(["103", String(100 + (9 * 10) / 2), "9"]);
  });

  it("are function names, parameter names and module state", () => {
    const lines = printed(rib`
      constructor : mut = 11
      __proto__ : mut = 12
      process := 13
      rt : mut = 3

      prototype := fun (this: i32) -> i32. this + 1
      eval := fun (globalThis: i32) -> i32. globalThis * 2
      require := fun (Function: i32, window: i32) -> i32. Function + window + rt

      init := fun ().
          constructor = constructor + 1
          __proto__ = __proto__ * 2
          print constructor
          print __proto__
          print process
          print (prototype 1)
          print (eval 21)
          print (require (1, 2))
    `);
    expect(lines).toEqual(["12", "24", "13", "2", "42", "6"]);
  });

  it("are struct fields, in values and in pools, with value semantics intact", () => {
    const fields = HOSTILE.map((name, index) => `${name}: i32 = ${index}`).join(", ");
    const lines = printed(rib`
      Thing := struct { ${fields}, toString: Str = "t", hasOwnProperty: bool = true }
      things := pool Thing

      init := fun ().
          t := Thing { __proto__ = 20 }
          copy : mut = t
          copy.__proto__ = 30
          copy.constructor = 40
          print t.__proto__
          print t.constructor
          print copy.__proto__
          print (t.prototype + t.globalThis + t.process + t.eval + t.Function + t.window + t.require + t.this)
          p := alloc things { constructor = 5 }
          p.__proto__ = p.__proto__ + p.constructor
          print p.__proto__
          print p.toString
          print p.hasOwnProperty
          for x in things.
              x.prototype = 77
          print p.prototype
    `);
    expect(lines).toEqual(["20", "0", "30", String(2 + 3 + 4 + 5 + 6 + 7 + 8 + 9), "6", "t", "true", "77"]);
  });

  it("are union variant fields and effect operation names", () => {
    const lines = printed(rib`
      U := union { Ctor { __proto__: i32, constructor: i32 = 3 }, Proto { this: f64 }, Plain }
      holders := pool Holder
      Holder := struct { u: U = U/Plain }

      Hostile := effect
          valueOf : i32 -> i32
          hasOwnProperty : () -> i32
          toString : Str -> Str

      show := fun (u: U) -> Str.
          match u.
              U/Ctor { __proto__, constructor } => "c" + str (__proto__ + constructor)
              U/Proto { this } => "p" + str this
              U/Plain => "plain"

      init := fun ().
          h := alloc holders { u = U/Ctor { __proto__ = 5 } }
          print (show h.u)
          h.u = U/Proto { this = 1.5 }
          print (show h.u)
          r := with handler Hostile.
              valueOf n => n + 1
              hasOwnProperty () => 3
              toString s => s + s
          do
              print (toString "ab")
              valueOf 1 + hasOwnProperty ()
          print r
    `);
    expect(lines).toEqual(["c8", "p1.5", "abab", "5"]);
  });

  it("are module names, reached only through their module", () => {
    const lines = printed({
      main: rib`
        import constructor
        import prototype

        init := fun ().
            constructor/__proto__ = constructor/__proto__ + 1
            print constructor/__proto__
            print (prototype/toString 2)
            print (count constructor/valueOf)
      `,
      constructor: rib`
        __proto__ : mut = 41
        T := struct { a: i32 = 0 }
        valueOf := pool T
      `,
      prototype: "toString := fun (x: i32) -> i32. x * 2\n",
    });
    expect(lines).toEqual(["42", "4", "0"]);
  });

  it("do not reach host globals: an undeclared `process` or `globalThis` is an unknown name", () => {
    const seen = diagnose(rib`
      init := fun ().
          print process
          print globalThis
          print (require 1)
          print constructor
    `);
    expect(seen.map((d) => [d.code, d.line])).toEqual([
      ["E0132", 2],
      ["E0132", 3],
      ["E0132", 4],
      ["E0132", 5],
    ]);
  });

  it("strings and symbols with JavaScript syntax in them are just text", () => {
    const text = "`${globalThis}` </script> \\\\ \\\" ' ${process.env}";
    const lines = printed(
      ["init := fun ().", `    print "${text}"`, "    print '__proto__", "    match 'constructor.", "        '__proto__ => print \"proto\"", "        'constructor => print \"ctor\"", "        _ => print \"other\""].join("\n"),
    );
    expect(lines).toEqual(["`${globalThis}` </script> \\ \" ' ${process.env}", "'__proto__", "ctor"]);
  });
});

describe("runtime errors", () => {
  it("a stuck loop in update is stopped with its module, function and position; other modules keep updating", () => {
    const session = startSession(
      {
        game: rib`
          import other
          progress : mut = 0

          spin := fun ().
              while true.
                  progress = progress + 1

          update := fun (dt: f64).
              progress = 1000
              spin ()
        `,
        other: rib`
          ticks : mut = 0

          update := fun (dt: f64).
              ticks = ticks + 1
              print ("other " + str ticks)
        `,
      },
      { loopBudget: 100_000 },
    );
    session.step(3);
    expect(session.errors.map((error) => [error.kind, error.message])).toEqual([
      ["budget-exceeded", "game.rib:5:5: loop ran past this tick's budget in game/spin: is it stuck?"],
    ]);
    expect(session.errors[0].site).toMatchObject({ module: "game", function: "spin", line: 5, column: 5 });
    expect(session.lines).toEqual(["other 1", "other 2", "other 3"]);
    // What ran before the loop stays; the loop's own steps are not undone either.
    expect(session.world.byName.game.state).toMatchObject({ s_progress: 1000 + 100_000 });
  });

  it("the default loop budget stops `while true.` too", () => {
    const outcome = runSources({
      main: rib`
        update := fun (dt: f64).
            n : mut = 0
            while true.
                n = n + 1
      `,
    }, 2);
    expect(outcome.errors).toEqual(["main.rib:3:5: loop ran past this tick's budget in main/update: is it stuck?"]);
  });

  it("a runaway loop that prints is stopped by the budget after about 50,000 lines, at its own loop", () => {
    // Printing spends the loop budget (runtime/budget.ts): the log is not flooded with 50 million
    // lines (which took the test process down with it), and the next tick runs again.
    const outcome = runSources({
      main: rib`
        ticks : mut = 0
        update := fun (dt: f64).
            ticks = ticks + 1
            n : mut = 0
            while n >= 0.
                print "again"
      `,
    }, 2);
    expect(outcome.errors).toEqual(["main.rib:5:5: loop ran past this tick's budget in main/update: is it stuck?"]);
    // 50,000,000 units a tick: one per iteration and 1,000 per line.
    expect(outcome.lines.length).toBe(49_951);
    expect(outcome.world!.byName.main.state).toMatchObject({ s_ticks: 1 });
  });

  it("a runaway loop that draws stops at the same step drawn and headless", () => {
    const program = {
      main: rib`
        import engine/draw
        steps : mut = 0
        scene := fun ().
            while true.
                steps = steps + 1
                draw/circle (vec2 (float steps) 0.0, 1.0, 0xffffff)
        update := fun (dt: f64).
            scene ()
      `,
    };
    const runs = [true, false].map((drawing) => {
      const session = startSession(program, { drawing });
      session.step();
      return { errors: session.errors.map((error) => error.message), steps: session.world.byName.main.state.s_steps, commands: session.world.draw.length };
    });
    const expected = "main.rib:4:5: loop ran past this tick's budget in main/scene: is it stuck?";
    expect(runs.map((run) => run.errors)).toEqual([[expected], [expected]]);
    // 50,000,000 units: one per iteration and 100 per circle.
    expect(runs.map((run) => run.steps)).toEqual([495_050, 495_050]);
    expect(runs.map((run) => run.commands)).toEqual([495_050, 0]);
  });

  it("a runaway loop that spawns fibers is stopped by the budget, and the fibers it made run", () => {
    // Each `spawn` spends 1,000 units (runtime/budget.ts); before, such a loop made fibers until
    // the process ran out of memory.
    const session = startSession(rib`
      finished : mut = 0
      worker := fun ().
          finished = finished + 1
      update := fun (dt: f64).
          while true.
              spawn (fun (). worker ())
    `);
    session.step();
    expect(session.errors.map((error) => error.message)).toEqual(["main.rib:5:5: loop ran past this tick's budget in main/update: is it stuck?"]);
    expect(session.world.byName.main.state).toMatchObject({ s_finished: 49_951 });
    expect(session.world.fibers).toHaveLength(0);
  });

  it("fibers that spawn fibers without end stop at the fiber limit, and the game keeps running", () => {
    // Each fiber starts two more a tick later: doubling, they would fill memory in seconds.
    const session = startSession(rib`
      started : mut = 0
      ticks : mut = 0
      breed := fun ().
          started = started + 1
          next-frame ()
          spawn (fun (). breed ())
          spawn (fun (). breed ())
      init := fun ().
          spawn (fun (). breed ())
      update := fun (dt: f64).
          ticks = ticks + 1
    `, { maxFibers: 100 });
    let most = 0;
    for (let tick = 0; tick < 12; tick++) {
      session.step();
      most = Math.max(most, session.world.fibers.length);
    }
    const kinds = new Set(session.errors.map((error) => error.kind));
    expect([...kinds]).toEqual(["too-many-fibers"]);
    expect(session.errors[0].message).toBe("main.rib:1:1: too many fibers: 100 are alive (is a fiber spawning fibers without end?)");
    // 100 were alive when a spawn failed; the fiber whose spawn failed ended there.
    expect(most).toBe(99);
    expect(session.world.byName.main.state).toMatchObject({ s_ticks: 12 });
  });

  it("an alloc into a full pool is a runtime error at the alloc, and the state stays as it was", () => {
    const session = startSession(rib`
      Item := struct { n: i32 }
      items := pool Item
      made : mut = 0
      update := fun (dt: f64).
          alloc items { n = made }
          made = made + 1
    `);
    session.step();
    // Filling 16,777,216 slots for real takes a while: the pool is made to look full.
    const pool = session.world.byName.main.pools[poolKey("items")];
    expect(pool.size).toBe(1);
    pool.size = SLOT_SPAN;
    session.step();
    expect(session.errors.map((error) => [error.kind, error.message])).toEqual([
      ["pool-full", "main.rib:5:5: pool 'items (module main) is full: it holds 16777216 elements at most (is a loop allocating without end?)"],
    ]);
    expect(session.world.byName.main.state).toMatchObject({ s_made: 1 });
    expect(pool.size).toBe(SLOT_SPAN);
  });

  it("a string doubled without end is a too-large runtime error, not an internal one", () => {
    const session = startSession({
      main: rib`
        import other
        text : mut = "x"
        update := fun (dt: f64).
            while true.
                text = text + text
      `,
      other: rib`
        update := fun (dt: f64).
            print "other runs"
      `,
    });
    session.step(2);
    expect(session.errors.map((error) => [error.kind, error.message])).toEqual([
      ["too-large", "main.rib:1:1: a string grew longer than JavaScript can hold: is a loop appending to it without end?"],
    ]);
    expect(session.lines).toEqual(["other runs", "other runs"]);
  });

  it("infinite recursion is a stack-overflow runtime error, not a crash", () => {
    const session = startSession({
      main: rib`
        import other
        deep := fun (k: i32) -> i32. deep (k + 1) + 1

        init := fun ().
            print "before"
            print (deep 0)
            print "after"
      `,
      other: rib`
        update := fun (dt: f64).
            print "other runs"
      `,
    });
    session.step(1);
    expect(session.errors.map((error) => error.kind)).toEqual(["stack-overflow"]);
    expect(session.errors[0].message).toContain("main.rib");
    expect(session.errors[0].message).toContain("stack overflow");
    expect(session.lines).toEqual(["before", "other runs"]);
  });

  it("using a freed pointer names the pool and the source position", () => {
    const outcome = runSources({
      main: rib`
        Item := struct { id: i32 }
        items := pool Item

        init := fun ().
            a := alloc items { id = 1 }
            free a
            print "freed"
            print a.id
            print "never"
      `,
    });
    expect(outcome.lines).toEqual(["freed"]);
    expect(outcome.errors).toEqual(["main.rib:8:11: use of a freed pointer into pool 'items (module main)"]);
  });

  it("writing through a freed pointer and freeing it twice are errors too", () => {
    const source = (use: string) => rib`
      Item := struct { id: i32 }
      items := pool Item

      init := fun ().
          a := alloc items { id = 1 }
          free a
          ${use}
    `;
    expect(runSources({ main: source("a.id = 5") }).errors).toEqual(["main.rib:7:5: use of a freed pointer into pool 'items (module main)"]);
    expect(runSources({ main: source("free a") }).errors).toEqual(["main.rib:7:5: use of a freed pointer into pool 'items (module main)"]);
  });

  it("a local pointer read before is still checked after a call that freed it, in a branch or a later iteration", () => {
    const freedThen = (use: string[]) =>
      rib`
        Item := struct { id: i32 }
        items := pool Item

        drop := fun (p: *'items Item). free p

        init := fun ().
            a := alloc items { id = 1 }
            print a.id
            ${use.join("\n            ")}
      `;
    const inBranch = freedThen(["if a.id == 1.", "    drop a", 'print "dropped"', "print a.id"]);
    expect(runSources({ main: inBranch }).lines).toEqual(["1", "dropped"]);
    expect(runSources({ main: inBranch }).errors).toEqual(["main.rib:12:11: use of a freed pointer into pool 'items (module main)"]);
    const inLoop = freedThen(["n : mut = 0", "while n < 2.", "    print a.id", "    if n == 0 then drop a", "    n = n + 1"]);
    expect(runSources({ main: inLoop }).lines).toEqual(["1", "1"]);
    expect(runSources({ main: inLoop }).errors).toEqual(["main.rib:11:15: use of a freed pointer into pool 'items (module main)"]);
  });

  it("a freed pointer held in a local is no error until it is read through, in whichever branch", () => {
    const outcome = runSources({
      main: rib`
        Item := struct { id: i32 }
        items := pool Item

        init := fun ().
            a := alloc items { id = 1 }
            b := a
            free a
            print "held"
            if count items == 0 then print "none left" else print b.id
            print b.id
      `,
    });
    expect(outcome.lines).toEqual(["held", "none left"]);
    expect(outcome.errors).toEqual(["main.rib:10:11: use of a freed pointer into pool 'items (module main)"]);
  });

  it("a local pointer first read inside a branch is read again after it", () => {
    const lines = printed(rib`
      Item := struct { id: i32 }
      items := pool Item

      init := fun ().
          a := alloc items { id = 7 }
          n := count items
          if n > 100.
              print a.id
          else if n == 1.
              a.id = 8
          print a.id
    `);
    expect(lines).toEqual(["8"]);
  });

  it("a freed loop element is caught after an inner loop that ran zero times or was left by break", () => {
    const freedThen = (inner: string[]) =>
      ["Item := struct { hp: i32 }", "items := pool Item", "init := fun ().", "    alloc items { hp = 5 }", "    for b in items.", ...inner.map((line) => `        ${line}`), "        print b.hp", '    print "end"'].join("\n");
    const zeroWhile = ["free b", "n : mut = 0", "while n < 0.", "    print b.hp", "    n = n + 1"];
    const zeroFor = ["free b", "for i in 0 .. 0.", "    print b.hp"];
    const breakOut = ["while true.", "    if b.hp > 0.", "        free b", "        break", "    print b.hp"];
    for (const inner of [zeroWhile, zeroFor, breakOut]) {
      const outcome = runSources({ main: freedThen(inner) });
      expect(outcome.compile.diagnostics, inner.join("; ")).toEqual([]);
      expect(outcome.lines, inner.join("; ")).toEqual([]);
      expect(outcome.errors, inner.join("; ")).toEqual([expect.stringMatching(/^main\.rib:\d+:15: use of a freed pointer into pool 'items \(module main\)$/)]);
    }
  });

  it("a write to a loop element after its pool grew, past an inner loop that ran zero times, is not lost", () => {
    const lines = printed(rib`
      Item := struct { hp: i32 }
      items := pool Item

      init := fun ().
          first := alloc items { hp = 5 }
          for b in items.
              if b.hp == 5.
                  for i in 0 .. 100.
                      alloc items { hp = 0 }
                  for i in 0 .. 0.
                      b.hp = 1
                  b.hp = 2
          print first.hp
          print (count items)
    `);
    expect(lines).toEqual(["2", "101"]);
  });

  it("integer division and remainder by zero are runtime errors with line and column", () => {
    const outcome = runSources(
      {
        main: rib`
          zero : mut = 0
          ticks : mut = 0

          init := fun ().
              print (10 / zero)

          update := fun (dt: f64).
              ticks = ticks + 1
              print (7 % zero)
        `,
      },
      2,
    );
    expect(outcome.errors).toEqual(["main.rib:5:12: integer division by zero", "main.rib:9:12: integer remainder by zero"]);
  });

  it("float division by zero is not an error: it gives Infinity", () => {
    expect(printed("init := fun ().\n    zero := 0.0\n    print (1.0 / zero)\n")).toEqual(["Infinity"]);
  });
});

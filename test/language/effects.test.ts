// Effects: resuming with a value, cancel, nested handlers, handler values, host effects handled
// by the game, and the effect rows the checker infers.

import { describe, expect, it } from "vitest";
import { diagnose, printed, rib } from "./support.ts";

describe("handlers", () => {
  it("a clause's value resumes the code that performed the operation", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32
          twice : i32 -> i32

      add-up := fun () -> i32.
          number () + twice (number ())

      init := fun ().
          seen : mut = 0
          r := with handler Ask.
              number () =>
                  seen = seen + 1
                  seen * 10
              twice n => n * 2
          do
              add-up ()
          print r
          print seen
    `);
    expect(lines).toEqual(["50", "2"]);
  });

  it("cancel unwinds to the with: the rest of the body, and of the functions in between, never runs", () => {
    const lines = printed(rib`
      Fail := effect
          fail : Str -> !

      deep := fun (n: i32) -> i32.
          if n == 0 then fail "bottom" else deep (n - 1) + 1

      init := fun ().
          after : mut = "untouched"
          r := with handler Fail.
              fail msg =>
                  print ("failed: " + msg)
                  cancel -1
          do
              for i in 0 .. 3.
                  after = "loop " + str i
                  if i == 1.
                      x := deep 5
                      print "after the perform"
                      after = "after deep"
              print "after the loop"
              0
          print r
          print after
    `);
    expect(lines).toEqual(["failed: bottom", "-1", "loop 1"]);
  });

  it("with evaluates to the body's value when nothing cancels", () => {
    const lines = printed(rib`
      Fail := effect
          fail : Str -> !

      init := fun ().
          r := with handler Fail.
              fail msg => cancel 0
          do
              40 + 2
          print r
    `);
    expect(lines).toEqual(["42"]);
  });

  it("nested handlers of one effect: the innermost answers; an operation in its clause goes to the next one out", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32

      init := fun ().
          t := with handler Ask.
              number () => 100
          do
              with handler Ask.
                  number () => number () + 1
              do
                  with handler Ask.
                      number () => number () * 2
                  do
                      number ()
          print t
    `);
    expect(lines).toEqual(["202"]);
  });

  it("cancel in an outer handler's clause leaves the inner with too", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32
      Stop := effect
          stop : () -> !

      init := fun ().
          r := with handler Stop.
              stop () => cancel 7
          do
              inner := with handler Ask.
                  number () => stop ()
              do
                  number () + 1
              print "inner with finished"
              inner
          print r
    `);
    expect(lines).toEqual(["7"]);
  });

  it("a top-level handler value is used with `with h do ...`", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32
          scale : Vec2 -> Vec2

      answers := handler Ask.
          number () => 21
          scale v => v * 2.0

      add-two := fun () -> i32. number () + number ()

      init := fun ().
          print (with answers do add-two ())
          v := with answers do
              scale (vec2 1.0 2.5)
          print v
    `);
    expect(lines).toEqual(["42", "vec2 2 5"]);
  });

  it("a handler value's cancel gives the with its value, even when the body never returns", () => {
    const lines = printed(rib`
      Stop := effect
          stop : Str -> !

      stopper := handler Stop.
          stop msg =>
              print ("stopped: " + msg)
              cancel -1

      init := fun ().
          y := with stopper do stop "y"
          print y
          print (with stopper do 5)
    `);
    expect(lines).toEqual(["stopped: y", "-1", "5"]);
  });

  it("a handler value's clause may perform its own effect: it goes to the handler around the with", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32

      plus-one := handler Ask.
          number () => number () + 1

      use := fun () -> i32.
          with plus-one do number ()

      init := fun ().
          r := with handler Ask.
              number () => 41
          do
              use ()
          print r
    `);
    expect(lines).toEqual(["42"]);
  });

  it("the same handler value installed twice: a cancel from the outer installation leaves the inner with too", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32

      bail := handler Ask.
          number () => cancel (number () + 1)

      init := fun ().
          r := with handler Ask.
              number () => 10
          do
              with bail do
                  inner := with bail do
                      number ()
                  print ("after inner " + str inner)
                  inner + 1000
          print r
    `);
    // The inner clause asks the outer installation, whose clause cancels its own with (10 + 1).
    expect(lines).toEqual(["11"]);
  });

  it("operations take and return Vec2 values", () => {
    const lines = printed(rib`
      Move := effect
          push : (Vec2, f64) -> Vec2
          where : () -> Vec2

      init := fun ().
          at : mut = vec2 1.0 1.0
          r := with handler Move.
              push (v, k) =>
                  at = at + v * k
                  at
              where () => at
          do
              push (vec2 1.0 0.0, 2.0)
              push (vec2 0.0 1.0, 0.5) + where ()
          print r
          print at
    `);
    expect(lines).toEqual(["vec2 6 3", "vec2 3 1.5"]);
  });

  it("a game handler of Log intercepts print", () => {
    const lines = printed(rib`
      chatty := fun ().
          print "one"
          print 2
          print 'three

      init := fun ().
          seen : mut = ""
          with handler Log.
              print-line s => seen = seen + "[" + s + "]"
          do
              chatty ()
          print seen
    `);
    expect(lines).toEqual(["[one][2]['three]"]);
  });

  it("a function parameter's type may allow effects, and the caller handles them", () => {
    const lines = printed(rib`
      Ask := effect
          number : () -> i32

      twice := fun (f: () -> i32 | { Ask }) -> i32.
          f () + f ()

      init := fun ().
          r := with handler Ask.
              number () => 5
          do
              twice (fun (). number () + 1) + twice (fun (). 3)
          print r
    `);
    expect(lines).toEqual(["18"]);
  });
});

describe("effect checking", () => {
  it("an effect that escapes every handler is reported at the entry point", () => {
    const seen = diagnose(rib`
      Boom := effect
          boom : () -> i32

      go := fun () -> i32. boom ()

      init := fun ().
          print (go ())
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0300", 6, "effect Boom is not handled in init"]]);
  });

  it("a handler value's clause that performs an effect nobody handles is reported where the value is used", () => {
    const seen = diagnose(rib`
      Ask := effect
          number : () -> i32

      plus-one := handler Ask.
          number () => number () + 1

      update := fun (dt: f64).
          print (with plus-one do number ())
    `);
    expect(seen.map((d) => [d.code, d.line, d.message])).toEqual([["E0300", 7, "effect Ask is not handled in update"]]);
  });

  it("an effectful lambda where a pure function type is expected is E0301", () => {
    const seen = diagnose(rib`
      Ask := effect
          number : () -> i32

      apply := fun (f: () -> i32) -> i32.
          f ()

      init := fun ().
          r := with handler Ask.
              number () => 1
          do
              apply (fun (). number ())
          print r
    `);
    expect(seen.map((d) => [d.code, d.line, d.column])).toEqual([["E0301", 11, 16]]);
    expect(seen[0].message).toContain("performs Ask");
    expect(seen[0].notes).toEqual(["add the effect to the type: `| { Ask }`"]);
  });

  it("an effectful function stored where a pure type is written is E0301, wherever it flows", () => {
    const cases = {
      annotatedLocal: ["init := fun ().", "    f := fun () -> i32. ask ()", "    g : () -> i32 = f", "    print (g ())"],
      annotatedResult: ["mk := fun () -> () -> i32. fun () -> i32. ask ()", "init := fun ().", "    g := mk ()", "    print (g ())"],
      earlyReturn: ["mk := fun (c: bool) -> () -> i32.", "    if c.", "        return fun () -> i32. ask ()", "    fun () -> i32. 1", "init := fun ().", "    print ((mk true) ())"],
    };
    for (const [label, lines] of Object.entries(cases)) {
      const seen = diagnose(["Ask := effect", "    ask : () -> i32", ...lines].join("\n"));
      expect(seen.map((d) => d.code), label).toEqual(["E0301"]);
    }
  });

  it("a function value given to a mutable binding, or chosen by if or match, carries its effects to the calls", () => {
    const cases = {
      assignedLocal: ["init := fun ().", "    g : mut = fun () -> i32. 1", "    g = fun () -> i32. ask ()", "    print (g ())"],
      assignedState: ["holder : mut = fun () -> i32. 0", "init := fun ().", "    holder = fun () -> i32. ask ()", "    print (holder ())"],
      elseBranch: ["init := fun ().", "    f := if 1 > 2 then (fun () -> i32. 2) else (fun () -> i32. ask ())", "    print (f ())"],
      laterArm: ["init := fun ().", "    f := match 3.", "        1 => fun () -> i32. 2", "        _ => fun () -> i32. ask ()", "    print (f ())"],
    };
    for (const [label, lines] of Object.entries(cases)) {
      const seen = diagnose(["Ask := effect", "    ask : () -> i32", ...lines].join("\n"));
      expect(seen.map((d) => [d.code, d.message]), label).toEqual([["E0300", "effect Ask is not handled in init"]]);
    }
  });

  it("the same programs run when the calls are inside a handler", () => {
    const lines = printed(rib`
      Ask := effect
          ask : () -> i32

      init := fun ().
          g : mut = fun () -> i32. 1
          f := if 1 > 2 then (fun () -> i32. 2) else (fun () -> i32. ask () * 2)
          r := with handler Ask.
              ask () => 20
          do
              g = fun () -> i32. ask () + 2
              g () + f ()
          print r
    `);
    expect(lines).toEqual(["62"]);
  });

  it("a lambda that waits, given to a mutable binding, makes calls through it resumable", () => {
    const lines = printed(
      rib`
        init := fun ().
            step : mut = fun (). print "idle"
            step = fun ().
                print "waiting"
                next-frame ()
                print "waited"
            spawn step
      `,
      3,
    );
    expect(lines).toEqual(["waiting", "waited"]);
  });

  it("a handler value whose cancel value does not fit the with is a type error", () => {
    const seen = diagnose(rib`
      Stop := effect
          stop : () -> i32

      quit := handler Stop.
          stop () => cancel "quit"

      init := fun ().
          x := with quit do stop () + 1
          print (x * 2)
    `);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ code: "E0101", line: 8 });
  });

  it("an operation named like a top-level value of its module is reported, not silently shadowed", () => {
    const seen = diagnose(rib`
      Ask := effect
          score : () -> i32

      score : mut = 1
    `);
    expect(seen.map((d) => [d.code, d.line])).toEqual([["E0213", 2]]);
  });
});

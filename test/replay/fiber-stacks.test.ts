// Saved fibers (runtime/fiber-stacks.ts, codegen/resume-plan.ts): a world whose fibers are
// suspended can be imaged and restored, and the restored world goes on exactly as the original
// would have: same hashes tick by tick. Fibers waiting where their frame cannot be re-entered make
// the image unrestorable, with the reason naming the function.

import { describe, expect, it } from "vitest";
import { compileProgram } from "../../engine/compiler/compile.ts";
import { formatDiagnostics } from "../../engine/diagnostics/format.ts";
import { captureImage, loadImage, whyNotRestorable } from "../../engine/replay/image.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { createWorld, startWorld, stepWorld, type World } from "../../engine/runtime/world.ts";
import { blindPlayer, compileGame, edit, gameSources, manifest, scriptFor } from "../demo/game.ts";
import { scriptedInput, sourcesProvider } from "./helpers.ts";

function compile(source: string): CompiledModule[] {
  const result = compileProgram(["main"], sourcesProvider({ main: source }));
  if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
  return result.modules;
}

function start(modules: CompiledModule[], host = createMemoryHost()): World {
  const world = createWorld(modules, host, { seed: 3 });
  startWorld(world);
  return world;
}

/** Images `world` (through JSON, as a file would hold it) into a fresh world of the same code. */
function restoredCopy(world: World, modules: CompiledModule[], host = createMemoryHost()): World {
  const image = JSON.parse(JSON.stringify(captureImage(world)));
  expect(whyNotRestorable(image)).toBeNull();
  const copy = createWorld(modules, host, { seed: 99 });
  startWorld(copy);
  expect(loadImage(copy, image)).toBeNull();
  return copy;
}

/** Steps both worlds with the same input and expects the same hash after every tick. */
function expectSameFuture(original: World, copy: World, ticks: number): void {
  for (let index = 0; index < ticks; index++) {
    const input = scriptedInput(original.tick);
    stepWorld(original, input);
    stepWorld(copy, input);
    expect(hashWorld(copy), `tick ${original.tick}`).toBe(hashWorld(original));
  }
}

/**
 * Runs the program to its end, saving it every `every` ticks; each restored copy plays to the end
 * on its own. Returns what the original printed and what each copy printed from its save on.
 */
function playOutFromSaves(modules: CompiledModule[], every: number, check?: (original: World, copy: World) => void): { printed: string[]; ends: string[][] } {
  const originalHost = createMemoryHost();
  const original = start(modules, originalHost);
  const ends: string[][] = [];
  while (original.fibers.length > 0 && original.tick < 400) {
    for (let index = 0; index < every; index++) stepWorld(original, scriptedInput(original.tick));
    if (original.fibers.length === 0) break;
    const copyHost = createMemoryHost();
    const copy = restoredCopy(original, modules, copyHost);
    check?.(original, copy);
    for (let index = 0; index < 400 && copy.fibers.length > 0; index++) stepWorld(copy, scriptedInput(copy.tick));
    ends.push(copyHost.lines);
  }
  return { printed: originalHost.lines, ends };
}

/** The original prints `expected` by its end, and so does every copy restored on the way. */
function expectEveryCopyToEnd(modules: CompiledModule[], every: number, expected: string[], saves: number): void {
  const { printed, ends } = playOutFromSaves(modules, every);
  expect(printed).toEqual(expected);
  expect(ends.length).toBeGreaterThan(saves);
  for (const lines of ends) expect(lines).toEqual(expected);
}

const patrols = `
import engine/input
import engine/rand

Guard := struct { pos: Vec2, goal: Vec2 = vec2 0.0 0.0, legs: i32 = 0, rests: i32 = 0 }
guards := pool Guard
log : mut = 0

;; A helper that suspends: the caller's frame waits at the call, this one at its own waits.
walk-to := fun (g: *'guards Guard, goal: Vec2).
    g.goal = goal
    steps : mut = 0
    while alive g and length (g.goal - g.pos) > 2.0.
        g.pos = g.pos + normalize (g.goal - g.pos) * 3.0
        steps = steps + 1
        next-frame ()
    if steps > 20 then log = log + steps

rest := fun (g: *'guards Guard, seconds: f64).
    g.rests = g.rests + 1
    wait seconds

patrol := fun (g: *'guards Guard, size: f64).
    corner : mut = 0
    home := g.pos
    while alive g.
        offset := if corner == 0 then vec2 size 0.0 else if corner == 1 then vec2 size size else vec2 0.0 size
        walk-to (g, home + offset)
        if not (alive g) then return ()
        g.legs = g.legs + 1
        if rand/chance 0.5.
            rest (g, rand/range (0.1, 0.6))
        else.
            next-frame ()
            next-frame ()
        corner = (corner + 1) % 3

hired : mut = 0
hire := fun ().
    g := alloc guards { pos = vec2 (float (hired % 5) * 50.0) 20.0 }
    size := 30.0 + float (hired % 4) * 10.0
    hired = hired + 1
    spawn (fun (). patrol (g, size))

init := fun ().
    for i in 0 .. 4.
        hire ()

;; Space retires a guard that has walked a few legs (its fiber ends) and hires a new one.
update := fun (dt: f64).
    if input/pressed 'space.
        retired : mut = false
        for g in guards.
            if not retired and g.legs > 3.
                free g
                retired = true
        if retired then hire ()
`;

describe("saved fibers", () => {
  it("a world with suspended fibers restores from its image and goes on tick for tick as the original", () => {
    const modules = compile(patrols);
    const original = start(modules);
    for (let round = 0; round < 6; round++) {
      for (let index = 0; index < 37; index++) stepWorld(original, scriptedInput(original.tick));
      expect(original.fibers.length).toBeGreaterThan(0);
      const copy = restoredCopy(original, modules);
      expect(copy.fibers.map((fiber) => fiber.id)).toEqual(original.fibers.map((fiber) => fiber.id));
      expectSameFuture(original, copy, 90);
    }
  });

  it("a restored fiber saved again (before and after it first runs) gives the same image", () => {
    const modules = compile(patrols);
    const original = start(modules);
    for (let index = 0; index < 50; index++) stepWorld(original, scriptedInput(index));
    const copy = restoredCopy(original, modules);
    expect(JSON.stringify(captureImage(copy))).toBe(JSON.stringify(captureImage(original)));
    stepWorld(original, scriptedInput(original.tick));
    stepWorld(copy, scriptedInput(copy.tick));
    expect(JSON.stringify(captureImage(copy))).toBe(JSON.stringify(captureImage(original)));
  });

  it("prints, frees and spawns in a restored fiber happen as in the original", () => {
    const source = `
heard : mut = 0
spawner := fun ().
    round : mut = 0
    while round < 5.
        wait 0.1
        round = round + 1
        print ("round " + str round)
        n := round
        spawn (fun (). echo n)

echo := fun (n: i32).
    wait 0.05
    heard = heard + n
    print ("echo " + str n)

init := fun ().
    spawn (fun (). spawner ())
`;
    const modules = compile(source);
    const originalHost = createMemoryHost();
    const original = start(modules, originalHost);
    for (let index = 0; index < 8; index++) stepWorld(original, scriptedInput(index));
    const copyHost = createMemoryHost();
    const copy = restoredCopy(original, modules, copyHost);
    const before = [originalHost.lines.length, copyHost.lines.length];
    expectSameFuture(original, copy, 60);
    expect(copyHost.lines.slice(before[1])).toEqual(originalHost.lines.slice(before[0]));
    expect(copyHost.lines).toContain("echo 5");
  });

  it("a damaged fiber stack in an image is refused with the reason, and the world is left as it was", () => {
    const modules = compile(patrols);
    const original = start(modules);
    for (let index = 0; index < 30; index++) stepWorld(original, scriptedInput(index));
    const image = JSON.parse(JSON.stringify(captureImage(original)));
    const damages: Array<[string, (stacks: Array<{ frames: Array<{ fn: string; at: number; locals: unknown[] }> }>) => void, RegExp]> = [
      ["a point the function does not have", (stacks) => (stacks[0].frames[1].at = 9), /frame 1 \(main, F_patrol\): waits at point 9, but the function has 4/],
      ["a local too few", (stacks) => stacks[0].frames[1].locals.pop(), /frame 1 \(main, F_patrol\): holds 6 locals, but the function has 7/],
      ["a function the code does not have", (stacks) => (stacks[0].frames[0].fn = "L7"), /frame 0 \(main, L7\): the module's code has no such function/],
      ["a call point as the innermost frame", (stacks) => stacks[0].frames.splice(1), /frame 0 \(main, L0\): is the innermost frame but waits in a call/],
    ];
    for (const [label, damage, reason] of damages) {
      const copy = JSON.parse(JSON.stringify(image));
      damage(copy.stacks);
      const world = start(modules);
      for (let index = 0; index < 5; index++) stepWorld(world, scriptedInput(index));
      const before = JSON.stringify(captureImage(world));
      expect(loadImage(world, copy), label).toMatch(reason);
      expect(JSON.stringify(captureImage(world)), label).toBe(before);
    }
  });

  it("a fiber waiting inside a for-in-pool loop is saved at its slot; an element freed meanwhile is caught as in the original", () => {
    const source = `
import engine/input
Tick := struct { n: i32 = 0 }
counters := pool Tick
rounds : mut = 0
count-up := fun ().
    while rounds < 4.
        for t in counters.
            wait 0.05
            t.n = t.n + 1
        rounds = rounds + 1

init := fun ().
    for i in 0 .. 5.
        alloc counters { n = i * 100 }
    spawn (fun (). count-up ())

;; Space frees the last counter: sometimes the one the fiber is waiting on.
update := fun (dt: f64).
    if input/pressed 'space.
        last : mut = 0
        for t in counters.
            last = last + 1
            if last == count counters then free t
`;
    const modules = compile(source);
    const { printed, ends } = playOutFromSaves(modules, 2);
    expect(printed).toEqual([]);
    expect(ends.length).toBeGreaterThan(20);
    const original = start(modules);
    for (let index = 0; index < 23; index++) stepWorld(original, scriptedInput(index));
    expectSameFuture(original, restoredCopy(original, modules), 100);
  });

  it("a fiber waiting in an operand cannot be saved, and the reason names its function", () => {
    const source = `
total : mut = 0
slow-one := fun () -> i32.
    wait 0.5
    1

adder := fun ().
    while true.
        total = total + slow-one ()

init := fun ().
    spawn (fun (). adder ())
`;
    const world = start(compile(source));
    stepWorld(world, scriptedInput(0));
    const image = captureImage(world);
    expect(image.stacks).toBeUndefined();
    expect(whyNotRestorable(image)).toMatch(/1 suspended fiber: fiber 1 .*waits in main\/adder inside an operand \(or a with block whose handler is not a name\), where it cannot be saved/);
    const copy = start(compile(source));
    expect(loadImage(copy, image)).toMatch(/cannot restore/);
  });

  it("a fiber waiting inside for i in a .. b is saved with its counter and end, and goes on from there", () => {
    const source = `
sum : mut = 0
bursts := fun (rounds: i32).
    for round in 0 .. rounds.
        for shot in round .. round * 2 + 2.
            sum = sum + shot * 10 + round
            wait 0.05
        next-frame ()
    print ("done " + str sum)

init := fun ().
    spawn (fun (). bursts 5)
`;
    const modules = compile(source);
    // Saved every 4 ticks (inner and outer loop, before and after the inner one ends).
    expectEveryCopyToEnd(modules, 4, ["done 900"], 10);
    // And tick for tick from one mid-loop save.
    const again = start(modules);
    for (let index = 0; index < 30; index++) stepWorld(again, scriptedInput(index));
    expectSameFuture(again, restoredCopy(again, modules), 60);
  });

  it("a fiber waiting in a match arm is saved with the arm's bindings, and the subject is not evaluated again", () => {
    const source = `
Order := union { Rest { seconds: f64 }, Walk { to: Vec2, speed: f64 }, Say { text: Str } }
orders : mut = 0
at : mut = vec2 0.0 0.0
said : mut = ""

next-order := fun () -> Order.
    orders = orders + 1
    if orders % 3 == 0 then Order/Say { text = "hi" + str orders }
    else if orders % 3 == 1 then Order/Walk { to = vec2 (float orders) 2.0, speed = 0.5 }
    else Order/Rest { seconds = 0.05 * float orders }

worker := fun ().
    while orders < 12.
        match next-order ().
            Order/Rest { seconds } =>
                wait seconds
                said = said + "r"
            Order/Walk { to, speed } =>
                while length (to - at) > 0.5.
                    at = at + normalize (to - at) * speed
                    next-frame ()
                said = said + "w"
            Order/Say { text } =>
                next-frame ()
                said = said + text
    print said

init := fun ().
    spawn (fun (). worker ())
`;
    const modules = compile(source);
    // Re-entering must not call next-order again: the order count would run ahead.
    const { printed, ends } = playOutFromSaves(modules, 3, (original, copy) => expect(copy.byName.main.state.s_orders).toBe(original.byName.main.state.s_orders));
    expect(printed).toHaveLength(1);
    expect(ends.length).toBeGreaterThan(10);
    expect(new Set(ends.map((lines) => lines.join()))).toEqual(new Set([printed.join()]));
  });

  it("a lambda that shares a mutable local with its maker is not saved: the copy would not share it", () => {
    const source = `
total : mut = 0
add-forever := fun (n: i32).
    while true.
        wait 0.25
        total = total + n

init := fun ().
    n : mut = 1
    spawn (fun (). add-forever n)
    n = 2
`;
    const world = start(compile(source));
    stepWorld(world, scriptedInput(0));
    expect(whyNotRestorable(captureImage(world))).toMatch(/waits in a lambda in main\/init \(it shares a mutable local with the function that made it\), where it cannot be saved/);
  });

  it("a fiber waiting inside a with block is saved; re-entered, its handler is installed again", () => {
    const source = `
Ping := effect
    ping : i32 -> i32

pings : mut = 0
loop := fun (scale: i32).
    with handler Ping.
        ping n => n * scale
    do
        while pings < 200.
            pings = pings + ping 1
            wait 0.1
    print ("pings " + str pings)

init := fun ().
    spawn (fun (). loop 7)
`;
    expectEveryCopyToEnd(compile(source), 5, ["pings 203"], 20);
  });

  it("lambdas made on different passes of a loop in a re-enterable function keep their own values", () => {
    const source = `
shown : mut = ""
show := fun (x: i32).
    wait 0.01
    shown = shown + str x

spawner := fun ().
    n : mut = 0
    first : mut = fun () -> i32. -1
    while n < 3.
        x := n * 10
        spawn (fun (). show x)
        if n == 0 then first = fun () -> i32. x
        n = n + 1
        if n == 3 then wait 0.5
    print (str (first ()))
    wait 0.5
    print shown

init := fun ().
    spawn (fun (). spawner ())
`;
    const host = createMemoryHost();
    const world = start(compile(source), host);
    for (let index = 0; index < 90; index++) stepWorld(world, scriptedInput(index));
    expect(host.lines).toEqual(["0", "01020"]);
  });

  it("the demo game restores with patrolling sentinels at any tick and plays on identically", () => {
    const sources = edit(gameSources(), "spawner", "STRESS := false", "STRESS := true");
    const modules = compileGame(sources);
    const script = scriptFor(blindPlayer(4000));
    const original = createWorld(modules, createMemoryHost(), { seed: manifest().seed });
    startWorld(original);
    let checked = 0;
    while (original.tick < 3000) {
      stepWorld(original, script.at(original.tick));
      if (original.tick % 250 !== 0 || original.fibers.length === 0) continue;
      const image = JSON.parse(JSON.stringify(captureImage(original)));
      expect(whyNotRestorable(image), `tick ${original.tick}`).toBeNull();
      const copy = createWorld(modules, createMemoryHost(), { seed: manifest().seed });
      startWorld(copy);
      expect(loadImage(copy, image)).toBeNull();
      for (let ahead = 0; ahead < 120; ahead++) {
        const input = script.at(original.tick);
        stepWorld(original, input);
        stepWorld(copy, input);
        expect(hashWorld(copy), `tick ${original.tick}`).toBe(hashWorld(original));
      }
      checked++;
    }
    // Sentinels (from wave 3) patrol in fibers: most of these checks have fibers waiting.
    expect(checked).toBeGreaterThan(3);
  });
});

// Worlds that show nothing (`ribbon run`, replays) do not collect Draw commands; the simulation,
// and so every hash a recording checks, is the same either way.

import { expect, test } from "vitest";
import { worldHashes } from "../../engine/replay/hash.ts";
import { createMemoryHost, NO_INPUT } from "../../engine/runtime/host.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { compileSources } from "../helpers/ribbon.ts";

const GAME = [
  "import engine/draw",
  "import engine/rand",
  "Dot := struct { pos: Vec2 }",
  "dots := pool Dot",
  "init := fun ().",
  "    for i in 0 .. 20.",
  "        alloc dots { pos = vec2 (rand/float ()) (rand/float ()) }",
  "update := fun (dt: f64).",
  "    for d in dots.",
  "        d.pos = d.pos + vec2 1.0 0.5",
  "        draw/circle (d.pos, 4.0, 0xff0000)",
  "    draw/text (\"dots\", vec2 10.0 10.0, 12.0, 0xffffff)",
].join("\n");

test("with drawing off the draw list stays empty and the world is the same, tick for tick", () => {
  const compiled = compileSources({ main: GAME });
  expect(compiled.diagnostics).toEqual([]);
  const shown = createWorld(compiled.modules, createMemoryHost(), { seed: 5 });
  const hidden = createWorld(compiled.modules, createMemoryHost(), { seed: 5, drawing: false });
  startWorld(shown);
  startWorld(hidden);
  for (let tick = 0; tick < 30; tick++) {
    stepWorld(shown, NO_INPUT);
    stepWorld(hidden, NO_INPUT);
    expect(shown.draw).toHaveLength(21);
    expect(hidden.draw).toEqual([]);
    expect(worldHashes(hidden)).toEqual(worldHashes(shown));
  }
});

// A function that draws runs its quiet twin in a world that shows nothing (codegen/quiet-draw.ts):
// what the drawing code does besides drawing must still happen, and go wrong, the same way.

/** Steps a shown and a hidden world of the same program side by side; returns both hosts' output. */
function sideBySide(source: string, ticks: number) {
  const compiled = compileSources({ main: source });
  expect(compiled.diagnostics).toEqual([]);
  const hosts = [createMemoryHost(), createMemoryHost()];
  const worlds = [createWorld(compiled.modules, hosts[0], { seed: 9 }), createWorld(compiled.modules, hosts[1], { seed: 9, drawing: false })];
  for (const world of worlds) startWorld(world);
  for (let tick = 0; tick < ticks; tick++) {
    for (const world of worlds) stepWorld(world, NO_INPUT);
    expect(worldHashes(worlds[1])).toEqual(worldHashes(worlds[0]));
  }
  const seen = (index: number) => ({ lines: hosts[index].lines, errors: hosts[index].errors.map((error) => error.message), halted: [...worlds[index].halted.keys()] });
  return { shown: seen(0), hidden: seen(1), drawn: worlds[0].draw.length };
}

test("a freed pointer read only for drawing is the same runtime error with drawing off", () => {
  const source = [
    "import engine/draw",
    "Thing := struct { pos: Vec2 }",
    "things := pool Thing",
    "Marker := struct { target: *'things Thing }",
    "markers := pool Marker",
    "ticks : mut = 0",
    "init := fun ().",
    "    alloc markers { target = alloc things { pos = vec2 1.0 2.0 } }",
    "draw-markers := fun ().",
    "    for m in markers.",
    "        draw/circle (m.target.pos, 3.0, 0xffffff)",
    "update := fun (dt: f64).",
    "    ticks = ticks + 1",
    "    if ticks == 3 then for t in things. free t",
    "    print (str ticks)",
    "    draw-markers ()",
  ].join("\n");
  const { shown, hidden } = sideBySide(source, 6);
  expect(shown.errors).toHaveLength(1);
  expect(shown.errors[0]).toMatch(/things/);
  expect(hidden).toEqual(shown);
  expect(hidden.lines).toEqual(["1", "2", "3"]);
});

test("calls and random draws in drawing arguments still happen with drawing off", () => {
  const source = [
    "import engine/draw",
    "import engine/rand",
    "labels : mut = 0",
    "next-label := fun () -> i32.",
    "    labels = labels + 1",
    "    labels",
    "draw-hud := fun ().",
    "    draw/text (str (next-label ()), vec2 (rand/float () * 100.0) 0.0, 12.0, 0xffffff)",
    "    draw/circle (vec2 5.0 5.0, float (100 / (labels - 3)), 0xff0000)",
    "update := fun (dt: f64).",
    "    draw-hud ()",
    "    print (str labels + \" \" + str (rand/int (0, 1000)))",
  ].join("\n");
  const { shown, hidden } = sideBySide(source, 5);
  // The label counter and the random stream advance alike; 100 / 0 fails at the third tick.
  expect(hidden).toEqual(shown);
  expect(shown.lines).toHaveLength(2);
  expect(shown.errors[0]).toMatch(/division by zero/);
});

test("the game's own Draw handler still receives every command with drawing off", () => {
  const source = [
    "import engine/draw",
    "seen : mut = 0",
    "Dot := struct { pos: Vec2 }",
    "dots := pool Dot",
    "init := fun ().",
    "    for i in 0 .. 4.",
    "        alloc dots { pos = vec2 (float i) 0.0 }",
    "draw-dots := fun ().",
    "    for d in dots.",
    "        draw/circle (d.pos, 2.0, 0xffffff)",
    "    draw/rect (vec2 0.0 0.0, vec2 4.0 4.0, 0x00ff00)",
    "update := fun (dt: f64).",
    "    with handler draw/Draw.",
    "        sprite (texture, at, rotation, scale) => seen = seen + 100",
    "        tinted (texture, at, rotation, scale, tint) => seen = seen + 100",
    "        circle (at, radius, color) => seen = seen + 1",
    "        rect (at, size, color) => seen = seen + 10",
    "        line (from, to, width, color) => seen = seen + 100",
    "        text (words, at, size, color) => seen = seen + 100",
    "        camera (at, zoom) => seen = seen + 100",
    "    do",
    "        draw-dots ()",
    "    print (str seen)",
  ].join("\n");
  const { shown, hidden, drawn } = sideBySide(source, 2);
  expect(drawn).toBe(0);
  expect(hidden).toEqual(shown);
  expect(shown.lines).toEqual(["14", "28"]);
});

test("locals the drawing code computes keep their values wherever the game itself reads them", () => {
  const source = [
    "import engine/draw",
    "Dot := struct { pos: Vec2, phase: f64 }",
    "dots := pool Dot",
    "init := fun ().",
    "    for i in 0 .. 3.",
    "        alloc dots { pos = vec2 (float i) 0.0, phase = float i }",
    "draw-dots := fun ().",
    "    for d in dots.",
    "        swing := sin d.phase",
    "        size := 2.0 + swing * 3.0",
    "        glow := cos (size * 2.0)",
    "        step := vec2 (swing * 0.5) glow",
    "        draw/circle (d.pos + step, size, 0xffffff)",
    "        ;; the game reads `step`, so it and what it is made of keep their values",
    "        d.pos = d.pos + step",
    "        d.phase = d.phase + 0.25",
    "update := fun (dt: f64).",
    "    draw-dots ()",
    "    for d in dots.",
    "        print (str d.pos)",
  ].join("\n");
  const { shown, hidden } = sideBySide(source, 4);
  expect(hidden).toEqual(shown);
  expect(shown.lines).toHaveLength(12);
  expect(new Set(shown.lines).size).toBe(12);
});

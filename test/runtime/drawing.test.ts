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

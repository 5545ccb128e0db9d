// Worlds of one process may share a factory cache (runtime/load.ts), so the second world of the
// same code runs functions V8 has optimised already. They share code, never state.

import { expect, test } from "vitest";
import { worldHashes } from "../../engine/replay/hash.ts";
import { createMemoryHost, NO_INPUT } from "../../engine/runtime/host.ts";
import { createFactoryCache } from "../../engine/runtime/load.ts";
import { createWorld, startWorld, stepWorld, type World } from "../../engine/runtime/world.ts";
import { compileSources } from "../helpers/ribbon.ts";

const GAME = [
  "import engine/rand",
  "Dot := struct { pos: Vec2, speed: f64 }",
  "dots := pool Dot",
  "ticks : mut = 0",
  "init := fun ().",
  "    for i in 0 .. 5.",
  "        alloc dots { pos = vec2 0.0 (float i), speed = rand/range (1.0, 2.0) }",
  "    spawn (fun (). blink ())",
  "blink := fun () -> ().",
  "    while true.",
  "        wait 0.05",
  "        print (\"blink at \" + str ticks)",
  "update := fun (dt: f64).",
  "    ticks = ticks + 1",
  "    for d in dots.",
  "        d.pos = d.pos + vec2 d.speed 0.0",
  "        if d.pos.x > 20.0 then free d",
  "    if ticks % 7 == 0 then alloc dots { pos = vec2 0.0 0.0, speed = rand/range (0.5, 1.0) }",
].join("\n");

function stepped(world: World, ticks: number): void {
  for (let tick = 0; tick < ticks; tick++) stepWorld(world, NO_INPUT);
}

test("worlds sharing compiled functions keep their own state, pools, fibers and random numbers", () => {
  const compiled = compileSources({ main: GAME });
  expect(compiled.diagnostics).toEqual([]);
  const factories = createFactoryCache();
  const hosts = [createMemoryHost(), createMemoryHost(), createMemoryHost()];
  const first = createWorld(compiled.modules, hosts[0], { seed: 3, factories });
  const second = createWorld(compiled.modules, hosts[1], { seed: 4, factories });
  const alone = createWorld(compiled.modules, hosts[2], { seed: 4 });
  for (const world of [first, second, alone]) startWorld(world);
  // Interleaved and out of step: what one world does must not reach the other.
  for (let round = 0; round < 6; round++) {
    stepped(first, 5);
    stepped(second, 3);
    stepped(alone, 3);
    expect(worldHashes(second)).toEqual(worldHashes(alone));
  }
  expect(factories.size).toBe(compiled.modules.length);
  expect(hosts[1].lines).toEqual(hosts[2].lines);
  expect(hosts[1].lines.length).toBeGreaterThan(2);
  expect(first.tick).toBe(30);
  expect(second.tick).toBe(18);
  expect(worldHashes(first)).not.toEqual(worldHashes(second));
});

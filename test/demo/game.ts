// Helpers for the demo game tests: its sources (optionally edited, e.g. the stress switch), the
// compiled program in manifest order, a deterministic scripted player, and headless runs.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compileProgram, type CompileOptions } from "../../engine/compiler/compile.ts";
import { formatDiagnostics } from "../../engine/diagnostics/format.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import { stateKey, poolKey } from "../../engine/runtime/names.ts";
import { createWorld, startWorld, stepWorld, type World } from "../../engine/runtime/world.ts";
import { readManifest, type GameManifest } from "../../engine/server/game.ts";
import { createInputScript, type InputScript, type InputScriptData, type InputScriptEntry } from "../../tools/cli/input-script.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

export const gameDir = join(repositoryRoot, "demo-game");

export function manifest(): GameManifest {
  const read = readManifest(gameDir);
  if (!read.ok) throw new Error(read.reason);
  return read.manifest;
}

/** Module name → source of every .rib file of the demo game. */
export function gameSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(gameDir)) if (file.endsWith(".rib")) sources[file.slice(0, -4)] = readFileSync(join(gameDir, file), "utf8");
  return sources;
}

/** Replaces one exact piece of a module's source; fails loudly when it is not there. */
export function edit(sources: Record<string, string>, module: string, from: string, to: string): Record<string, string> {
  if (!sources[module]?.includes(from)) throw new Error(`${module}.rib has no ${JSON.stringify(from)}`);
  return { ...sources, [module]: sources[module].replace(from, to) };
}

/** The game compiled from `sources`, modules in manifest (update) order as `ribbon run` has them. */
export function compileGame(sources: Record<string, string> = gameSources(), options: CompileOptions = {}): CompiledModule[] {
  const order = manifest().modules;
  const result = compileProgram(order, (name) => (Object.hasOwn(sources, name) ? { path: `demo-game/${name}.rib`, text: sources[name] } : null), options);
  if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
  const rank = (module: CompiledModule) => order.indexOf(module.name);
  return [...result.modules].sort((a, b) => rank(a) - rank(b));
}

/**
 * A player that cannot see: flies small circles with WASD (the next of eight headings every 20 ticks),
 * holds the mouse button with the pointer jumping around the middle, dashes every 3 s and presses
 * enter every 10 s (a new game after a game over; nothing while playing). Deterministic.
 */
export function blindPlayer(ticks: number): InputScriptData {
  const headings = [["d"], ["d", "s"], ["s"], ["s", "a"], ["a"], ["a", "w"], ["w"], ["w", "d"]];
  const frames: InputScriptEntry[] = [];
  for (let tick = 0, step = 0; tick < ticks; tick += 20, step++) {
    const down = [...headings[step % headings.length]];
    if (tick % 600 === 0) down.push("enter");
    if (tick % 180 === 0) down.push("shift");
    const angle = step * 2.4;
    const pointer: [number, number] = [Math.round(640 + 300 * Math.cos(angle)), Math.round(360 + 250 * Math.sin(angle))];
    frames.push({ tick, down, pointer, pointerDown: true });
  }
  return { frames };
}

export interface Run {
  world: World;
  lines: string[];
  errors: string[];
}

/** Starts the game; `step` runs ticks with the script's input and calls `each` after every tick. */
export function startGame(modules: CompiledModule[], seed = manifest().seed) {
  const host = createMemoryHost();
  const world = createWorld(modules, host, { seed });
  startWorld(world);
  const run: Run & { step(ticks: number, script: InputScript | null, each?: (world: World) => boolean | void): void } = {
    world,
    lines: host.lines,
    get errors() {
      return host.errors.map((error) => error.message);
    },
    step(ticks, script, each) {
      for (let index = 0; index < ticks; index++) {
        stepWorld(world, script ? script.at(world.tick) : undefined);
        if (each?.(world) === false) return;
      }
    },
  };
  return run;
}

export function scriptFor(data: InputScriptData): InputScript {
  return createInputScript(data);
}

/** A module `mut` binding's current value. */
export function state<T = unknown>(world: World, module: string, name: string): T {
  return world.byName[module].state[stateKey(name)] as T;
}

/** Live elements of a module's pool. */
export function live(world: World, module: string, pool: string): number {
  return world.byName[module].pools[poolKey(pool)].live;
}

/** Enemies, projectiles and pickups: every body but the ship. */
export function entities(world: World): number {
  return live(world, "physics", "bodies") - 1;
}

// The demo game as the replay and stepping benchmarks run it: demo-game/ in its stress
// configuration (enemy waves up to a cap, the ship cannot die) flown by a scripted pilot for one
// simulated minute. Shared by bench-replay.ts, bench-lockstep.ts and profile-demo.ts, so they
// measure the same thing.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledModule } from "../engine/runtime/module.ts";
import { readManifest } from "../engine/server/game.ts";
import { createInputScript, type InputScript, type InputScriptEntry } from "../tools/cli/input-script.ts";

export const DEMO_TICKS = 3_600;
/** Enemy caps that keep about 500 and 2,000 entities (enemies, projectiles, pickups) alive. */
export const DEMO_CAPS: Record<number, number> = { 500: 420, 2_000: 1_850 };

export interface Demo {
  order: string[];
  seed: number;
  provider: (name: string) => { path: string; text: string } | null;
}

/** The demo's sources with the stress switch on and `cap` enemies at most. */
export function stressDemo(cap: number, demoDir = join(process.cwd(), "demo-game")): Demo {
  const read = readManifest(demoDir);
  if (!read.ok) throw new Error(read.reason);
  const edit = (text: string) => text.replace("STRESS := false", "STRESS := true").replace(/^MAX-ENEMIES := \d+$/m, `MAX-ENEMIES := ${cap}`);
  const provider = (name: string) => {
    const path = join(demoDir, `${name}.rib`);
    if (!existsSync(path)) return null;
    const text = readFileSync(path, "utf8");
    return { path: `demo-game/${name}.rib`, text: name === "spawner" ? edit(text) : text };
  };
  return { order: read.manifest.modules, seed: read.manifest.seed, provider };
}

/** A pilot that flies small circles with WASD and holds the trigger while the pointer sweeps the arena. */
export function demoPilot(): InputScript {
  const headings = [["d"], ["d", "s"], ["s"], ["s", "a"], ["a"], ["a", "w"], ["w"], ["w", "d"]];
  const frames: InputScriptEntry[] = [];
  for (let tick = 0, step = 0; tick < DEMO_TICKS; tick += 20, step++) {
    const angle = step * 2.4;
    frames.push({ tick, down: headings[step % headings.length], pointer: [Math.round(640 + 300 * Math.cos(angle)), Math.round(360 + 250 * Math.sin(angle))], pointerDown: true });
  }
  return createInputScript({ frames });
}

/** Compiled modules in the manifest's update order. */
export function inOrder(modules: readonly CompiledModule[], order: readonly string[]): CompiledModule[] {
  const rank = (module: CompiledModule) => order.indexOf(module.name);
  return [...modules].sort((a, b) => rank(a) - rank(b));
}

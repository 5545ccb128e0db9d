// Steps the demo game in its stress configuration for a minute of simulated play and prints where
// the time goes per module function (run by hand under --cpu-prof to profile the generated code):
// node --cpu-prof --cpu-prof-dir=/tmp/prof tools/bin/run-ts.mjs scripts/profile-demo.ts [CAP]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readManifest } from "../engine/server/game.ts";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import { createInputScript, type InputScriptEntry } from "../tools/cli/input-script.ts";
import { createWorld, startWorld, stepWorld } from "../engine/runtime/world.ts";
import { poolKey } from "../engine/runtime/names.ts";

const cap = Number(process.argv[2] ?? 420);
const demoDir = join(process.cwd(), "demo-game");
const read = readManifest(demoDir);
if (!read.ok) throw new Error(read.reason);
const order = read.manifest.modules;
const provider = (name: string) => {
  const path = join(demoDir, `${name}.rib`);
  if (!existsSync(path)) return null;
  let text = readFileSync(path, "utf8");
  if (name === "spawner") text = text.replace("STRESS := false", "STRESS := true").replace(/^MAX-ENEMIES := \d+$/m, `MAX-ENEMIES := ${cap}`);
  return { path: `demo-game/${name}.rib`, text };
};
const headings = [["d"], ["d", "s"], ["s"], ["s", "a"], ["a"], ["a", "w"], ["w"], ["w", "d"]];
const frames: InputScriptEntry[] = [];
for (let tick = 0, step = 0; tick < 3600; tick += 20, step++) {
  const angle = step * 2.4;
  frames.push({ tick, down: headings[step % headings.length], pointer: [Math.round(640 + 300 * Math.cos(angle)), Math.round(360 + 250 * Math.sin(angle))], pointerDown: true });
}
const pilot = createInputScript({ frames });
const result = compileProgram(order, provider);
if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
const modules = [...result.modules].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
const silent = { log: () => {}, runtimeError: (error: Error) => { throw error; } };
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  const world = createWorld(modules, silent, { seed: read.manifest.seed, drawing: false });
  startWorld(world);
  const bodies = world.byName.physics.pools[poolKey("bodies")];
  const begin = performance.now();
  let steady = 0;
  for (let tick = 0; tick < 3600; tick++) {
    const t0 = performance.now();
    stepWorld(world, pilot.at(tick));
    if (tick >= 1200) steady += performance.now() - t0;
  }
  const ms = performance.now() - begin;
  console.log(`round ${round}: ${ms.toFixed(0)} ms, ${(3600 / (ms / 1000) / 60).toFixed(0)}x real time; steady ${(steady / 2400).toFixed(3)} ms/tick; live ${bodies.live}`);
}

// Steps the demo game in its stress configuration for a minute of simulated play and prints where
// the time goes per module function (run by hand under --cpu-prof to profile the generated code):
// node --cpu-prof --cpu-prof-dir=/tmp/prof tools/bin/run-ts.mjs scripts/profile-demo.ts [CAP]
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import { createWorld, startWorld, stepWorld } from "../engine/runtime/world.ts";
import { poolKey } from "../engine/runtime/names.ts";
import { DEMO_TICKS, demoPilot, inOrder, stressDemo } from "./demo-workload.ts";

const cap = Number(process.argv[2] ?? 420);
const { order, seed, provider } = stressDemo(cap);
const pilot = demoPilot();
const result = compileProgram(order, provider);
if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
const modules = inOrder(result.modules, order);
const silent = { log: () => {}, runtimeError: (error: Error) => { throw error; } };
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  const world = createWorld(modules, silent, { seed, drawing: false });
  startWorld(world);
  const bodies = world.byName.physics.pools[poolKey("bodies")];
  const begin = performance.now();
  let steady = 0;
  for (let tick = 0; tick < DEMO_TICKS; tick++) {
    const t0 = performance.now();
    stepWorld(world, pilot.at(tick));
    if (tick >= 1200) steady += performance.now() - t0;
  }
  const ms = performance.now() - begin;
  console.log(`round ${round}: ${ms.toFixed(0)} ms, ${(DEMO_TICKS / (ms / 1000) / 60).toFixed(0)}x real time; steady ${(steady / (DEMO_TICKS - 1200)).toFixed(3)} ms/tick; live ${bodies.live}`);
}

// Lockstep comparison of generated code (run by hand: npm run bench:lockstep -- REV [CAP]): the
// stress demo (demo-workload.ts) compiled by this tree's compiler and by the compiler of git
// revision REV (checked out in a temporary worktree), stepped in one process, one tick of each
// world in turn over the same input. This machine's speed swings by a quarter between runs, so
// two benchmark runs cannot tell a 3% change; in lockstep the swings fall on both programs alike.
// Each program runs twice side by side: the ratio of a program to its own copy is the harness's
// spread. Both programs run on this tree's runtime (REV's generated code must still fit it).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import type { CompiledModule } from "../engine/runtime/module.ts";
import { createWorld, startWorld, stepWorld, TICKS_PER_SECOND, type World } from "../engine/runtime/world.ts";
import { DEMO_TICKS, demoPilot, inOrder, stressDemo } from "./demo-workload.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const root = process.cwd();
const silent = { log: () => {}, runtimeError: (error: Error) => { throw error; } };

/** The demo as REV's compiler compiles it: a dump script run inside a worktree of REV. */
function compiledAt(revision: string, cap: number): CompiledModule[] {
  const dir = mkdtempSync(join(tmpdir(), "ribbon-lockstep-"));
  const checkout = join(dir, "tree");
  const git = (...args: string[]) => {
    const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  };
  git("worktree", "add", "--detach", checkout, revision);
  try {
    symlinkSync(join(root, "node_modules"), join(checkout, "node_modules"));
    const script = join(checkout, "lockstep-dump.tmp.ts");
    const output = join(dir, "modules.json");
    writeFileSync(
      script,
      `import { writeFileSync } from "node:fs";
import { compileProgram } from "./engine/compiler/compile.ts";
import { stressDemo } from ${JSON.stringify(join(root, "scripts/demo-workload.ts"))};
const demo = stressDemo(${cap}, ${JSON.stringify(join(root, "demo-game"))});
const result = compileProgram(demo.order, demo.provider);
if (!result.ok) throw new Error("the demo does not compile at ${revision}");
writeFileSync(${JSON.stringify(output)}, JSON.stringify(result.modules));
`,
    );
    const run = spawnSync(process.execPath, [join(checkout, "tools/bin/run-ts.mjs"), script], { cwd: checkout, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`compiling at ${revision} failed:\n${run.stderr}`);
    return JSON.parse(readFileSync(output, "utf8")) as CompiledModule[];
  } finally {
    git("worktree", "remove", "--force", checkout);
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds each program spent stepping, per round (the first round is a warm-up, dropped). */
function lockstep(programs: CompiledModule[][], seed: number): number[][] {
  const pilot = demoPilot();
  const times: number[][] = programs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const worlds: World[] = programs.map((modules) => {
      const world = createWorld(modules, silent, { seed, drawing: false });
      startWorld(world);
      return world;
    });
    const spent = worlds.map(() => 0);
    for (let tick = 0; tick < DEMO_TICKS; tick++) {
      const input = pilot.at(tick);
      // A different world goes first each tick, so none always runs on a cache another warmed.
      for (let turn = 0; turn < worlds.length; turn++) {
        const index = (turn + tick) % worlds.length;
        const begin = performance.now();
        stepWorld(worlds[index], input);
        spent[index] += performance.now() - begin;
      }
    }
    if (round > 0) spent.forEach((ms, index) => times[index].push(ms));
  }
  return times;
}

function main(): void {
  const [revision, capArgument] = process.argv.slice(2);
  if (!revision) throw new Error("usage: npm run bench:lockstep -- REV [CAP]");
  const cap = Number(capArgument ?? 420);
  const demo = stressDemo(cap);
  const current = compileProgram(demo.order, demo.provider);
  if (!current.ok) throw new Error(formatDiagnostics(current.diagnostics));
  const base = inOrder(compiledAt(revision, cap), demo.order);
  const here = inOrder(current.modules, demo.order);
  const times = lockstep([base, here, base, here], demo.seed);
  const ratio = (a: number[], b: number[]) => median(a.map((ms, round) => ms / b[round]));
  const speed = (ms: number) => (DEMO_TICKS / (ms / 1000) / TICKS_PER_SECOND).toFixed(0);
  const baseMs = median(times[0].map((ms, round) => (ms + times[2][round]) / 2));
  const hereMs = median(times[1].map((ms, round) => (ms + times[3][round]) / 2));
  console.log(`lockstep: the stress demo (cap ${cap}), ${DEMO_TICKS} ticks, drawing off, ${ROUNDS - 1} rounds after a warm-up; ${revision} against this tree`);
  console.log(`  ${revision.padEnd(12)} ${baseMs.toFixed(0).padStart(5)} ms a round (${speed(baseMs)}x real time)`);
  console.log(`  ${"this tree".padEnd(12)} ${hereMs.toFixed(0).padStart(5)} ms a round (${speed(hereMs)}x real time)`);
  const both = times[1].map((ms, round) => (ms + times[3][round]) / (times[0][round] + times[2][round]));
  console.log(`  this tree / ${revision}: ${median(both).toFixed(3)}x the time (rounds ${Math.min(...both).toFixed(3)}..${Math.max(...both).toFixed(3)})`);
  console.log(`  spread of the harness (each program against its own copy): ${ratio(times[2], times[0]).toFixed(3)}, ${ratio(times[3], times[1]).toFixed(3)}`);
}

main();

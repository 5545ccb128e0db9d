// Lockstep comparison of two versions of the engine (run by hand: npm run bench:lockstep -- REV
// [CAP]): the stress demo (demo-workload.ts) compiled by this tree's compiler and run on this
// tree's runtime, and compiled by the compiler of git revision REV (checked out in a temporary
// worktree) and run on REV's runtime (bundled from that worktree), stepped in one process, one
// tick of each world in turn over the same input. This machine's speed swings by a quarter
// between runs, so two benchmark runs cannot tell a 3% change; in lockstep the swings fall on both
// programs alike. Each program runs twice side by side: the ratio of a program to its own copy is
// the harness's spread.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import type { CompiledModule } from "../engine/runtime/module.ts";
import * as engineHere from "../engine/runtime/world.ts";
import { TICKS_PER_SECOND, type World } from "../engine/runtime/world.ts";
import { DEMO_TICKS, demoPilot, inOrder, stressDemo } from "./demo-workload.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const root = process.cwd();
const silent = { log: () => {}, runtimeError: (error: Error) => { throw error; } };

/** What stepping a world needs from a version of the runtime. */
type Engine = Pick<typeof engineHere, "createWorld" | "startWorld" | "stepWorld">;

interface Version {
  modules: CompiledModule[];
  engine: Engine;
}

/**
 * The demo as REV's compiler compiles it (a dump script run inside a worktree of REV), and REV's
 * runtime, bundled from that worktree into `keep` (a directory the caller removes).
 */
async function versionAt(revision: string, cap: number, keep: string): Promise<Version> {
  const checkout = join(keep, "tree");
  const git = (...args: string[]) => {
    const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  };
  git("worktree", "add", "--detach", checkout, revision);
  try {
    symlinkSync(join(root, "node_modules"), join(checkout, "node_modules"));
    const script = join(checkout, "lockstep-dump.tmp.ts");
    const output = join(keep, "modules.json");
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
    const bundle = join(keep, "engine.mjs");
    buildSync({ entryPoints: [join(checkout, "engine/runtime/world.ts")], bundle: true, platform: "node", format: "esm", target: "node20", outfile: bundle, logLevel: "error" });
    const engine = (await import(pathToFileURL(bundle).href)) as Engine;
    return { modules: JSON.parse(readFileSync(output, "utf8")) as CompiledModule[], engine };
  } finally {
    git("worktree", "remove", "--force", checkout);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds each program spent stepping, per round (the first round is a warm-up, dropped). */
function lockstep(versions: Version[], seed: number): number[][] {
  const pilot = demoPilot();
  const times: number[][] = versions.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const worlds: World[] = versions.map(({ modules, engine }) => {
      const world = engine.createWorld(modules, silent, { seed, drawing: false });
      engine.startWorld(world);
      return world;
    });
    const spent = worlds.map(() => 0);
    for (let tick = 0; tick < DEMO_TICKS; tick++) {
      const input = pilot.at(tick);
      // A different world goes first each tick, so none always runs on a cache another warmed.
      for (let turn = 0; turn < worlds.length; turn++) {
        const index = (turn + tick) % worlds.length;
        const begin = performance.now();
        versions[index].engine.stepWorld(worlds[index], input);
        spent[index] += performance.now() - begin;
      }
    }
    if (round > 0) spent.forEach((ms, index) => times[index].push(ms));
  }
  return times;
}

async function main(): Promise<void> {
  const [revision, capArgument] = process.argv.slice(2);
  if (!revision) throw new Error("usage: npm run bench:lockstep -- REV [CAP]");
  const cap = Number(capArgument ?? 420);
  const demo = stressDemo(cap);
  const current = compileProgram(demo.order, demo.provider);
  if (!current.ok) throw new Error(formatDiagnostics(current.diagnostics));
  const keep = mkdtempSync(join(tmpdir(), "ribbon-lockstep-"));
  let times: number[][];
  try {
    const atRevision = await versionAt(revision, cap, keep);
    const base: Version = { modules: inOrder(atRevision.modules, demo.order), engine: atRevision.engine };
    const here: Version = { modules: inOrder(current.modules, demo.order), engine: engineHere };
    times = lockstep([base, here, base, here], demo.seed);
  } finally {
    rmSync(keep, { recursive: true, force: true });
  }
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

await main();

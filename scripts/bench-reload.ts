// Reload benchmark (run by hand: npm run bench:reload): save → live in a headless dev session.
// One process runs the real `ribbon dev` loop (tools/cli/dev.ts: chokidar watcher, debounce,
// compile, reload at a frame boundary, 60 Hz ticks) on a temp game folder; the script writes the
// module file for real and times, from just before the write, the first tick whose update prints
// the new version marker. 50 saves for a ~50-line module and for a generated ~2,000-line module.
// Beside it, in the same run, the baseline without hot reload: a restart, in-process (compile from
// scratch, create the world, re-simulate to the same tick) and as a new `ribbon run` process.
// Target (docs TARGETS.md): median under 16 ms for the small module.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import type { ReloadReport } from "../engine/reload/report.ts";
import { createWorld, startWorld, stepWorld } from "../engine/runtime/world.ts";
import { startDevLoop, type DevLoop } from "../tools/cli/dev.ts";
import { DEFAULT_DEBOUNCE_MS } from "../tools/cli/watch.ts";

const SAVES = 50;
const WARM_UP_SAVES = 5;
const RESTARTS = 20;
const PROCESS_RESTARTS = 5;
/** Between saves: past chokidar's 50 ms change throttle, plus a random part so saves land at every tick phase. */
const PAUSE_MS = 80;

// ---------------------------------------------------------------- the measured modules

/** A small game module of about 50 lines; VERSION is printed once by the first tick that runs it. */
function smallModule(version: number): string {
  return `;; bench-reload: a small game module; VERSION changes on every save
VERSION := ${version}
shown : mut = -1
ticks : mut = 0
GRAVITY := 9.8
FLOOR := 100.0

Mote := struct { pos: Vec2, vel: Vec2, life: f64 = 10.0 }
motes := pool Mote

spawn-mote := fun (i: i32).
    alloc motes { pos = vec2 (float i) 0.0, vel = vec2 1.0 (float (i % 7)) }

init := fun ().
    for i in 0 .. 64.
        spawn-mote i

bounce := fun (m: *'motes Mote).
    if m.pos.y > FLOOR.
        m.pos = vec2 m.pos.x FLOOR
        m.vel = vec2 m.vel.x (0.0 - m.vel.y * 0.8)
    if m.pos.x > FLOOR or m.pos.x < 0.0.
        m.vel = vec2 (0.0 - m.vel.x) m.vel.y

age := fun (m: *'motes Mote, dt: f64).
    m.life = m.life - dt
    if m.life < 0.0.
        m.life = 10.0
        m.pos = vec2 m.pos.x 0.0

fall := fun (m: *'motes Mote, dt: f64).
    m.vel = m.vel + vec2 0.0 (GRAVITY * dt)
    m.pos = m.pos + m.vel * dt

energy := fun () -> f64.
    total : mut = 0.0
    for m in motes.
        total = total + dot m.vel m.vel * 0.5
    total

update := fun (dt: f64).
    ticks = ticks + 1
    if shown != VERSION.
        print ("v" + str VERSION)
        shown = VERSION
    for m in motes.
        fall m dt
        bounce m
        age m dt
    if ticks % 600 == 0.
        print ("energy " + str (energy ()))
`;
}

/** The small module's update, plus generated helper functions up to about 2,000 lines. */
function largeModule(version: number): string {
  const helpers: string[] = [];
  for (let index = 0; helpers.length * 5 < 1950; index++) {
    helpers.push(`helper-${index} := fun (x: f64) -> f64.
    a := x * 1.0001 + ${index}.0
    b := a - floor a
    if b > 0.5 then a - 1.0 else a + 1.0
`);
  }
  return `${smallModule(version)}\n${helpers.join("\n")}`;
}

// ---------------------------------------------------------------- statistics

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(6)} ms`;
}

// ---------------------------------------------------------------- save → live

interface SaveTiming {
  /** Write → first tick running the new code. */
  live: number;
  /** Write → reload applied (watcher, debounce, compile, plan, migrate, commit). */
  applied: number;
  compile: number;
  plan: number;
  /** migrate + commit: the part that runs at the frame boundary. */
  apply: number;
}

interface LiveRun {
  timings: SaveTiming[];
  /** The world's tick when the last save went live (what a restart has to re-simulate). */
  tick: number;
}

/** Runs the dev loop on a temp folder and times `saves` real saves (after a few warm-up ones). */
async function measureSaves(source: (version: number) => string, rephase: boolean, saves = SAVES): Promise<LiveRun> {
  const folder = mkdtempSync(join(tmpdir(), "ribbon-bench-reload-"));
  const file = join(folder, "game.rib");
  writeFileSync(file, source(0));
  const seen = new Map<string, number>();
  const reports: Array<{ at: number; report: ReloadReport }> = [];
  const loop: DevLoop = await startDevLoop({
    path: folder,
    rephaseAfterReload: rephase,
    output: { log: (line) => seen.set(line, performance.now()), status: () => {} },
    onReport: (report) => reports.push({ at: performance.now(), report }),
  });
  if (!loop.session) throw new Error("the benchmark module does not compile");
  const timings: SaveTiming[] = [];
  try {
    await waitFor(() => seen.has("v0"), "the first tick");
    for (let version = 1; version <= WARM_UP_SAVES + saves; version++) {
      await sleep(PAUSE_MS + Math.random() * 17);
      const reportsBefore = reports.length;
      const written = performance.now();
      writeFileSync(file, source(version));
      await waitFor(() => seen.has(`v${version}`), `version ${version}`);
      const { at, report } = reports[reportsBefore];
      if (report.outcome !== "swapped") throw new Error(`save ${version}: ${report.outcome} ${report.reason}\n${report.details}`);
      if (version <= WARM_UP_SAVES) continue;
      const { compile, plan, migrate, commit } = report.timings;
      timings.push({ live: seen.get(`v${version}`)! - written, applied: at - written, compile, plan, apply: migrate + commit });
    }
    return { timings, tick: loop.session.world.tick };
  } finally {
    await loop.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

async function waitFor(ready: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(0.5);
  }
}

// ---------------------------------------------------------------- baselines: restart

interface Restart {
  total: number;
  compile: number;
  /** Re-simulating the ticks the session had run (the replay that brings the state back). */
  simulate: number;
}

/** Without hot reload, in-process: compile from scratch, a new world, re-simulate to the tick. */
function inProcessRestart(text: string, ticks: number): Restart {
  const started = performance.now();
  const result = compileProgram(["game"], (name) => (name === "game" ? { path: "game.rib", text } : null));
  if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
  const compiled = performance.now();
  const world = createWorld(result.modules, { log: () => {}, runtimeError: (error) => { throw error; } });
  startWorld(world);
  const created = performance.now();
  for (let tick = 0; tick < ticks; tick++) stepWorld(world);
  const finished = performance.now();
  return { total: finished - started, compile: compiled - started, simulate: finished - created };
}

/** Without hot reload, as a user restarts: a new `ribbon run` process up to its first tick. */
function processRestart(text: string): number {
  const folder = mkdtempSync(join(tmpdir(), "ribbon-bench-restart-"));
  const file = join(folder, "game.rib");
  writeFileSync(file, text);
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, ["tools/bin/ribbon.mjs", "run", file, "--ticks", "1"], { encoding: "utf8" });
    const elapsed = performance.now() - started;
    if (run.status !== 0 || !run.stdout.startsWith("v0")) throw new Error(`ribbon run failed: ${run.stderr}`);
    return elapsed;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

async function benchmark(name: string, source: (version: number) => string): Promise<void> {
  const lines = source(0).split("\n").length;
  await measureSaves(source, true, 20); // a whole unmeasured session first: both measured runs start warm
  const live = await measureSaves(source, true);
  const phaseLocked = await measureSaves(source, false);
  const restarts: Restart[] = [];
  for (let round = 0; round <= RESTARTS; round++) {
    const restart = inProcessRestart(source(round), live.tick);
    if (round > 0) restarts.push(restart);
  }
  const processes: number[] = [];
  for (let round = 0; round < PROCESS_RESTARTS; round++) processes.push(processRestart(source(0)));

  const pick = (key: keyof SaveTiming) => live.timings.map((timing) => timing[key]);
  const saveToLive = median(pick("live"));
  const engineWork = median(live.timings.map((timing) => timing.compile + timing.plan + timing.apply));
  const restart = median(restarts.map((entry) => entry.total));
  const simulatePerMinute = (median(restarts.map((entry) => entry.simulate)) / live.tick) * 3600;
  const processRestartMs = median(processes);
  console.log(`\n${name} (${lines} lines), ${SAVES} saves after ${WARM_UP_SAVES} warm-up saves`);
  console.log(`  save → first tick running the new code   median ${ms(saveToLive)}   p95 ${ms(percentile(pick("live"), 0.95))}   (ribbon dev: next tick right after the reload)`);
  console.log(`    of which: write → reload applied        median ${ms(median(pick("applied")))}   (watcher, ${DEFAULT_DEBOUNCE_MS} ms debounce; compile and plan run during it)`);
  console.log(`              compile (ahead)               median ${ms(median(pick("compile")))}`);
  console.log(`              plan (ahead)                  median ${ms(median(pick("plan")))}`);
  console.log(`              migrate + commit (at the boundary) ${ms(median(pick("apply")))}`);
  const locked = phaseLocked.timings.map((timing) => timing.live);
  console.log(`  same, ticks kept in the old 60 Hz phase   median ${ms(median(locked))}   p95 ${ms(percentile(locked, 0.95))}   (waits up to one frame for the next tick)`);
  console.log(`  baseline: restart in-process              median ${ms(restart)}   (compile ${ms(median(restarts.map((entry) => entry.compile)))} + new world + re-simulate the session's ${live.tick} ticks)`);
  console.log(`            (re-simulating costs ${ms(simulatePerMinute)} per minute of play: a longer session restarts slower; hot reload does not)`);
  console.log(`  baseline: restart as a new process        median ${ms(processRestartMs)}   (node tools/bin/ribbon.mjs run to the end of tick 1; state lost)`);
  console.log(`  ratio, save → live / restart:  in-process ${(saveToLive / restart).toFixed(2)}x,  new process ${(saveToLive / processRestartMs).toFixed(3)}x`);
  console.log(`  ratio, engine work only (compile + plan + migrate + commit ${ms(engineWork)}) / in-process restart: ${(engineWork / restart).toFixed(2)}x`);
  console.log(`  target: median ≤ 16 ms for the small module → ${name === "small module" ? (saveToLive <= 16 ? "met" : "MISSED") : "n/a"}`);
}

/** Other processes skew every number here: the load average is printed so a reader can judge. */
function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(2)).join(" ");
}

console.log(`reload: save → live in a headless dev session (real files, chokidar watcher, 60 Hz loop), node ${process.version}, load average ${loadAverage()}`);
await benchmark("small module", smallModule);
await benchmark("large module", largeModule);
console.log(`\nload average at the end: ${loadAverage()}`);

// Migration benchmark (run by hand: npm run bench:migration): how long a reload that changes a
// pool's element type takes with 10,000 and 100,000 live entities, for a generated migration (a
// field added with a default) and for a written migration function (`(old Body) -> Body`). Prints
// the report's migrate phase and the whole reload, beside a baseline measured in the same run: a
// hand-written TypeScript loop copying the same columns into new Float64Arrays.
// Target (TARGETS.md): 100,000 entities, generated migration, under 5 ms.

import { loadavg } from "node:os";
import { poolKey } from "../engine/runtime/names.ts";
import type { Pool } from "../engine/runtime/pool.ts";
import { stepWorld } from "../engine/runtime/world.ts";
import type { ReloadReport } from "../engine/reload/report.ts";
import { startDevSession, type DevSession } from "../engine/reload/session.ts";

const ROUNDS = 11;
const WARM_UP_ROUNDS = 2;
const TICKS_BEFORE_RELOAD = 3;

// ---------------------------------------------------------------- the module's versions

function version1(count: number): string {
  return `;; bench-migration v1: ${count} bodies
Body := struct { pos: Vec2, vel: Vec2, hp: f64 = 100.0 }
bodies := pool Body
COUNT := ${count}

init := fun ().
    for i in 0 .. COUNT.
        alloc bodies { pos = vec2 (float i) 0.0, vel = vec2 1.0 0.5 }

update := fun (dt: f64).
    for b in bodies.
        b.pos = b.pos + b.vel * dt
`;
}

/** A field added with a default: the compiler generates the migration. */
function withAddedField(count: number): string {
  return version1(count).replace("hp: f64 = 100.0 }", "hp: f64 = 100.0, armor: f64 = 5.0 }");
}

/** `hp` renamed to `health`: needs the written migration function below. */
function withMigrationFunction(count: number): string {
  return `${version1(count).replace("hp: f64 = 100.0 }", "health: f64 = 100.0, armor: f64 = 5.0 }")}
body-from-v1 := fun (prev: old Body) -> Body.
    Body { pos = prev.pos, vel = prev.vel, health = prev.hp }
`;
}

// ---------------------------------------------------------------- measuring

interface Measured {
  migrate: number;
  commit: number;
  compile: number;
  /** session.reload() from the outside: compile, plan, migrate, commit. */
  total: number;
  baseline: number;
}

/** A fresh session at v1 with `count` bodies, a few ticks in. */
function startAtVersion1(count: number): { session: DevSession; setSource: (text: string) => void } {
  let text = version1(count);
  const started = startDevSession({
    roots: ["game"],
    provider: (name) => (name === "game" ? { path: "game.rib", text } : null),
    host: { log: () => {}, runtimeError: (error) => { throw error; } },
    now: () => performance.now(),
  });
  if (!started.ok) throw new Error(started.diagnostics);
  for (let tick = 0; tick < TICKS_BEFORE_RELOAD; tick++) stepWorld(started.session.world);
  return { session: started.session, setSource: (next) => (text = next) };
}

function bodiesOf(session: DevSession): Pool {
  return session.world.byName.game.pools[poolKey("bodies")];
}

/** The baseline: what a hand-written engine would do, copying live rows into new columns. */
function handWrittenCopy(old: Pool, newColumnCount: number, defaultValue: number): number {
  const started = performance.now();
  const capacity = old.capacity;
  const columns: Float64Array[] = [];
  for (let index = 0; index < newColumnCount; index++) columns.push(new Float64Array(capacity));
  const sources = old.cols as Float64Array[];
  const copied = Math.min(sources.length, newColumnCount - 1);
  for (let slot = 0; slot < old.size; slot++) {
    if ((old.gens[slot] & 1) === 0) continue;
    for (let index = 0; index < copied; index++) columns[index][slot] = sources[index][slot];
    columns[newColumnCount - 1][slot] = defaultValue;
  }
  const elapsed = performance.now() - started;
  if (columns[0][1] !== sources[0][1]) throw new Error("baseline copy is wrong");
  return elapsed;
}

function measureOnce(count: number, nextSource: (count: number) => string, outcome: ReloadReport["outcome"]): Measured {
  const { session, setSource } = startAtVersion1(count);
  const old = bodiesOf(session);
  // Best of three, so the baseline runs optimised code (the engine's migration is warm too).
  const baseline = Math.min(...[0, 1, 2].map(() => handWrittenCopy(old, old.cols.length + 1, 5.0)));
  setSource(nextSource(count));
  const started = performance.now();
  const report = session.reload();
  const total = performance.now() - started;
  if (report.outcome !== outcome || report.migrated.bodies !== count) {
    throw new Error(`expected ${outcome} of ${count} bodies, got ${report.outcome} (${JSON.stringify(report.migrated)}): ${report.reason}\n${report.details}`);
  }
  checkMigrated(bodiesOf(session), count);
  return { migrate: report.timings.migrate, commit: report.timings.commit, compile: report.timings.compile, total, baseline };
}

/** Every body kept its position and got armor 5 (the last column in both new layouts). */
function checkMigrated(pool: Pool, count: number): void {
  const armor = pool.cols[pool.cols.length - 1] as Float64Array;
  const x = pool.cols[0] as Float64Array;
  for (const slot of [0, count >> 1, count - 1]) {
    if (armor[slot] !== 5 || Math.abs(x[slot] - (slot + TICKS_BEFORE_RELOAD / 60)) > 1e-9) {
      throw new Error(`slot ${slot} migrated wrong: x ${x[slot]}, armor ${armor[slot]}`);
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(value: number): string {
  return `${value.toFixed(2).padStart(7)} ms`;
}

function benchmark(count: number, name: string, nextSource: (count: number) => string, outcome: ReloadReport["outcome"]): void {
  const rounds: Measured[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    const measured = measureOnce(count, nextSource, outcome);
    if (round >= WARM_UP_ROUNDS) rounds.push(measured);
  }
  const pick = (key: keyof Measured) => median(rounds.map((round) => round[key]));
  const migrate = pick("migrate");
  const baseline = pick("baseline");
  console.log(
    `${String(count).padStart(7)} bodies  ${name.padEnd(20)} migrate ${ms(migrate)}  commit ${ms(pick("commit"))}  whole reload ${ms(pick("total"))} (compile ${ms(pick("compile"))})  ` +
      `hand-written copy ${ms(baseline)}  migrate/baseline ${(migrate / baseline).toFixed(2)}x`,
  );
}

/** Other processes skew every number here: the load average is printed so a reader can judge. */
function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(2)).join(" ");
}

console.log(`migration: one pool of Body { pos: Vec2, vel: Vec2, hp: f64 }, all live; median of ${ROUNDS} fresh sessions after ${WARM_UP_ROUNDS} warm-up ones, node ${process.version}, load average ${loadAverage()}`);
console.log(`(migrate = report timing, new pools built beside the old ones; commit includes the probation snapshot; baseline = a TS loop copying the live rows into new Float64Arrays)`);
for (const count of [10_000, 100_000]) {
  benchmark(count, "generated (+armor)", withAddedField, "migrated");
  benchmark(count, "written function", withMigrationFunction, "migrated");
}
console.log(`load average at the end: ${loadAverage()}`);

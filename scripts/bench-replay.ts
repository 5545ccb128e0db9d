// Replay benchmark (run by hand: node tools/bin/run-ts.mjs scripts/bench-replay.ts): the arena
// workload (scripts/arena/arena.rib) at 500 and 2,000 agents. A session of one simulated minute is
// recorded, then replayed headless; speed is ticks per second / 60 = multiples of real time.
// Baseline: the same world stepped in the same process with no recorder and no checks.
// Target: replay at 500 agents at least 100x real time.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import type { Recording } from "../engine/replay/format.ts";
import { replay } from "../engine/replay/replay.ts";
import { startRecordedSession } from "../engine/replay/session.ts";
import { parseRecording } from "../engine/replay/validate.ts";
import type { InputFrame } from "../engine/runtime/host.ts";
import { NO_INPUT } from "../engine/runtime/host.ts";
import { createWorld, startWorld, stepWorld, TICKS_PER_SECOND } from "../engine/runtime/world.ts";

const TICKS = 3600;
const SEED = 7;
const ROUNDS = 5;
const here = join(process.cwd(), "scripts");
const silent = { log: () => {}, runtimeError: (error: Error) => { throw error; } };

function arenaSource(count: number): string {
  return readFileSync(join(here, "arena/arena.rib"), "utf8").replace(/^COUNT := \d+$/m, `COUNT := ${count}`);
}

/** Some input every second so the tape is not one run (the arena ignores it). */
function input(tick: number): InputFrame {
  if (tick % 60 >= 10) return NO_INPUT;
  return { down: new Set(["right"]), pressed: new Set(tick % 60 === 0 ? ["space"] : []), released: new Set(), pointer: { x: tick, y: 0 }, pointerDown: false, pointerPressed: false };
}

function record(source: string): { recording: Recording; ms: number } {
  const started = startRecordedSession({ roots: ["arena"], provider: (name) => (name === "arena" ? { path: "arena.rib", text: source } : null), host: silent, seed: SEED });
  if (!started.ok) throw new Error(started.diagnostics);
  const session = started.recorded;
  const begin = performance.now();
  for (let tick = 0; tick < TICKS; tick++) session.step(input(tick));
  const recording = session.finish();
  return { recording, ms: performance.now() - begin };
}

function baseline(source: string): number {
  const result = compileProgram(["arena"], (name) => (name === "arena" ? { path: "arena.rib", text: source } : null));
  if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
  const world = createWorld(result.modules, silent, { seed: SEED });
  startWorld(world);
  const begin = performance.now();
  for (let tick = 0; tick < TICKS; tick++) stepWorld(world, input(tick));
  return performance.now() - begin;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const realTime = (ms: number) => (TICKS / (ms / 1000)) / TICKS_PER_SECOND;

function measure(count: number): void {
  const source = arenaSource(count);
  const { recording, ms: recordMs } = record(source);
  const text = JSON.stringify(recording);
  const replayTimes: number[] = [];
  const parseTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const parseStart = performance.now();
    const parsed = parseRecording(text);
    const parseMs = performance.now() - parseStart;
    if (!parsed.ok) throw new Error(parsed.error.message);
    const baseMs = baseline(source);
    const start = performance.now();
    const result = replay(parsed.recording);
    const replayMs = performance.now() - start;
    if (result.kind !== "matched") throw new Error(`replay at N=${count} did not match: ${result.kind}`);
    if (round === 0) continue;
    replayTimes.push(replayMs);
    parseTimes.push(parseMs);
    baseTimes.push(baseMs);
  }
  const replayMs = median(replayTimes);
  const baseMs = median(baseTimes);
  console.log(
    `N=${String(count).padStart(5)}  replay ${realTime(replayMs).toFixed(0).padStart(5)}x real time (${replayMs.toFixed(0)} ms, + ${median(parseTimes).toFixed(1)} ms to read the file)` +
      `  ·  baseline stepping ${realTime(baseMs).toFixed(0).padStart(5)}x  ·  replay/baseline ${(replayMs / baseMs).toFixed(2)}x time` +
      `  ·  recording ${realTime(recordMs).toFixed(0)}x  ·  file ${(text.length / 1024).toFixed(0)} KiB`,
  );
}

console.log(`replay: arena, ${TICKS} ticks (${TICKS / TICKS_PER_SECOND} s simulated), hash every ${60} ticks, checkpoint every 600; median of ${ROUNDS} rounds after a warm-up`);
for (const count of [500, 2_000]) measure(count);

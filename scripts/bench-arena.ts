// Arena benchmark (run by hand: npm run bench:arena): the same 600-tick workload in Ribbon and in
// hand-written TypeScript over Float64Arrays, in one process. Both must print the same checksum;
// the ratio of ms per tick is the number to watch (target: Ribbon at most 1.5x at 10,000 agents).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import { exportKey } from "../engine/runtime/names.ts";
import type { FactoryCache } from "../engine/runtime/load.ts";
import { createWorld, startWorld, stepWorld, TICK_SECONDS, type World } from "../engine/runtime/world.ts";
import { arenaChecksum, createArena, stepArena } from "./arena/arena-baseline.ts";

const TICKS = 600;
const SEED = 7;
const ROUNDS = 9;
const BLOCK = 20;
/** Scripts run from the repository root (npm run sets the working directory). */
const here = join(process.cwd(), "scripts");

/** One compile per size; worlds share factories, as a long-running game's code stays warm. */
function ribbonWorlds(count: number): () => World {
  const source = readFileSync(join(here, "arena/arena.rib"), "utf8").replace(/^COUNT := \d+$/m, `COUNT := ${count}`);
  const result = compileProgram(["arena"], (name) => (name === "arena" ? { path: "arena.rib", text: source } : null));
  if (!result.ok) throw new Error(formatDiagnostics(result.diagnostics));
  const factories: FactoryCache = new Map();
  return () => {
    const world = createWorld(result.modules, { log: () => {}, runtimeError: (error) => { throw error; } }, { seed: SEED, factories });
    startWorld(world);
    return world;
  };
}

function ribbonChecksum(world: World): number {
  return (world.byName.arena.table[exportKey("checksum")] as () => number)();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Both step in turns of BLOCK ticks (which goes first alternates), so this machine's swings in
 * speed fall on both alike, while each runs on its own data warm in the cache (a tick of each in
 * turn would have them evict each other's); the ratio is taken per round.
 */
function measure(count: number): void {
  const ribbonTimes: number[] = [];
  const baselineTimes: number[] = [];
  const ratios: number[] = [];
  let checksums: [number, number] = [0, 0];
  const newWorld = ribbonWorlds(count);
  // Round 0 warms both up and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const world = newWorld();
    const arena = createArena(count, SEED);
    let ribbonMs = 0;
    let baselineMs = 0;
    for (let block = 0; block < TICKS / BLOCK; block++) {
      const baselineTurn = () => (baselineMs += timed(() => { for (let tick = 0; tick < BLOCK; tick++) stepArena(arena, TICK_SECONDS); }));
      const ribbonTurn = () => (ribbonMs += timed(() => { for (let tick = 0; tick < BLOCK; tick++) stepWorld(world); }));
      const turns = block % 2 === 0 ? [baselineTurn, ribbonTurn] : [ribbonTurn, baselineTurn];
      for (const turn of turns) turn();
    }
    checksums = [ribbonChecksum(world), arenaChecksum(arena)];
    if (checksums[0] !== checksums[1]) throw new Error(`checksums differ at N=${count}: ribbon ${checksums[0]} vs baseline ${checksums[1]}`);
    if (round === 0) continue;
    ribbonTimes.push(ribbonMs / TICKS);
    baselineTimes.push(baselineMs / TICKS);
    ratios.push(ribbonMs / baselineMs);
  }
  const range = `${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}`;
  console.log(
    `N=${String(count).padStart(6)}  hand-written TS ${median(baselineTimes).toFixed(4)} ms/tick  Ribbon ${median(ribbonTimes).toFixed(4)} ms/tick  ratio ${median(ratios).toFixed(2)}x (rounds ${range})  checksum ${checksums[0]}`,
  );
}

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

console.log(`arena: ${TICKS} ticks, stepped in turns of ${BLOCK} ticks with the hand-written TS; median of ${ROUNDS} rounds after a warm-up round, same process, same seed`);
for (const count of [1_000, 10_000]) measure(count);

// Compile benchmark (run by hand: npm run bench:compile [-- LINES]): a generated 10,000-line
// Ribbon module through parse, check and code generation, each timed alone and all together, and
// esbuild transforming generated TypeScript of the same line count as the baseline. Target: total
// under 200 ms for 10,000 lines. Rounds interleave every measurement (so a busy machine slows all
// of them alike); medians and minimums of the rounds after the warm-up ones, in one process.

import { transformSync } from "esbuild";
import { BUILTIN_MODULE_SOURCES } from "../engine/checker/builtins.ts";
import { checkProgram, type ModuleInput } from "../engine/checker/check.ts";
import type { CheckedProgram } from "../engine/checker/program.ts";
import { generateModule } from "../engine/codegen/generate.ts";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";
import { createSourceFile } from "../engine/diagnostics/source.ts";
import { parseModule } from "../engine/syntax/parser.ts";
import { generateRibbonModule, generateTypeScriptModule } from "./generate-module.ts";

const LINES = Number(process.argv[2] ?? 10_000);
const WARMUP = 5;
const ROUNDS = 15;
const TARGET_MS = 200;
const MODULE = "game";
/** The generated module imports engine/rand, so the program has two modules. */
const IMPORTED = "engine/rand";

interface Timing {
  median: number;
  min: number;
}

function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] };
}

/** Runs every task once per round, WARMUP uncounted rounds then ROUNDS counted ones. */
function measureInterleaved<K extends string>(tasks: Record<K, () => void>): Record<K, Timing> {
  const names = Object.keys(tasks) as K[];
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const name of names) {
      const start = performance.now();
      tasks[name]();
      const elapsed = performance.now() - start;
      if (round >= WARMUP) times.get(name)!.push(elapsed);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(times.get(name)!)])) as Record<K, Timing>;
}

function row(label: string, timing: Timing, note = ""): string {
  return `  ${label.padEnd(8)} ${timing.median.toFixed(1).padStart(7)} ms  (min ${timing.min.toFixed(1).padStart(6)} ms)${note}`;
}

function parseInputs(source: string): ModuleInput[] {
  const builtin = createSourceFile(`<engine>/${IMPORTED}.rib`, BUILTIN_MODULE_SOURCES[IMPORTED]);
  const file = createSourceFile(`${MODULE}.rib`, source);
  return [
    { name: IMPORTED, file: builtin, ast: parseModule(builtin).ast, builtin: true },
    { name: MODULE, file, ast: parseModule(file).ast, builtin: false },
  ];
}

function generateAll(program: CheckedProgram): number {
  return program.modules.reduce((size, module) => size + generateModule(program, module).code.length, 0);
}

function compileWhole(source: string) {
  return compileProgram([MODULE], (name) => (name === MODULE ? { path: `${MODULE}.rib`, text: source } : null));
}

function main(): void {
  const ribbon = generateRibbonModule(LINES);
  const typeScript = generateTypeScriptModule(LINES);
  const result = compileWhole(ribbon);
  if (result.diagnostics.length > 0) throw new Error(`the generated module has diagnostics:\n${formatDiagnostics(result.diagnostics)}`);
  const functions = result.program!.modules.find((module) => module.name === MODULE)!.functions.size;
  const jsSize = generateAll(result.program!);

  const inputs = parseInputs(ribbon);
  const program = checkProgram(inputs);
  const timings = measureInterleaved({
    parse: () => parseInputs(ribbon),
    check: () => checkProgram(inputs),
    codegen: () => generateAll(program),
    total: () => compileWhole(ribbon),
    esbuild: () => transformSync(typeScript, { loader: "ts", format: "esm", target: "es2022" }),
  });

  const lines = (text: string) => text.split("\n").length - 1;
  const { total, esbuild } = timings;
  console.log(`compile: ${lines(ribbon)}-line Ribbon module (${functions} functions, ${(ribbon.length / 1024).toFixed(0)} KiB) -> ${(jsSize / 1024).toFixed(0)} KiB of JavaScript`);
  console.log(`median (and minimum) of ${ROUNDS} interleaved rounds after ${WARMUP} warm-up rounds, one process`);
  console.log(row("parse", timings.parse));
  console.log(row("check", timings.check));
  console.log(row("codegen", timings.codegen));
  console.log(row("total", total, `  compileProgram: load, parse, check, codegen; target < ${TARGET_MS} ms: ${total.median < TARGET_MS ? "met" : "MISSED"}`));
  console.log(row("esbuild", esbuild, `  baseline: transform of a ${lines(typeScript)}-line TypeScript module`));
  console.log(`Ribbon total / esbuild: ${(total.median / esbuild.median).toFixed(2)}x (medians), ${(total.min / esbuild.min).toFixed(2)}x (minimums)`);
}

main();

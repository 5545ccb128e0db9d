// Test helpers: compile Ribbon source held in memory and run it headless.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileProgram, type CompileOptions, type CompileResult } from "../../engine/compiler/compile.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import { createWorld, startWorld, stepWorld, type World } from "../../engine/runtime/world.ts";

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedExamples = join(repositoryRoot, "../shared/ribbon/examples");

/** Compiles modules given as name → source; the first is the root. */
export function compileSources(sources: Record<string, string>, options: CompileOptions = {}): CompileResult {
  const names = Object.keys(sources);
  return compileProgram([names[0]], (name) => (Object.hasOwn(sources, name) ? { path: `${name}.rib`, text: sources[name] } : null), options);
}

export interface RunOutcome {
  compile: CompileResult;
  lines: string[];
  errors: string[];
  world: World | null;
}

export function runSources(sources: Record<string, string>, ticks = 40, seed = 1, options: CompileOptions = {}): RunOutcome {
  const compile = compileSources(sources, options);
  if (!compile.ok) return { compile, lines: [], errors: [], world: null };
  const host = createMemoryHost();
  const world = createWorld(compile.modules, host, { seed });
  startWorld(world);
  for (let tick = 0; tick < ticks; tick++) stepWorld(world);
  return { compile, lines: host.lines, errors: host.errors.map((error) => error.message), world };
}

export function runSource(source: string, ticks = 40): RunOutcome {
  return runSources({ main: source }, ticks);
}

export function readExample(name: string): string {
  return readFileSync(join(sharedExamples, name), "utf8");
}

/** `;; expect: X` lines in order, and `;; error: TEXT at LINE` lines, from an example program. */
export function expectations(source: string): { expect: string[]; errors: Array<{ text: string; line: number }> } {
  const expect: string[] = [];
  const errors: Array<{ text: string; line: number }> = [];
  for (const line of source.split("\n")) {
    const expected = /;;\s*expect:\s?(.*)$/.exec(line);
    if (expected) expect.push(expected[1].trimEnd());
    const failure = /;;\s*error:\s*(.*?)\s+at\s+(\d+)\s*$/.exec(line);
    if (failure) errors.push({ text: failure[1], line: Number(failure[2]) });
  }
  return { expect, errors };
}

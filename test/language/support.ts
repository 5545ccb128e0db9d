// Shared helpers for the language tests: run a program and get what a user would see (printed
// lines, runtime errors, diagnostics with their line:column).

import { expect } from "vitest";
import type { CompileOptions } from "../../engine/compiler/compile.ts";
import { locate } from "../../engine/diagnostics/source.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import type { RibbonRuntimeError } from "../../engine/runtime/errors.ts";
import { createWorld, startWorld, stepWorld, type World, type WorldOptions } from "../../engine/runtime/world.ts";
import { compileSources, runSources } from "../helpers/ribbon.ts";

/** Removes the common indentation, so programs can be written indented inside template strings. */
export function rib(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, "");
  const lines = text.split("\n");
  const indents = lines.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common)).join("\n");
}

export interface Seen {
  code: string;
  line: number;
  column: number;
  file: string;
  message: string;
  notes: string[];
}

/** Every diagnostic of compiling these modules (first is the root), as the user reads them. */
export function diagnose(sources: Record<string, string> | string): Seen[] {
  const result = compileSources(typeof sources === "string" ? { main: sources } : sources);
  return result.diagnostics.map((diagnostic) => {
    const { line, column } = locate(diagnostic.file, diagnostic.span.start);
    return {
      code: diagnostic.code,
      line,
      column,
      file: diagnostic.file.path,
      message: diagnostic.message,
      notes: diagnostic.notes.map((note) => note.message),
    };
  });
}

/** Printed lines of a program that must compile and run without runtime errors. */
export function printed(sources: Record<string, string> | string, ticks = 1, seed = 1, options: CompileOptions = {}): string[] {
  const outcome = runSources(typeof sources === "string" ? { main: sources } : sources, ticks, seed, options);
  expect(outcome.compile.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.message} @${locate(diagnostic.file, diagnostic.span.start).line}`)).toEqual([]);
  expect(outcome.errors).toEqual([]);
  return outcome.lines;
}

export interface Session {
  world: World;
  lines: string[];
  errors: RibbonRuntimeError[];
  step(ticks?: number): void;
}

/** A started world whose ticks the test drives, for watching state between ticks. */
export function startSession(sources: Record<string, string> | string, options: WorldOptions = {}): Session {
  const compiled = compileSources(typeof sources === "string" ? { main: sources } : sources);
  expect(compiled.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([]);
  const host = createMemoryHost();
  const world = createWorld(compiled.modules, host, options);
  startWorld(world);
  return {
    world,
    lines: host.lines,
    errors: host.errors,
    step(ticks = 1) {
      for (let tick = 0; tick < ticks; tick++) stepWorld(world);
    },
  };
}

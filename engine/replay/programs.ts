// Recompiles a recorded program as the session had it: each program is compiled against the one
// that was running when it was (its `old` types come from there), so the chain is followed from
// the start. Used to resume at a checkpoint without simulating what came before.

import { compileProgram, type CompileResult } from "../compiler/compile.ts";
import { formatDiagnostics } from "../diagnostics/format.ts";
import type { RunningProgram } from "../reload/plan.ts";
import { previousTypes } from "../reload/session.ts";
import type { Recording, WorldImage } from "./format.ts";
import { recordedProvider } from "./sources.ts";

export type ProgramResult = { ok: true; result: CompileResult } | { ok: false; message: string };

export function compileRecorded(recording: Recording, index: number, cache = new Map<number, ProgramResult>()): ProgramResult {
  const known = cache.get(index);
  if (known) return known;
  const record = recording.programs[index];
  let previous: CompileResult | null = null;
  if (record.base !== null) {
    const base = compileRecorded(recording, record.base, cache);
    if (!base.ok) return base;
    previous = base.result;
  }
  const running = previous?.program ? { program: previous.program, modules: previous.modules, versions: new Map() } : null;
  const result = compileProgram(record.roots, recordedProvider(recording, index), running ? { previousTypes: previousTypes(running) } : {});
  const outcome: ProgramResult = result.ok && result.program
    ? { ok: true, result }
    : { ok: false, message: `recorded program ${index} no longer compiles:\n${formatDiagnostics(result.diagnostics)}` };
  cache.set(index, outcome);
  return outcome;
}

/** The running program a session had at a checkpoint: compiled code plus the image's module versions. */
export function runningAt(result: CompileResult, image: WorldImage): RunningProgram {
  return {
    program: result.program!,
    modules: result.modules,
    versions: new Map(image.modules.map((module) => [module.name, module.version])),
  };
}

// The compiler half of a browser dev session: remembers the program the page runs, compiles a
// change against it, plans the reload (reload/plan.ts) and hands out one ReloadPackage at a time.
// The page's report decides whether the new program becomes the running one; changes that arrive
// while a reload is in flight are compiled after its report. No world lives here.

import { compileProgram, createCompileCache, type CompileCache, type SourceProvider } from "../compiler/compile.ts";
import { formatDiagnostics } from "../diagnostics/format.ts";
import { positionOf } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../diagnostics/source.ts";
import type { RunningProgram } from "../reload/plan.ts";
import type { ReloadPackage } from "../reload/plan-types.ts";
import type { ReloadReport } from "../reload/report.ts";
import { packageFor, previousTypes } from "../reload/session.ts";
import type { CompiledModule } from "../runtime/module.ts";

export interface CompilerSide {
  running: RunningProgram | null;
  inFlight: InFlight | null;
  /** A change arrived while a reload was in flight. */
  dirty: boolean;
  nextId: number;
  /** The program before the last accepted reload, for a probation rollback. */
  beforeLast: { id: number; running: RunningProgram } | null;
  /** Parses and generated code of unchanged modules, reused by the next compile. */
  cache: CompileCache;
}

interface InFlight {
  id: number;
  next: RunningProgram | null;
}

export type CompileStep =
  | { kind: "start"; modules: CompiledModule[]; versions: Record<string, number> }
  | { kind: "waiting"; reason: string; details: string }
  | { kind: "reload"; id: number; pkg: ReloadPackage }
  /** A reload is in flight; this change is compiled after its report. */
  | { kind: "deferred" };

export function createCompilerSide(): CompilerSide {
  return { running: null, inFlight: null, dirty: false, nextId: 1, beforeLast: null, cache: createCompileCache() };
}

export function versionsOf(running: RunningProgram): Record<string, number> {
  return Object.fromEntries(running.versions);
}

/**
 * Compiles the current sources: a first start, or a reload package against the running program.
 * `rootsFile` is the manifest that lists the roots (CompileOptions.rootsFile).
 */
export function compileChange(side: CompilerSide, roots: string[], provider: SourceProvider, now: () => number, rootsFile?: SourceFile): CompileStep {
  if (side.inFlight) {
    side.dirty = true;
    return { kind: "deferred" };
  }
  side.dirty = false;
  if (!side.running) return firstStart(side, roots, provider, rootsFile);
  const started = now();
  const next = compileProgram(roots, provider, { previousTypes: previousTypes(side.running), cache: side.cache, rootsFile });
  const compiled = now();
  const pkg = packageFor(side.running, next, compiled - started);
  pkg.timings.plan = now() - compiled;
  const id = side.nextId++;
  const accepted = !pkg.rejection && next.program ? { program: next.program, modules: next.modules, versions: nextVersions(side.running, pkg) } : null;
  side.inFlight = { id, next: accepted };
  return { kind: "reload", id, pkg };
}

function firstStart(side: CompilerSide, roots: string[], provider: SourceProvider, rootsFile: SourceFile | undefined): CompileStep {
  const result = compileProgram(roots, provider, { cache: side.cache, rootsFile });
  if (!result.ok || !result.program) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    const first = errors[0];
    const reason = first ? `${positionOf(first)}: ${first.message}` : "the game does not compile";
    return { kind: "waiting", reason, details: formatDiagnostics(errors) };
  }
  side.running = { program: result.program, modules: result.modules, versions: new Map(result.modules.map((module) => [module.name, 1])) };
  return { kind: "start", modules: result.modules, versions: versionsOf(side.running) };
}

/** Versions after the package applies: planned modules move to their `toVersion`. */
function nextVersions(running: RunningProgram, pkg: ReloadPackage): Map<string, number> {
  const versions = new Map<string, number>();
  for (const module of pkg.modules) versions.set(module.name, running.versions.get(module.name) ?? 1);
  for (const plan of pkg.plans) versions.set(plan.module, plan.toVersion);
  return versions;
}

/** The page answered reload `id`: commit the new program unless it was refused. Returns whether a recompile is due. */
export function acknowledge(side: CompilerSide, id: number, report: ReloadReport): boolean {
  if (!side.inFlight || side.inFlight.id !== id) return false;
  const { next } = side.inFlight;
  side.inFlight = null;
  if (next && isAccepted(report) && side.running) {
    side.beforeLast = { id, running: side.running };
    side.running = next;
  }
  return side.dirty;
}

/** Nobody answered (no page connected, or it went away): treat the reload as applied. */
export function settleWithoutPage(side: CompilerSide): boolean {
  if (!side.inFlight) return false;
  const { id, next } = side.inFlight;
  side.inFlight = null;
  if (next && side.running) {
    side.beforeLast = { id, running: side.running };
    side.running = next;
  }
  return side.dirty;
}

/** Probation rolled reload `id` back in the page: the program before it runs again. */
export function rolledBack(side: CompilerSide, id: number): void {
  if (side.beforeLast && side.beforeLast.id === id) {
    side.running = side.beforeLast.running;
    side.beforeLast = null;
  }
}

function isAccepted(report: ReloadReport): boolean {
  switch (report.outcome) {
    case "swapped":
    case "migrated":
    case "reset":
    case "restarted":
      return true;
    case "rejected":
    case "rolled-back":
      return false;
    default: {
      const never: never = report.outcome;
      return never;
    }
  }
}

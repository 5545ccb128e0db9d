// A live development session: compiles a game, runs its world, and on each change recompiles
// against the running version, plans the reload and applies it at the next frame boundary. The
// same object drives `ribbon dev --headless`, `ribbon session` and the tests.

import { compileProgram, createCompileCache, type CompileCache, type CompileResult, type SourceProvider } from "../compiler/compile.ts";
import type { PreviousTypes } from "../checker/context.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatDiagnostics } from "../diagnostics/format.ts";
import type { SourceFile } from "../diagnostics/source.ts";
import type { Host } from "../runtime/host.ts";
import type { FactoryCache } from "../runtime/load.ts";
import { createWorld, startWorld, type World } from "../runtime/world.ts";
import { applyReload } from "./apply.ts";
import { planReload, summarizeErrors, type RunningProgram } from "./plan.ts";
import type { ReloadPackage } from "./plan-types.ts";
import { emptyTimings, type ReloadReport } from "./report.ts";

export interface DevSessionOptions {
  roots: string[];
  /** The manifest that lists the roots, where a missing one is reported (CompileOptions.rootsFile). */
  rootsFile?: SourceFile;
  provider: SourceProvider;
  host: Host;
  seed?: number;
  probationTicks?: number;
  /** Collect Draw commands (default true; see WorldOptions.drawing). */
  drawing?: boolean;
  /** Clock for report timings (tools pass performance.now; the simulation never reads it). */
  now?: () => number;
  /** Every report, including rollbacks that happen during probation. */
  onReport?: (report: ReloadReport) => void;
  /** The program the roots and provider give, compiled already (a replay resuming at a checkpoint has). */
  compiled?: CompileResult;
  /** Shared with other worlds of the process, so code they already ran starts warm (runtime/load.ts). */
  factories?: FactoryCache;
  /** Shared with other sessions of the process: sources another one compiled are not compiled again. */
  compileCache?: CompileCache;
}

export interface DevSession {
  world: World;
  running: RunningProgram;
  /** Recompiles everything reachable from the roots and reloads what changed: `apply(prepare())`. */
  reload(): ReloadReport;
  /** The compiler half of a reload (compile and plan), world untouched: can run ahead, e.g. while a save settles. */
  prepare(): PreparedReload;
  /** The world half, at a frame boundary; a reload prepared against an older running program is prepared again. */
  apply(prepared: PreparedReload): ReloadReport;
}

export interface PreparedReload {
  /** The running program it was planned against. */
  against: RunningProgram;
  next: ReturnType<typeof compileProgram>;
  pkg: ReloadPackage;
}

export type StartResult = { ok: true; session: DevSession } | { ok: false; diagnostics: string };

export function startDevSession(options: DevSessionOptions): StartResult {
  const cache = options.compileCache ?? createCompileCache();
  const result = options.compiled ?? compileProgram(options.roots, options.provider, { cache, rootsFile: options.rootsFile });
  if (!result.ok || !result.program) return { ok: false, diagnostics: formatDiagnostics(result.diagnostics) };
  const world = createWorld(result.modules, options.host, { seed: options.seed, drawing: options.drawing, factories: options.factories });
  startWorld(world);
  const running: RunningProgram = { program: result.program, modules: result.modules, versions: new Map(result.modules.map((module) => [module.name, 1])) };
  const session: DevSession = {
    world,
    running,
    reload: () => reload(session, options, prepare(session, options, cache)),
    prepare: () => prepare(session, options, cache),
    apply: (prepared) => reload(session, options, prepared.against === session.running ? prepared : prepare(session, options, cache)),
  };
  return { ok: true, session };
}

export function previousTypes(running: RunningProgram): PreviousTypes {
  const types: PreviousTypes = new Map();
  for (const module of running.program.modules) {
    types.set(module.name, new Map<string, never>([...module.structs, ...module.unions] as Array<[string, never]>));
  }
  return types;
}

function prepare(session: DevSession, options: DevSessionOptions, cache: CompileCache): PreparedReload {
  const now = options.now ?? (() => 0);
  const started = now();
  const next = compileProgram(options.roots, options.provider, { previousTypes: previousTypes(session.running), cache, rootsFile: options.rootsFile });
  const compiled = now();
  const pkg = packageFor(session.running, next, compiled - started);
  pkg.timings.plan = now() - compiled;
  return { against: session.running, next, pkg };
}

function reload(session: DevSession, options: DevSessionOptions, { next, pkg }: PreparedReload): ReloadReport {
  const now = options.now ?? (() => 0);
  const before = session.running;
  const report = applyReload(session.world, pkg, {
    probationTicks: options.probationTicks,
    now,
    onRollback: (rolledBack) => {
      session.running = before;
      options.onReport?.(rolledBack);
    },
  });
  if (report.outcome !== "rejected" && report.outcome !== "rolled-back" && next.program) {
    session.running = { program: next.program, modules: next.modules, versions: new Map(session.world.modules.map((instance) => [instance.name, instance.version])) };
  }
  options.onReport?.(report);
  return report;
}

export function packageFor(running: RunningProgram, next: ReturnType<typeof compileProgram>, compileMs: number): ReloadPackage {
  const timings = { compile: compileMs, plan: 0 };
  if (!next.ok || !next.program) {
    const errors = next.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    return { modules: [], plans: [], rejection: rejectionOf(errors, touchedModules(running, next, errors)), warnings: [], timings };
  }
  const planned = planReload(running, next.program, next.modules);
  const errors = planned.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const warnings = planned.diagnostics.filter((diagnostic) => diagnostic.severity !== "error").map((diagnostic) => diagnostic.message);
  return {
    modules: next.modules,
    plans: planned.plans,
    rejection: errors.length > 0 ? rejectionOf(errors, planned.plans.map((plan) => plan.module)) : null,
    warnings,
    timings,
  };
}

/** The first error, with where it is, as the report's reason; all of them as details. */
function rejectionOf(errors: Diagnostic[], modules: string[]): { reason: string; details: string; modules: string[] } {
  return { ...summarizeErrors(errors), modules };
}

/** A reload that did not compile still names its modules: those edited and those with errors. */
function touchedModules(running: RunningProgram, next: ReturnType<typeof compileProgram>, errors: Diagnostic[]): string[] {
  const files = new Set(errors.map((diagnostic) => diagnostic.file.path));
  const edited = (name: string, text: string) => running.program.modules.find((module) => module.name === name)?.file.text !== text;
  return (next.program?.modules ?? []).filter((module) => files.has(module.file.path) || edited(module.name, module.file.text)).map((module) => module.name);
}

export { emptyTimings };

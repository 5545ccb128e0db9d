// Replaying a recording headless at full speed: the recorded program is compiled from the file's
// own sources, stepped with the recorded input, and the recorded reloads are applied at their
// ticks through the same dev-session path as in the live session. World hashes are compared as
// they come; on a mismatch the world is compared field by field with the nearest recorded
// checkpoint. With `current`, today's sources run beside the recorded program in lockstep and the
// first tick where they behave differently is reported exactly. With `update`, the replay's own
// recording (new hashes and checkpoints) is returned along with what changed.

import type { CompileCache, CompileResult, SourceProvider } from "../compiler/compile.ts";
import type { ReloadReport } from "../reload/report.ts";
import type { Host } from "../runtime/host.ts";
import type { FactoryCache } from "../runtime/load.ts";
import { hashWorld } from "../runtime/snapshot.ts";
import type { World } from "../runtime/world.ts";
import { diffImages, type Difference } from "./diff.ts";
import type { CheckpointRecord, HashRecord, Recording } from "./format.ts";
import { captureImage } from "./image.ts";
import { worldHashes } from "./hash.ts";
import { createInputLog, type InputLog } from "./input.ts";
import { compileRecorded, runningAt } from "./programs.ts";
import { startRecordedSession, type RecordedSession, type RecordedSessionOptions } from "./session.ts";
import { recordedSources, switchableProvider } from "./sources.ts";
import { checkRecording, type ReplayError } from "./validate.ts";

/** Today's sources of the game, for a behaviour diff. */
export interface CurrentSources {
  provider: SourceProvider;
  roots: string[];
}

export interface ReplayOptions {
  /** Where the game's `print` output and runtime errors go (default: nowhere). */
  host?: Host;
  /** Behaviour diff: run these sources instead of the recorded ones and say where behaviour departs. */
  current?: CurrentSources | null;
  /** Start at the last restorable checkpoint at or before this tick instead of tick 0. */
  from?: number;
  /**
   * Stop at this tick instead of the end; when a checkpoint was recorded there, the world is
   * compared with it field by field too. A recording can so be checked in segments, each from one
   * restorable checkpoint to the next (replay/segments.ts), by as many workers.
   */
  until?: number;
  /** Re-record hashes and checkpoints (and, with `current`, the sources) and report what changed. */
  update?: boolean;
  /** Differences listed per divergence (default 20). */
  maxDifferences?: number;
  /** Shared with the process's other worlds, so code already run there starts warm (runtime/load.ts). */
  factories?: FactoryCache;
  /** Shared with the process's other sessions, so sources compiled there are not compiled again. */
  compileCache?: CompileCache;
}

export type DivergenceCause =
  /** A world hash differs from the recorded one (replay of the recorded sources). */
  | "hash"
  /** A recorded reload or rollback turned out differently. */
  | "reload"
  /** Today's sources behave differently from the recorded ones (`current`). */
  | "behaviour"
  /** With `current`: the recorded sources themselves no longer replay as recorded. */
  | "recording"
  /** At the end of a segment (`until`): the world differs from the checkpoint recorded there, though its hash matched. */
  | "checkpoint";

export interface Divergence {
  cause: DivergenceCause;
  /** First tick (boundary after that many ticks) known to differ. */
  tick: number;
  /** Last tick known to be equal (hashes are every K ticks, so the change happened in between). */
  lastMatch: number | null;
  /** True when `tick` is exact (compared every tick), false when it is the first failing hash check. */
  exact: boolean;
  /** Modules whose hashes differ at `tick`. */
  modules: string[];
  /** Tick of the field-by-field comparison (a recorded checkpoint), or null when there was none. */
  comparedAt: number | null;
  differences: Difference[];
  /** Differences found but not listed. */
  more: number;
}

export interface UpdateSummary {
  recording: Recording;
  /** Hash checks compared with the old recording, and how many changed. */
  checks: number;
  changed: number;
  notes: string[];
}

export interface ReplaySummary {
  mode: "recorded" | "current";
  /** Tick the replay started at (0, or the checkpoint `from` seeked to). */
  from: number;
  ticks: number;
  /** Hash or world comparisons made. */
  checks: number;
  reloads: number;
  warnings: string[];
  update: UpdateSummary | null;
}

export type ReplayResult =
  | { kind: "matched"; summary: ReplaySummary }
  | { kind: "diverged"; summary: ReplaySummary; divergence: Divergence }
  | { kind: "failed"; error: ReplayError; warnings: string[] };

const SILENT: Host = { log: () => {}, runtimeError: () => {} };

export function replay(recording: Recording, options: ReplayOptions = {}): ReplayResult {
  const checked = checkRecording(recording);
  if (!checked.ok) return { kind: "failed", error: checked.error, warnings: [] };
  const warnings = [...checked.warnings];
  const from = options.from ?? 0;
  if (from < 0 || from > recording.ticks) return failed("seek", `--from ${from} is outside the recording (0 to ${recording.ticks})`, warnings);
  if (options.update && from > 0) return failed("seek", "--update re-records the whole session: it cannot start --from a later tick", warnings);
  if (options.until !== undefined && (options.until <= from || options.until > recording.ticks || options.update || options.current)) {
    return failed("seek", `cannot stop at tick ${options.until}: it must lie after the start (${from}) and in the recording (${recording.ticks} ticks), without --update or --current`, warnings);
  }
  if (options.current && !options.update) return replayLockstep(recording, options.current, options, warnings);
  return replayAlone(recording, options, warnings);
}

function failed(kind: ReplayError["kind"], message: string, warnings: string[]): ReplayResult {
  return { kind: "failed", error: { kind, message }, warnings };
}

// ---------------------------------------------------------------- one run

/** A disagreement with the recording, before the field-by-field comparison. */
interface Pending {
  cause: DivergenceCause;
  tick: number;
  lastMatch: number | null;
  modules: string[];
  extra: Difference[];
}

interface RunConfig {
  /** The recorded sources (with the recorded reloads), or today's (no reloads). */
  sources: "recorded" | CurrentSources;
  from: number;
  update: boolean;
  host: Host;
  /** Compare hashes with the recording (off for today's sources in lockstep). */
  compare: boolean;
  factories?: FactoryCache;
  compileCache?: CompileCache;
}

interface Run {
  recorded: RecordedSession;
  world: World;
  start: number;
  /** Reloads recorded at this boundary, then its hash (compared with the recording's). */
  boundary(tick: number): void;
  step(tick: number): void;
  /** Hot-loads other sources into this run's world (`current` from a checkpoint). */
  adopt(sources: CurrentSources): ReloadReport;
  readonly first: Pending | null;
  /** Why the recording's own hashes cannot be right (a world hash matched, a module's did not), or null. */
  readonly damaged: string | null;
  readonly checks: number;
  readonly changed: number;
  readonly reloads: number;
}

type Opened = { ok: true; run: Run } | { ok: false; error: ReplayError };

function openRun(recording: Recording, tape: InputLog, config: RunConfig): Opened {
  const switchable = switchableProvider(recording);
  const recordedSources = config.sources === "recorded";
  if (config.sources !== "recorded") switchable.useSources(config.sources.provider, config.sources.roots);
  const seek = recordedSources ? seekPoint(recording, config.from) : null;
  const resume = seek ? resumeAt(recording, seek) : null;
  if (resume && !resume.ok) return resume;
  // The session starts on the checkpoint's program, compiled once (resumeAt needed it already).
  if (seek) switchable.use(seek.program);

  const expected = new Map(recording.hashes.map((hash) => [hash.tick, hash]));
  const rollbacks = recording.rollbacks.filter((rollback) => rollback.tick > (seek?.tick ?? -1));
  const reloads = recording.reloads.map((reload, index) => ({ reload, index })).filter(({ reload }) => (seek ? reload.tick > seek.tick : true));
  let first: Pending | null = null;
  let damaged: string | null = null;
  let lastMatch: number | null = null;
  let checks = 0;
  let changed = 0;
  let applied = 0;
  let nextReload = 0;
  let nextRollback = 0;
  let pendingResimulation = 0;
  let inReload = false;
  let recorded: RecordedSession | null = null;
  const note = (pending: Pending) => {
    first ??= pending;
  };

  const onHash = (record: HashRecord) => {
    const want = expected.get(record.tick);
    if (!config.compare || !want) return;
    checks++;
    if (want.world === record.world) {
      damaged ??= disagreement(want, record);
      if (!first) lastMatch = record.tick;
      return;
    }
    changed++;
    note({ cause: "hash", tick: record.tick, lastMatch, modules: differingModules(want, record), extra: [] });
  };
  const onReport = (report: ReloadReport) => {
    if (inReload || report.outcome !== "rolled-back" || !recordedSources || !recorded) return;
    const tick = recorded.recorder.ticks;
    const want = rollbacks[nextRollback++];
    if (!want || want.tick !== tick) {
      const recordedText = want ? `at tick ${want.tick}` : "none";
      note({ cause: "reload", tick, lastMatch, modules: report.modules, extra: [{ kind: "rollback", recorded: recordedText, actual: `at tick ${tick}: ${report.reason}` }] });
    }
  };

  const options: RecordedSessionOptions = {
    roots: switchable.roots,
    provider: switchable.provider,
    host: config.host,
    seed: recording.game.seed,
    probationTicks: recording.game.probationTicks,
    record: {
      hashEvery: recording.settings.hashEvery,
      checkpointEvery: config.update ? recording.settings.checkpointEvery : 0,
      gamePath: recording.game.path,
      meta: recording.meta,
    },
    restart: () => pendingResimulation,
    // Nothing shows a replayed frame.
    drawing: false,
    onHash,
    onReport,
    order: resume ? undefined : recording.game.order,
    resume: resume?.value,
    compiled: resume?.compiled,
    factories: config.factories,
    compileCache: config.compileCache,
  };
  const started = startRecordedSession(options);
  if (!started.ok) {
    const kind = recordedSources ? "compile" : "current";
    const what = recordedSources ? "the recorded sources no longer compile" : "today's sources do not compile";
    return { ok: false, error: { kind, message: `${what}:\n${started.diagnostics}` } };
  }
  recorded = started.recorded;
  const session = recorded;
  if (seek) {
    const want = expected.get(seek.tick);
    if (want && worldHashes(session.world).world !== want.world) {
      return { ok: false, error: { kind: "invalid", message: `the checkpoint at tick ${seek.tick} does not give the world hash recorded there: it is damaged; replay without --from` } };
    }
  }

  const applyReload = (entry: (typeof reloads)[number], tick: number) => {
    switchable.use(entry.reload.program);
    pendingResimulation = entry.reload.resimulated;
    inReload = true;
    let report: ReloadReport;
    try {
      report = session.reload();
    } finally {
      inReload = false;
    }
    applied++;
    if (report.outcome !== entry.reload.outcome) {
      const describe = (outcome: string, reason: string) => (reason ? `${outcome} (${reason})` : outcome);
      note({
        cause: "reload",
        tick,
        lastMatch,
        modules: entry.reload.modules,
        extra: [{ kind: "reload", reload: entry.index, recorded: describe(entry.reload.outcome, entry.reload.reason), actual: describe(report.outcome, report.reason) }],
      });
    }
  };

  const run: Run = {
    recorded: session,
    world: session.world,
    start: seek?.tick ?? 0,
    boundary(tick) {
      while (recordedSources && nextReload < reloads.length && reloads[nextReload].reload.tick === tick) applyReload(reloads[nextReload++], tick);
      while (recordedSources && nextRollback < rollbacks.length && rollbacks[nextRollback].tick <= tick) {
        const missing = rollbacks[nextRollback++];
        note({ cause: "reload", tick: missing.tick, lastMatch, modules: [], extra: [{ kind: "rollback", recorded: `at tick ${missing.tick}: ${missing.reason}`, actual: "none" }] });
      }
      session.recorder.boundary(tick === recording.ticks);
    },
    step(tick) {
      session.step(tape.at(tick));
    },
    adopt(sources) {
      switchable.useSources(sources.provider, sources.roots);
      nextReload = reloads.length;
      return session.reload();
    },
    get first() {
      return first;
    },
    get damaged() {
      return damaged;
    },
    get checks() {
      return checks;
    },
    get changed() {
      return changed;
    },
    get reloads() {
      return applied;
    },
  };
  return { ok: true, run };
}

/**
 * A world hash is built from the module hashes (hash.ts): when it matches and a module's does not,
 * the recorded module hashes were damaged, and a divergence report would point at nothing.
 */
function disagreement(want: HashRecord, got: HashRecord): string | null {
  const modules = differingModules(want, got);
  if (modules.length === 0) return null;
  const which = modules.length === 1 ? `module ${modules[0]}'s does not` : `those of modules ${modules.join(", ")} do not`;
  return `the recorded hashes at tick ${want.tick} disagree with each other (the world hash is the replay's, ${which}): the file is damaged`;
}

function differingModules(want: HashRecord, got: HashRecord): string[] {
  const names = new Set([...Object.keys(want.modules), ...Object.keys(got.modules)]);
  return [...names].filter((name) => want.modules[name] !== got.modules[name]);
}

/** The last checkpoint seeking may start from, at or before `from` (tick 0 is a plain start). */
function seekPoint(recording: Recording, from: number): CheckpointRecord | null {
  let found: CheckpointRecord | null = null;
  for (const checkpoint of recording.checkpoints) {
    if (checkpoint.tick > 0 && checkpoint.tick <= from && checkpoint.restorable) found = checkpoint;
  }
  return found;
}

type Resume = { ok: true; value: NonNullable<RecordedSessionOptions["resume"]>; compiled: CompileResult } | { ok: false; error: ReplayError };

function resumeAt(recording: Recording, checkpoint: CheckpointRecord): Resume {
  const compiled = compileRecorded(recording, checkpoint.program);
  if (!compiled.ok) return { ok: false, error: { kind: "compile", message: compiled.message } };
  return {
    ok: true,
    compiled: compiled.result,
    value: {
      image: checkpoint.world,
      running: runningAt(compiled.result, checkpoint.world),
      roots: [...recording.programs[checkpoint.program].roots],
      sources: recordedSources(recording, checkpoint.program),
      tick: checkpoint.tick,
      input: recording.input,
    },
  };
}

function checkpointFrom(recording: Recording, tick: number): CheckpointRecord | null {
  return recording.checkpoints.find((checkpoint) => checkpoint.tick >= tick) ?? null;
}

// ---------------------------------------------------------------- replay against the recording

function replayAlone(recording: Recording, options: ReplayOptions, warnings: string[]): ReplayResult {
  const tape = createInputLog(recording.input);
  const from = options.from ?? 0;
  const mode = options.current ? "current" : "recorded";
  let run: Run | null = null;
  const host = options.host ?? SILENT;
  const gated: Host = { log: (line) => ((run?.recorded.recorder.ticks ?? 0) > from || from === 0 ? host.log(line) : undefined), runtimeError: (error) => host.runtimeError(error) };
  const opened = openRun(recording, tape, { sources: options.current ?? "recorded", from, update: options.update ?? false, host: gated, compare: true, factories: options.factories, compileCache: options.compileCache });
  if (!opened.ok) return { kind: "failed", error: opened.error, warnings };
  run = opened.run;
  if (run.start === 0 && from > 0) warnings.push(`no restorable checkpoint at or before tick ${from}: replayed from the start`);
  if (mode === "current" && recording.reloads.length > 0) {
    warnings.push(`today's sources run from the start; the ${recording.reloads.length} recorded reload${recording.reloads.length === 1 ? " is" : "s are"} not applied`);
  }
  let stopAt: CheckpointRecord | null | undefined;
  let compared: { at: number | null; differences: Difference[]; more: number } | null = null;
  const limit = options.maxDifferences ?? 20;
  const end = options.until ?? recording.ticks;
  for (let tick = run.start; ; tick++) {
    run.boundary(tick);
    if (run.damaged) return failed("invalid", run.damaged, warnings);
    if (run.first && stopAt === undefined) stopAt = checkpointFrom(recording, tick);
    if (run.first && !compared && (stopAt === null || stopAt?.tick === tick)) {
      const diff = stopAt ? diffImages(stopAt.world, captureImage(run.world), limit) : { differences: [], more: 0 };
      compared = { at: stopAt?.tick ?? null, ...diff };
      if (!options.update) break;
    }
    if (tick === end) break;
    run.step(tick);
  }
  const update = options.update ? updateSummary(recording, run, mode) : null;
  const summary: ReplaySummary = { mode, from: run.start, ticks: run.recorded.recorder.ticks - run.start, checks: run.checks, reloads: run.reloads, warnings, update };
  const first = run.first as Pending | null;
  if (!first && end < recording.ticks) return segmentEnd(recording, run, end, summary, limit);
  if (!first) return { kind: "matched", summary };
  const differences = [...first.extra, ...(compared?.differences ?? [])];
  return {
    kind: "diverged",
    summary,
    divergence: {
      cause: first.cause,
      tick: first.tick,
      lastMatch: first.lastMatch,
      exact: false,
      modules: first.modules,
      comparedAt: compared?.at ?? null,
      differences: differences.slice(0, limit),
      more: (compared?.more ?? 0) + Math.max(0, differences.length - limit),
    },
  };
}

/** A segment's end: its hashes matched; the world there must also be the checkpoint recorded there, field by field. */
function segmentEnd(recording: Recording, run: Run, end: number, summary: ReplaySummary, limit: number): ReplayResult {
  const checkpoint = recording.checkpoints.find((candidate) => candidate.tick === end);
  if (!checkpoint) return { kind: "matched", summary };
  const diff = diffImages(checkpoint.world, captureImage(run.world), limit);
  if (diff.differences.length === 0) return { kind: "matched", summary };
  const modules = modulesOf(diff.differences);
  return {
    kind: "diverged",
    summary,
    divergence: { cause: "checkpoint", tick: end, lastMatch: end, exact: false, modules, comparedAt: end, differences: diff.differences, more: diff.more },
  };
}

function updateSummary(old: Recording, run: Run, mode: "recorded" | "current"): UpdateSummary {
  const recording = run.recorded.finish();
  const notes: string[] = [];
  if (mode === "current") {
    const before = new Map(Object.entries(old.programs[0].modules).map(([name, entry]) => [name, entry.source]));
    const after = Object.entries(recording.programs[0].modules);
    const changedModules = after.filter(([name, entry]) => before.get(name) !== entry.source).map(([name]) => name);
    notes.push(changedModules.length > 0 ? `sources replaced with today's: ${changedModules.join(", ")} changed` : "sources replaced with today's (no module changed)");
    if (old.reloads.length > 0) notes.push(`${old.reloads.length} recorded reload${old.reloads.length === 1 ? "" : "s"} dropped: today's sources run from the start`);
  }
  const outcomes = recording.reloads.filter((reload, index) => old.reloads[index] && old.reloads[index].outcome !== reload.outcome).length;
  if (outcomes > 0) notes.push(`${outcomes} reload outcome${outcomes === 1 ? "" : "s"} changed`);
  if (recording.rollbacks.length !== old.rollbacks.length) notes.push(`probation rollbacks: ${old.rollbacks.length} before, ${recording.rollbacks.length} now`);
  const seekable = (of: Recording) => of.checkpoints.filter((checkpoint) => checkpoint.restorable).length;
  if (seekable(recording) !== seekable(old)) notes.push(`checkpoints seeking can start from: ${seekable(old)} before, ${seekable(recording)} now`);
  return { recording, checks: run.checks, changed: run.changed, notes };
}

// ---------------------------------------------------------------- behaviour diff (lockstep)

function collectingHost(): Host & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, log: (line) => lines.push(line), runtimeError: (error) => errors.push(error.message) };
}

function replayLockstep(recording: Recording, current: CurrentSources, options: ReplayOptions, warnings: string[]): ReplayResult {
  const tape = createInputLog(recording.input);
  const from = options.from ?? 0;
  const limit = options.maxDifferences ?? 20;
  const referenceHost = collectingHost();
  const currentHost = collectingHost();
  const reference = openRun(recording, tape, { sources: "recorded", from, update: false, host: referenceHost, compare: true, factories: options.factories, compileCache: options.compileCache });
  if (!reference.ok) return { kind: "failed", error: reference.error, warnings };
  const start = reference.run.start;
  const opened = start > 0
    ? openRun(recording, tape, { sources: "recorded", from, update: false, host: currentHost, compare: false, factories: options.factories, compileCache: options.compileCache })
    : openRun(recording, tape, { sources: current, from: 0, update: false, host: currentHost, compare: false, factories: options.factories, compileCache: options.compileCache });
  if (!opened.ok) return { kind: "failed", error: opened.error, warnings };
  const ref = reference.run;
  const cur = opened.run;
  if (start > 0) {
    const report = cur.adopt(current);
    if (report.outcome === "rejected" || report.outcome === "rolled-back") {
      return failed("current", `today's sources cannot be hot-loaded into the recorded world at tick ${start}: ${report.outcome}: ${report.reason}`, warnings);
    }
    warnings.push(`today's sources were hot-loaded into the recorded world at tick ${start} (${report.outcome})`);
  } else {
    if (from > 0) warnings.push(`no restorable checkpoint at or before tick ${from}: compared from the start`);
    if (recording.reloads.length > 0) warnings.push(`today's sources run from the start without the ${recording.reloads.length} recorded reload${recording.reloads.length === 1 ? "" : "s"}; the recorded side applies them`);
  }
  let checks = 0;
  const seen = { reference: referenceHost.lines.length, current: currentHost.lines.length };
  for (let tick = start; ; tick++) {
    ref.boundary(tick);
    cur.boundary(tick);
    if (ref.damaged) return failed("invalid", ref.damaged, warnings);
    if (ref.first) return recordingBroke(recording, ref, warnings, checks);
    checks++;
    const output = outputDifference(referenceHost.lines.slice(seen.reference), currentHost.lines.slice(seen.current));
    seen.reference = referenceHost.lines.length;
    seen.current = currentHost.lines.length;
    if (output || hashWorld(ref.world) !== hashWorld(cur.world) || haltedKey(ref.world) !== haltedKey(cur.world)) {
      const diff = diffImages(captureImage(ref.world), captureImage(cur.world), limit);
      const differences = output ? [output, ...diff.differences].slice(0, limit) : diff.differences;
      const summary: ReplaySummary = { mode: "current", from: start, ticks: tick - start, checks, reloads: ref.reloads, warnings, update: null };
      const modules = modulesOf(differences);
      return {
        kind: "diverged",
        summary,
        divergence: { cause: "behaviour", tick, lastMatch: tick > start ? tick - 1 : null, exact: true, modules, comparedAt: tick, differences, more: diff.more + (output && diff.differences.length >= limit ? 1 : 0) },
      };
    }
    if (tick === recording.ticks) break;
    ref.step(tick);
    cur.step(tick);
  }
  return { kind: "matched", summary: { mode: "current", from: start, ticks: recording.ticks - start, checks, reloads: ref.reloads, warnings, update: null } };
}

/** The modules a list of differences names, each once, in order. */
function modulesOf(differences: Difference[]): string[] {
  return [...new Set(differences.flatMap((difference) => ("module" in difference ? [difference.module] : [])))];
}

function haltedKey(world: World): string {
  return [...world.halted.keys()].sort().join(",");
}

function outputDifference(recorded: string[], actual: string[]): Difference | null {
  const count = Math.max(recorded.length, actual.length);
  for (let index = 0; index < count; index++) {
    if (recorded[index] !== actual[index]) {
      const show = (line: string | undefined) => (line === undefined ? "(nothing)" : JSON.stringify(line));
      return { kind: "output", recorded: show(recorded[index]), actual: show(actual[index]) };
    }
  }
  return null;
}

function recordingBroke(recording: Recording, ref: Run, warnings: string[], checks: number): ReplayResult {
  const first = ref.first!;
  const summary: ReplaySummary = { mode: "current", from: ref.start, ticks: first.tick - ref.start, checks, reloads: ref.reloads, warnings, update: null };
  const at = checkpointFrom(recording, first.tick);
  const atTick = at && at.tick === first.tick ? at : null;
  const diff = atTick ? diffImages(atTick.world, captureImage(ref.world)) : { differences: [], more: 0 };
  return {
    kind: "diverged",
    summary,
    divergence: {
      cause: "recording",
      tick: first.tick,
      lastMatch: first.lastMatch,
      exact: false,
      modules: first.modules,
      comparedAt: atTick?.tick ?? null,
      differences: [...first.extra, ...diff.differences],
      more: diff.more,
    },
  };
}

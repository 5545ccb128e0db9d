// A recorded dev session: a DevSession (reload/session.ts) whose every tick, reload and rollback
// goes to a Recorder, and whose fast restarts become replay restarts (the recorded input is
// re-simulated). The replay itself and the tests drive worlds through it, and so can the headless
// dev loop (`step`, `prepare`/`apply` or `reload`, `finish`). The page, whose compiler runs in
// Node, feeds a Recorder (recorder.ts) directly instead.

import type { RunningProgram } from "../reload/plan.ts";
import type { ReloadReport } from "../reload/report.ts";
import { startDevSession, type DevSession, type DevSessionOptions, type PreparedReload } from "../reload/session.ts";
import type { Host, InputFrame } from "../runtime/host.ts";
import { NO_INPUT } from "../runtime/host.ts";
import { restartWorld, stepWorld, type World } from "../runtime/world.ts";
import type { HashRecord, InputRun, Recording, WorldImage } from "./format.ts";
import { loadImage } from "./image.ts";
import { createRecorder, type Recorder, type RecorderOptions } from "./recorder.ts";
import { describeResimulation, resimulate } from "./restart.ts";
import { captureSources, type SourceSet } from "./sources.ts";

export interface RecordedSessionOptions extends DevSessionOptions {
  record?: Pick<RecorderOptions, "hashEvery" | "checkpointEvery" | "gamePath" | "meta">;
  /**
   * After a `restarted` reload: "replay" (default) re-simulates all recorded input (step 4 of the
   * fallback ladder), "fast" keeps the plain fast restart; a function says how many ticks.
   */
  restart?: "replay" | "fast" | ((ticks: number) => number);
  onHash?: (record: HashRecord) => void;
  /** Update order the world must start with, when it is not the compile order (a recorded `ribbon run`). */
  order?: readonly string[];
  /** Start from a world image instead of a fresh start (replay seeking). */
  resume?: { image: WorldImage; running: RunningProgram; roots: string[]; sources: SourceSet; tick: number; input: readonly InputRun[] };
}

export interface RecordedSession {
  readonly session: DevSession;
  readonly recorder: Recorder;
  readonly world: World;
  /** One tick: the input is recorded, then the world steps. */
  step(input?: InputFrame): void;
  /** A reload at this frame boundary, recorded with the sources it compiled. */
  reload(): ReloadReport;
  /** The compiler half ahead of time (DevSession.prepare), with the sources it read. */
  prepare(): RecordedPrepared;
  /** The world half at a frame boundary (DevSession.apply), recorded like `reload`. */
  apply(prepared: RecordedPrepared): ReloadReport;
  finish(): Recording;
}

export interface RecordedPrepared {
  prepared: PreparedReload;
  sources: SourceSet;
}

export type RecordedStart = { ok: true; recorded: RecordedSession } | { ok: false; diagnostics: string };

export function startRecordedSession(options: RecordedSessionOptions): RecordedStart {
  const capture = captureSources(options.provider);
  let recorder: Recorder | null = null;
  let inReload = false;
  let resimulated = 0;
  const onReport = (report: ReloadReport) => {
    if (recorder && inReload && report.outcome === "restarted") resimulated = afterRestart(options, recorder, started, report);
    if (recorder && !inReload && report.outcome === "rolled-back") recorder.recordRollback(report);
    options.onReport?.(report);
  };
  const held = holdingHost(options.host, options.order !== undefined);
  const started = startDevSession({ ...options, host: held.host, provider: capture.provider, onReport });
  if (!started.ok) return started;
  const session = started.session;
  held.release(() => reorder(session.world, options.order));
  const resumed = options.resume ? resume(session, options.resume) : null;
  if (resumed) return { ok: false, diagnostics: resumed };
  recorder = createRecorder({
    ...options.record,
    world: session.world,
    roots: options.resume?.roots ?? options.roots,
    sources: options.resume?.sources ?? capture.take(),
    probationTicks: options.probationTicks,
    onHash: options.onHash,
    resume: options.resume ? { tick: options.resume.tick, input: options.resume.input } : undefined,
  });
  const active = recorder;
  /** Runs one reload; the sources are what it compiled now, else what was compiled ahead. */
  const applyRecorded = (run: () => ReloadReport, ahead: SourceSet): ReloadReport => {
    capture.reset();
    inReload = true;
    resimulated = 0;
    let report: ReloadReport;
    try {
      report = run();
    } finally {
      inReload = false;
    }
    const compiled = capture.take();
    active.recordReload(compiled.size > 0 ? compiled : ahead, options.roots, report, resimulated);
    return report;
  };
  const recorded: RecordedSession = {
    session,
    recorder: active,
    world: session.world,
    step(input = NO_INPUT) {
      active.recordTick(input);
      stepWorld(session.world, input);
    },
    reload: () => applyRecorded(() => session.reload(), new Map()),
    prepare() {
      capture.reset();
      const prepared = session.prepare();
      return { prepared, sources: capture.take() };
    },
    apply: (prepared) => applyRecorded(() => session.apply(prepared.prepared), prepared.sources),
    finish: () => active.finish(),
  };
  return { ok: true, recorded };
}

function afterRestart(options: RecordedSessionOptions, recorder: Recorder, started: ReturnType<typeof startDevSession>, report: ReloadReport): number {
  const policy = options.restart ?? "replay";
  const ticks = policy === "replay" ? recorder.ticks : policy === "fast" ? 0 : policy(recorder.ticks);
  if (ticks <= 0 || !started.ok) return 0;
  const result = resimulate(started.session.world, recorder.input, ticks);
  report.reason = `${report.reason}; ${describeResimulation(result)}`;
  return ticks;
}

/**
 * While `holding`, output is kept back until `release`: if the start has to be redone (another
 * update order), the first start's output is dropped; otherwise it is passed on.
 */
function holdingHost(host: Host, holding: boolean): { host: Host; release(redo: () => boolean): void } {
  if (!holding) return { host, release: () => {} };
  const held: Array<() => void> = [];
  let passing = false;
  const wrapped: Host = {
    log: (line) => (passing ? host.log(line) : held.push(() => host.log(line))),
    runtimeError: (error) => (passing ? host.runtimeError(error) : held.push(() => host.runtimeError(error))),
  };
  return {
    host: wrapped,
    release(redo) {
      passing = true;
      if (!redo()) for (const flush of held) flush();
    },
  };
}

/** Starts the world again in the given update order; false when it already had it. */
function reorder(world: World, order: readonly string[] | undefined): boolean {
  if (!order || world.modules.map((instance) => instance.name).join() === order.join()) return false;
  const rank = new Map(order.map((name, index) => [name, index]));
  const modules = [...world.modules].sort((left, right) => (rank.get(left.name) ?? -1) - (rank.get(right.name) ?? -1));
  restartWorld(world, modules.map((instance) => instance.compiled));
  return true;
}

/** Puts a freshly started session into a recorded world image and program. */
function resume(session: DevSession, from: NonNullable<RecordedSessionOptions["resume"]>): string | null {
  const world = session.world;
  const host = world.host;
  // Started on other code (a session that compiled the sources itself): start it on the checkpoint's.
  const same = world.modules.length === from.running.modules.length && world.modules.every((instance, index) => instance.compiled === from.running.modules[index]);
  world.host = { log: () => {}, runtimeError: () => {} };
  try {
    if (!same) restartWorld(world, from.running.modules);
  } finally {
    world.host = host;
  }
  session.running = from.running;
  const failure = loadImage(world, from.image);
  return failure ? `checkpoint at tick ${from.tick}: ${failure}` : null;
}

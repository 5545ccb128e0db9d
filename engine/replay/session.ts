// A recorded dev session: a DevSession (reload/session.ts) whose every tick, reload and rollback
// goes to a Recorder, and whose fast restarts become replay restarts (the recorded input is
// re-simulated). `ribbon run --record`, the replay itself and the tests drive worlds through it;
// the dev loop and the page can too (they need only `step`, `reload` and `finish`).

import type { RunningProgram } from "../reload/plan.ts";
import type { ReloadReport } from "../reload/report.ts";
import { startDevSession, type DevSession, type DevSessionOptions } from "../reload/session.ts";
import type { InputFrame } from "../runtime/host.ts";
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
  finish(): Recording;
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
  const started = startDevSession({ ...options, provider: capture.provider, onReport });
  if (!started.ok) return started;
  const session = started.session;
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
  const recorded: RecordedSession = {
    session,
    recorder: active,
    world: session.world,
    step(input = NO_INPUT) {
      active.recordTick(input);
      stepWorld(session.world, input);
    },
    reload() {
      capture.reset();
      inReload = true;
      resimulated = 0;
      let report: ReloadReport;
      try {
        report = session.reload();
      } finally {
        inReload = false;
      }
      active.recordReload(capture.take(), options.roots, report, resimulated);
      return report;
    },
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

/** Puts a freshly started session into a recorded world image and program. */
function resume(session: DevSession, from: NonNullable<RecordedSessionOptions["resume"]>): string | null {
  const world = session.world;
  const host = world.host;
  world.host = { log: () => {}, runtimeError: () => {} };
  try {
    restartWorld(world, from.running.modules);
  } finally {
    world.host = host;
  }
  session.running = from.running;
  const failure = loadImage(world, from.image);
  return failure ? `checkpoint at tick ${from.tick}: ${failure}` : null;
}

// The recorder: fed by the tick loop (`recordTick(input)` before each stepWorld, `recordReload`
// after each reload), it keeps the session's input, reloads and sources, a world hash every K
// ticks and a world image every C ticks, and turns them into a Recording (format.ts). Pure engine
// code: the page records with it too; writing the file is the host's business.

import type { InputFrame } from "../runtime/host.ts";
import type { ReloadReport } from "../reload/report.ts";
import type { World } from "../runtime/world.ts";
import {
  DEFAULT_CHECKPOINT_EVERY,
  DEFAULT_HASH_EVERY,
  ENGINE_VERSION,
  FORMAT_NAME,
  FORMAT_VERSION,
  type CheckpointRecord,
  type HashRecord,
  type InputRun,
  type ProgramRecord,
  type Recording,
  type ReloadRecord,
  type RollbackRecord,
} from "./format.ts";
import { worldHashes } from "./hash.ts";
import { snapshotImage, whyNotRestorable, type ImageSnapshot } from "./image.ts";
import { createInputLog, type InputLog } from "./input.ts";
import { programRecord, type SourceSet } from "./sources.ts";

export interface RecorderOptions {
  /** The world the tick loop steps (the same object across restarts). */
  world: World;
  /** Roots and sources of the program the session started with. */
  roots: readonly string[];
  sources: SourceSet;
  probationTicks?: number;
  /** A world hash every this many ticks (default 60). */
  hashEvery?: number;
  /** A world image every this many ticks (default 600); 0 keeps only the first and the last. */
  checkpointEvery?: number;
  /** The game's folder or file relative to where the recording will be saved, if known. */
  gamePath?: string | null;
  meta?: Record<string, string>;
  /** The update order at the start, when the world no longer shows it (resumed recordings). */
  order?: string[];
  /** Continue a recording from one of its checkpoints (replay seeking): its tick and the input before it. */
  resume?: { tick: number; input: readonly InputRun[] };
  /** Told about each hash as it is taken (replays compare as they go). */
  onHash?: (record: HashRecord) => void;
}

export interface Recorder {
  /** Ticks recorded so far. */
  readonly ticks: number;
  readonly input: InputLog;
  /** Index in the recording's programs of the one running now. */
  readonly program: number;
  /** Before each stepWorld: takes the boundary's hash and checkpoint when due, then logs the input. */
  recordTick(input: InputFrame): void;
  /** After each reload (all outcomes); returns the reload's index. */
  recordReload(sources: SourceSet, roots: readonly string[], report: ReloadReport, resimulated?: number): number;
  /** A probation rollback, reported during a tick some time after its reload. */
  recordRollback(report: ReloadReport): void;
  /** Takes this boundary's hash and checkpoint if due (recordTick does it; replays call it to compare early). */
  boundary(force?: boolean): void;
  /** The recording so far (hash and checkpoint of the current boundary included); recording may go on. */
  finish(): Recording;
  /**
   * Forgets everything after boundary `tick` (input, hashes, checkpoints) so recording goes on from
   * there: the page's timeline resuming from an earlier tick. Reloads and rollbacks must not lie after it.
   */
  truncate(tick: number): void;
}

const APPLIED = new Set(["swapped", "migrated", "reset", "restarted"]);

export function createRecorder(options: RecorderOptions): Recorder {
  const world = options.world;
  const hashEvery = Math.max(1, options.hashEvery ?? DEFAULT_HASH_EVERY);
  const checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const sources: Record<string, string> = {};
  const programs: ProgramRecord[] = [programRecord(sources, options.roots, options.sources, null)];
  const programKeys = new Map([[programKey(programs[0]), 0]]);
  const reloads: ReloadRecord[] = [];
  const rollbacks: RollbackRecord[] = [];
  const hashes: HashRecord[] = [];
  /** Checkpoints keep a snapshot and are encoded when the recording is asked for. */
  const checkpoints: Array<Omit<CheckpointRecord, "world"> & { snapshot: ImageSnapshot }> = [];
  const input = createInputLog(options.resume?.input ?? [], options.resume?.tick ?? 0);
  let ticks = options.resume?.tick ?? 0;
  const order = world.modules.map((instance) => instance.name);
  let running = 0;
  let lastApplied: number | null = null;

  const addProgram = (roots: readonly string[], set: SourceSet, base: number): number => {
    const record = programRecord(sources, roots, set, base);
    const key = programKey(record);
    const known = programKeys.get(key);
    if (known !== undefined) return known;
    programs.push(record);
    programKeys.set(key, programs.length - 1);
    return programs.length - 1;
  };

  /** Hash and checkpoint of the boundary after `ticks` ticks, once each. */
  const boundary = (force: boolean) => {
    if ((force || ticks % hashEvery === 0) && hashes[hashes.length - 1]?.tick !== ticks) {
      const record = { tick: ticks, ...worldHashes(world) };
      hashes.push(record);
      options.onHash?.(record);
    }
    const dueCheckpoint = force || ticks === 0 || (checkpointEvery > 0 && ticks % checkpointEvery === 0);
    if (dueCheckpoint && checkpoints[checkpoints.length - 1]?.tick !== ticks) {
      const snapshot = snapshotImage(world);
      const why = whyNotRestorable(snapshot);
      checkpoints.push({ tick: ticks, program: running, restorable: why === null, ...(why ? { why } : {}), snapshot });
    }
  };

  return {
    get ticks() {
      return ticks;
    },
    input,
    get program() {
      return running;
    },
    boundary(force = false) {
      boundary(force);
    },
    recordTick(frame) {
      boundary(options.resume !== undefined && ticks === options.resume.tick);
      input.append(frame);
      ticks++;
    },
    recordReload(set, roots, report, resimulated = 0) {
      const program = addProgram(roots, set, running);
      reloads.push({ tick: ticks, program, outcome: report.outcome, modules: [...report.modules], reason: report.reason, resimulated });
      if (APPLIED.has(report.outcome)) {
        running = program;
        lastApplied = reloads.length - 1;
      }
      return reloads.length - 1;
    },
    recordRollback(report) {
      if (lastApplied === null) return;
      rollbacks.push({ tick: ticks, reload: lastApplied, reason: report.reason });
      running = programs[reloads[lastApplied].program].base ?? 0;
      lastApplied = null;
    },
    finish() {
      boundary(true);
      return {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        engine: ENGINE_VERSION,
        game: { seed: world.seed, probationTicks: options.probationTicks ?? 30, path: options.gamePath ?? null, order: options.order ?? order },
        settings: { hashEvery, checkpointEvery },
        meta: { ...options.meta },
        sources: { ...sources },
        programs: programs.map((program) => ({ ...program })),
        ticks,
        input: input.runs(),
        reloads: reloads.map((reload) => ({ ...reload })),
        rollbacks: rollbacks.map((rollback) => ({ ...rollback })),
        hashes: [...hashes],
        checkpoints: checkpoints.map(({ snapshot, ...checkpoint }) => ({ ...checkpoint, world: snapshot.encode() })),
      };
    },
    truncate(tick) {
      if (tick >= ticks) return;
      const later = [...reloads, ...rollbacks].find((event) => event.tick > tick);
      if (later) throw new Error(`cannot truncate the recording to tick ${tick}: a reload or rollback happened at tick ${later.tick}`);
      input.truncate(tick);
      ticks = tick;
      while (hashes.length > 0 && hashes[hashes.length - 1].tick > tick) hashes.pop();
      while (checkpoints.length > 0 && checkpoints[checkpoints.length - 1].tick > tick) checkpoints.pop();
    },
  };
}

function programKey(program: ProgramRecord): string {
  return JSON.stringify([program.roots, program.modules, program.base]);
}

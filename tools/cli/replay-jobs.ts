// `ribbon replay FILE --jobs N`: the recording checked in segments side by side
// (engine/replay/segments.ts), the first in this thread and each other one in a worker thread
// running replay-worker.ts from the CLI's bundle (tools/bin/ribbon.mjs builds it beside the
// command). The verdict is the one a replay from tick 0 gives; when a segment cannot run (a
// damaged checkpoint), the recording is replayed whole instead.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { createCompileCache } from "../../engine/compiler/compile.ts";
import type { Recording } from "../../engine/replay/format.ts";
import { replay, type ReplayResult } from "../../engine/replay/replay.ts";
import { joinSegments, planSegments, type Segment } from "../../engine/replay/segments.ts";
import { createFactoryCache } from "../../engine/runtime/load.ts";
import type { SegmentJob } from "./replay-worker.ts";

/**
 * A segment is worth a worker only when it is long: a worker starts cold (its own compile and
 * JIT, about half a second here). Without --jobs, only recordings this long are split.
 */
export const MINIMUM_SEGMENT_TICKS = 3_600;

/** The worker script, beside the running bundle; null when running from sources (tests, scripts). */
function workerScript(): string | null {
  const path = fileURLToPath(new URL("./replay-worker.mjs", import.meta.url));
  return existsSync(path) ? path : null;
}

/** The verdict; a note on how it was reached is added to the summary's warnings when segments ran. */
export async function replayInSegments(
  file: string,
  recording: Recording,
  jobs: number,
  minimumTicks = MINIMUM_SEGMENT_TICKS,
  shared = { factories: createFactoryCache(), compileCache: createCompileCache() },
): Promise<ReplayResult> {
  const script = workerScript();
  const segments = script ? planSegments(recording, jobs, minimumTicks) : [];
  if (!script || segments.length < 2) return replay(recording, shared);
  const others = segments.slice(1).map((segment) => runInWorker(script, { file, ...segment }));
  // Should the recording have to be replayed whole after all, it starts on the first segment's code.
  const first = replay(recording, { until: segments[0].until, ...shared });
  const results = [first, ...(await Promise.all(others))];
  const joined = joinSegments(recording, segments, results);
  if (joined) {
    joined.summary.warnings.push(`checked in ${segments.length} segments side by side (ticks ${segments.map((segment) => `${segment.from}-${segment.until}`).join(", ")})`);
    return joined;
  }
  const whole = replay(recording, shared);
  const failure = results.find((result) => result.kind === "failed");
  const why = failure?.kind === "failed" ? failure.error.message : "a segment could not run";
  if (whole.kind !== "failed") whole.summary.warnings.push(`replayed whole: ${why}`);
  // A damaged hash table fails the whole replay for the reason the segment gave: say it once.
  else if (whole.error.message !== why) whole.warnings.push(`replayed whole: ${why}`);
  return whole;
}

function runInWorker(script: string, job: SegmentJob): Promise<ReplayResult> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: job });
    let settled = false;
    const settle = (result: ReplayResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    worker.once("message", (result: ReplayResult) => settle(result));
    worker.once("error", (error) => settle(failedSegment(job, error.message)));
    worker.once("exit", (code) => settle(failedSegment(job, `the worker exited with code ${code}`)));
  });
}

function failedSegment(segment: Segment, reason: string): ReplayResult {
  return { kind: "failed", error: { kind: "seek", message: `segment ${segment.from}-${segment.until}: ${reason}` }, warnings: [] };
}

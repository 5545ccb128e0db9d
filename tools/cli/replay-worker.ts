// One segment of `ribbon replay FILE --jobs N` in a worker thread (replay-jobs.ts): reads the
// file itself, replays from one checkpoint to the next and posts the result back.

import { parentPort, workerData } from "node:worker_threads";
import { replay } from "../../engine/replay/replay.ts";
import { readRecordingFile } from "./replay.ts";

export interface SegmentJob {
  file: string;
  from: number;
  until: number;
}

const job = workerData as SegmentJob;
const read = readRecordingFile(job.file);
const result = read.ok ? replay(read.recording, { from: job.from, until: job.until }) : ({ kind: "failed", error: read.error, warnings: [] } as const);
parentPort!.postMessage(result);

// Recorded input: each tick's InputFrame as a small JSON frame, consecutive equal frames merged
// into one run. `InputLog` appends while recording and reads tick by tick while replaying.

import { NO_INPUT, type InputFrame } from "../runtime/host.ts";
import type { FrameRecord, InputRun } from "./format.ts";

export function encodeFrame(frame: InputFrame): FrameRecord {
  const out: FrameRecord = {};
  if (frame.down.size > 0) out.down = [...frame.down].sort();
  if (frame.pressed.size > 0) out.pressed = [...frame.pressed].sort();
  if (frame.released.size > 0) out.released = [...frame.released].sort();
  if (frame.pointer.x !== 0 || frame.pointer.y !== 0 || Object.is(frame.pointer.x, -0) || Object.is(frame.pointer.y, -0)) {
    out.pointer = [frame.pointer.x, frame.pointer.y];
  }
  if (frame.pointerDown) out.pointerDown = true;
  if (frame.pointerPressed) out.pointerPressed = true;
  return out;
}

/** A frame for the record; frozen, like NO_INPUT, so a log appending it knows it never changes. */
export function decodeFrame(record: FrameRecord): InputFrame {
  if (Object.keys(record).length === 0) return NO_INPUT;
  return Object.freeze({
    down: new Set(record.down ?? []),
    pressed: new Set(record.pressed ?? []),
    released: new Set(record.released ?? []),
    pointer: { x: record.pointer?.[0] ?? 0, y: record.pointer?.[1] ?? 0 },
    pointerDown: record.pointerDown ?? false,
    pointerPressed: record.pointerPressed ?? false,
  });
}

interface Run {
  count: number;
  record: FrameRecord;
  /** JSON of the record: equal frames have equal keys. */
  key: string;
  /** Decoded once, shared by every tick of the run (the world only reads it). */
  frame: InputFrame;
}

/** The input of a session so far, run-length encoded. */
export interface InputLog {
  readonly ticks: number;
  append(frame: InputFrame): void;
  /** Input of tick `tick` (0-based); sequential reads are O(1). */
  at(tick: number): InputFrame;
  /** The first `ticks` ticks as runs for the file. */
  runs(ticks?: number): InputRun[];
  /** Keeps only the first `ticks` ticks (the page's timeline resuming from an earlier tick). */
  truncate(ticks: number): void;
}

export function createInputLog(initial: readonly InputRun[] = [], upTo = Number.POSITIVE_INFINITY): InputLog {
  const runs: Run[] = [];
  let total = 0;
  let cursor = { run: 0, start: 0 };

  /** `frame` is the appended frame when it is frozen (it never changes, so the run can share it). */
  const push = (record: FrameRecord, count: number, frame: InputFrame | null = null) => {
    const key = JSON.stringify(record);
    const last = runs[runs.length - 1];
    if (last && last.key === key) last.count += count;
    else runs.push({ count, record, key, frame: frame ?? decodeFrame(record) });
    total += count;
  };
  for (const [count, record] of initial) {
    const take = Math.min(count, upTo - total);
    if (take <= 0) break;
    push(record, take);
  }

  return {
    get ticks() {
      return total;
    },
    append(frame) {
      // Hosts may reuse one mutable frame object, so only a frozen frame (NO_INPUT, or one a log
      // decoded: a replay appends its tape's frames) skips encoding when it is the last run's own.
      const frozen = Object.isFrozen(frame);
      const last = runs[runs.length - 1];
      if (frozen && last && last.frame === frame) {
        last.count++;
        total++;
        return;
      }
      push(encodeFrame(frame), 1, frozen ? frame : null);
    },
    at(tick) {
      if (tick < 0 || tick >= total) return NO_INPUT;
      if (tick < cursor.start) cursor = { run: 0, start: 0 };
      while (tick >= cursor.start + runs[cursor.run].count) cursor = { run: cursor.run + 1, start: cursor.start + runs[cursor.run].count };
      return runs[cursor.run].frame;
    },
    runs(ticks = total) {
      const out: InputRun[] = [];
      let left = ticks;
      for (const run of runs) {
        if (left <= 0) break;
        out.push([Math.min(run.count, left), run.record]);
        left -= run.count;
      }
      return out;
    },
    truncate(ticks) {
      let left = Math.max(0, ticks);
      let keep = 0;
      for (; keep < runs.length && left > 0; keep++) {
        runs[keep].count = Math.min(runs[keep].count, left);
        left -= runs[keep].count;
      }
      runs.length = keep;
      total = Math.min(total, Math.max(0, ticks));
      cursor = { run: 0, start: 0 };
    },
  };
}

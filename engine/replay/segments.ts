// Checking a recording in segments that can run side by side: each goes from one restorable
// checkpoint (or tick 0) to the next segment's start, comparing every recorded hash on the way
// and, at its end, the world with the checkpoint recorded there, field by field. If every
// segment matches, each started from exactly the world the one before it ended with, so the whole
// recording replays as recorded: the same verdict as one replay from tick 0, sooner on several
// cores. Pure engine code; running segments in workers is the host's business (tools/cli).

import type { Recording, WorldImage } from "./format.ts";
import type { ReplayResult, ReplaySummary } from "./replay.ts";

export interface Segment {
  from: number;
  until: number;
}

/**
 * Up to `parts` segments of at least `minimumTicks` ticks each, cut at restorable checkpoints so
 * that each gets about the same work (see estimatedWork); one segment (the whole recording) when
 * it cannot be cut.
 */
export function planSegments(recording: Recording, parts: number, minimumTicks: number): Segment[] {
  const cuts = recording.checkpoints.filter((checkpoint) => checkpoint.restorable && checkpoint.tick > 0 && checkpoint.tick < recording.ticks).map((checkpoint) => checkpoint.tick);
  const count = Math.max(1, Math.min(parts, Math.floor(recording.ticks / Math.max(1, minimumTicks))));
  const work = estimatedWork(recording);
  const total = work(recording.ticks);
  const chosen: number[] = [];
  for (let index = 1; index < count; index++) {
    const ideal = (total * index) / count;
    const previous = chosen[chosen.length - 1] ?? 0;
    const nearest = cuts.filter((tick) => tick - previous >= minimumTicks && recording.ticks - tick >= minimumTicks).sort((a, b) => Math.abs(work(a) - ideal) - Math.abs(work(b) - ideal))[0];
    if (nearest !== undefined && nearest > previous) chosen.push(nearest);
  }
  const starts = [0, ...chosen];
  return starts.map((from, index) => ({ from, until: starts[index + 1] ?? recording.ticks }));
}

/**
 * Work from tick 0 to a tick, estimated from the checkpoints: a tick costs about one unit per
 * element alive in the world's pools (and one for the tick itself), taken linearly between the
 * checkpoints' images. Games grow and shrink (the demo's later minutes keep three times the
 * projectiles of its first), so equal numbers of ticks can be very unequal work.
 */
function estimatedWork(recording: Recording): (tick: number) => number {
  const points = recording.checkpoints.map((checkpoint) => ({ tick: checkpoint.tick, cost: 1 + liveElements(checkpoint.world) }));
  if (points.length === 0) return (tick) => tick;
  if (points[0].tick > 0) points.unshift({ tick: 0, cost: points[0].cost });
  const sums = [0];
  for (let index = 1; index < points.length; index++) {
    sums.push(sums[index - 1] + ((points[index].tick - points[index - 1].tick) * (points[index].cost + points[index - 1].cost)) / 2);
  }
  return (tick) => {
    let index = 0;
    while (index + 1 < points.length && points[index + 1].tick <= tick) index++;
    return sums[index] + (tick - points[index].tick) * points[index].cost;
  };
}

function liveElements(world: WorldImage): number {
  let live = 0;
  for (const module of world.modules) for (const pool of module.pools) live += pool.live;
  return live;
}

/**
 * One verdict from the segments' results, in segment order: the first that did not match decides,
 * with its summary counting the segments up to it; all matched is one matched replay from tick 0.
 * Null when a segment could not run at all (a damaged checkpoint, say): then replay it whole.
 */
export function joinSegments(recording: Recording, segments: Segment[], results: ReplayResult[]): Exclude<ReplayResult, { kind: "failed" }> | null {
  const summary: ReplaySummary = { mode: "recorded", from: 0, ticks: 0, checks: 0, reloads: 0, warnings: [], update: null };
  for (let index = 0; index < results.length; index++) {
    const result = results[index];
    if (result.kind === "failed") return null;
    // A later segment checks the hash at its start again: the one before it ended with that check.
    const repeated = index > 0 && recording.hashes.some((hash) => hash.tick === segments[index].from) ? 1 : 0;
    summary.ticks += result.summary.ticks;
    summary.checks += result.summary.checks - repeated;
    summary.reloads += result.summary.reloads;
    for (const warning of result.summary.warnings) if (!summary.warnings.includes(warning)) summary.warnings.push(warning);
    if (result.kind === "diverged") {
      const lastMatch = result.divergence.lastMatch ?? (index > 0 ? lastHashAtOrBefore(recording, segments[index].from) : null);
      return { kind: "diverged", summary, divergence: { ...result.divergence, lastMatch } };
    }
  }
  return { kind: "matched", summary };
}

/** The last recorded hash tick at or before `tick`: every segment before this one matched it. */
function lastHashAtOrBefore(recording: Recording, tick: number): number | null {
  let found: number | null = null;
  for (const hash of recording.hashes) if (hash.tick <= tick) found = hash.tick;
  return found;
}

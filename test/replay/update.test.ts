// `--update`: after an intended change the expected hashes are re-recorded, and the replay says
// what changed (how many checks, where the first difference is, which sources); the updated
// recording then replays cleanly.

import { describe, expect, it } from "vitest";
import type { Recording } from "../../engine/replay/format.ts";
import { contentHash } from "../../engine/replay/hash.ts";
import { replay } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { join } from "node:path";
import { change, currentSources, here, liveSession, readGame } from "./helpers.ts";

const game = readGame();

function recordingOf(ticks: number): Recording {
  const live = liveSession(game, { record: { checkpointEvery: 240 } });
  live.step(ticks);
  return live.finish();
}

describe("--update", () => {
  it("re-records hashes against today's sources and reports what changed", () => {
    const recording = recordingOf(500);
    const today = { ...game, swarm: change(game.swarm, "DRAG := 0.9", "DRAG := 0.5") };
    const result = replay(recording, { current: currentSources(today), update: true });
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    const update = result.summary.update!;
    expect(update.checks).toBe(10);
    // Sparks first exist after tick 10, so every check from tick 60 on (60 ... 480 and 500) changes.
    expect(update.changed).toBe(9);
    expect(update.notes).toContain("sources replaced with today's: swarm changed");
    expect(result.divergence).toMatchObject({ tick: 60, lastMatch: 0, modules: ["swarm"], comparedAt: 240 });
    expect(result.divergence.differences[0]).toMatchObject({ kind: "field", module: "swarm", pool: "sparks", field: "pos.x" });
    const text = formatReplayResult(result);
    expect(text).toContain("updated: 9 of 10 hash checks changed");
    expect(text).toContain("updated: sources replaced with today's: swarm changed");

    const updated = update.recording;
    expect(updated.input).toEqual(recording.input);
    expect(updated.hashes.map((hash) => hash.tick)).toEqual(recording.hashes.map((hash) => hash.tick));
    expect(updated.sources[updated.programs[0].modules.swarm.source]).toBe(today.swarm);
    expect(replay(updated).kind).toBe("matched");
    expect(replay(updated, { current: currentSources(today) }).kind).toBe("matched");
  });

  it("re-records after an engine-side change with the recorded sources", () => {
    const recording = recordingOf(300);
    // Stand-in for an intended engine change: the recorded hashes no longer match the simulation.
    const stale: Recording = structuredClone(recording);
    stale.hashes[3].world = "00000000";
    expect(replay(stale).kind).toBe("diverged");
    const result = replay(stale, { update: true });
    expect(result.kind).toBe("diverged");
    if (result.kind === "failed") return;
    expect(result.summary.update?.changed).toBe(1);
    const updated = result.summary.update!.recording;
    expect(updated.hashes).toEqual(recording.hashes);
    expect(replay(updated).kind).toBe("matched");
  });

  it("says nothing changed when nothing did", () => {
    const recording = recordingOf(200);
    const result = replay(recording, { update: true });
    expect(result.kind).toBe("matched");
    if (result.kind !== "matched") return;
    expect(result.summary.update).toMatchObject({ checks: 5, changed: 0, notes: [] });
    expect(formatReplayResult(result)).toContain("updated: all 5 hash checks unchanged");
    expect(JSON.stringify({ ...result.summary.update!.recording, meta: {} })).toBe(JSON.stringify({ ...recording, meta: {} }));
  });

  it("drops recorded reloads when re-recording against today's sources, and says so", () => {
    const live = liveSession(game);
    live.step(100);
    live.edit("main", change(game.main, "SPEED := 120.0", "SPEED := 130.0"));
    live.step(100);
    const recording = live.finish();
    const result = replay(recording, { current: currentSources(game), update: true });
    expect(result.kind).toBe("diverged");
    if (result.kind === "failed") return;
    expect(result.summary.update!.notes).toContain("1 recorded reload dropped: today's sources run from the start");
    expect(result.summary.update!.recording.reloads).toEqual([]);
    expect(contentHash(game.main)).toBe(result.summary.update!.recording.programs[0].modules.main.source);
  });

  it("cannot start --from a later tick", () => {
    const result = replay(recordingOf(100), { update: true, from: 50 });
    expect(result).toMatchObject({ kind: "failed", error: { kind: "seek" } });
  });

  it("re-records checkpoints that can now be seeked from (a file written before fibers were saved)", () => {
    const fibers = readGame(join(here, "fibers"));
    const live = liveSession(fibers, { record: { checkpointEvery: 120 } });
    live.step(400);
    const recording = live.finish();
    // As an older engine wrote it: no stacks, so no checkpoint with the fiber waiting is restorable.
    const old: Recording = {
      ...recording,
      checkpoints: recording.checkpoints.map(({ world: { stacks, ...world }, ...checkpoint }) => ({ ...checkpoint, world, restorable: false, why: "1 suspended fiber (fiber stacks are not stored)" })),
    };
    const result = replay(old, { update: true });
    expect(result.kind).toBe("matched");
    if (result.kind !== "matched") return;
    expect(result.summary.update!.changed).toBe(0);
    expect(result.summary.update!.notes).toContain("checkpoints seeking can start from: 0 before, 4 now");
    const seeked = replay(result.summary.update!.recording, { from: 300 });
    expect(seeked.kind === "matched" && seeked.summary.from).toBe(240);
  });
});


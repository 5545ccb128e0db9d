// Checking a recording in segments (engine/replay/segments.ts), each from one restorable
// checkpoint to the next, gives the verdict of one replay from tick 0: the same counts when it
// matches, the same first failing check when it does not. A segment also compares the world at
// its end with the checkpoint recorded there. (`ribbon replay --jobs` runs the segments in
// worker threads: cli.test.ts.)

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Recording } from "../../engine/replay/format.ts";
import { replay, type ReplayResult } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { joinSegments, planSegments } from "../../engine/replay/segments.ts";
import { readRecordingFile } from "../../tools/cli/replay.ts";
import { alterRecordedSource, change, liveSession, readGame, replaysDir } from "./helpers.ts";

function fixture(name: string): Recording {
  const read = readRecordingFile(join(replaysDir, name));
  if (!read.ok) throw new Error(read.error.message);
  return read.recording;
}

/** Every segment replayed here, one after the other, then joined. */
function inSegments(recording: Recording, parts: number): ReplayResult {
  const segments = planSegments(recording, parts, 1);
  expect(segments.length).toBeGreaterThan(1);
  const results = segments.map((segment) => replay(recording, { from: segment.from, until: segment.until }));
  const joined = joinSegments(recording, segments, results);
  if (!joined) throw new Error("a segment could not run");
  return joined;
}

describe("segments", () => {
  it("are cut at restorable checkpoints, no shorter than asked, and not at all when too short", () => {
    const recording = fixture("test-game.ribbon-replay.json");
    expect(recording.checkpoints.map((checkpoint) => checkpoint.tick)).toEqual([0, 600, 1200, 1500]);
    expect(planSegments(recording, 3, 1)).toEqual([{ from: 0, until: 600 }, { from: 600, until: 1200 }, { from: 1200, until: 1500 }]);
    expect(planSegments(recording, 2, 1)).toEqual([{ from: 0, until: 600 }, { from: 600, until: 1500 }]);
    expect(planSegments(recording, 2, 700)).toEqual([{ from: 0, until: 1500 }]);
    // The checkpoint at 600 of this one is not restorable (a reload is on probation there).
    expect(planSegments(fixture("test-game-reloads.ribbon-replay.json"), 4, 1)).toEqual([{ from: 0, until: 1000 }]);
  });

  it("are cut where the work is halved, not the ticks: a world that fills up costs more per tick", () => {
    // Checkpoints every 600 ticks; the world holds 10 live elements up to tick 1200, 1,000 from 1800.
    const image = (live: number) => ({ modules: [{ pools: [{ live }] }] });
    const checkpoints = [0, 600, 1200, 1800, 2400, 3000].map((tick) => ({ tick, program: 0, restorable: true, world: image(tick <= 1200 ? 10 : 1000) }));
    const growing = { ticks: 3000, checkpoints } as unknown as Recording;
    expect(planSegments(growing, 2, 1)).toEqual([{ from: 0, until: 2400 }, { from: 2400, until: 3000 }]);
    const even = { ticks: 3000, checkpoints: checkpoints.map((checkpoint) => ({ ...checkpoint, world: image(10) })) } as unknown as Recording;
    expect(planSegments(even, 3, 1)).toEqual([{ from: 0, until: 1200 }, { from: 1200, until: 1800 }, { from: 1800, until: 3000 }]);
  });

  it("joined, say what one replay from tick 0 says of a recording that matches", () => {
    for (const name of ["test-game.ribbon-replay.json", "demo-game.ribbon-replay.json"]) {
      const recording = fixture(name);
      const whole = replay(recording);
      const joined = inSegments(recording, 3);
      expect(joined.kind, formatReplayResult(joined, name)).toBe("matched");
      expect(formatReplayResult(joined, name)).toBe(formatReplayResult(whole, name));
    }
  });

  it("joined, report the divergence one replay from tick 0 reports, in a later segment too", () => {
    const recording = fixture("test-game.ribbon-replay.json");
    // Steps 700 ticks the same, then differs: the change only matters once `ticks` passes 700.
    const altered = alterRecordedSource(recording, "main", (text) => change(text, "    ticks = ticks + 1\n", "    ticks = ticks + 1\n    if ticks > 700 then ticks = ticks + 1\n"));
    const whole = replay(altered);
    expect(whole.kind).toBe("diverged");
    const joined = inSegments(altered, 3);
    expect(joined).toEqual(whole);
    if (joined.kind === "diverged") expect(joined.divergence.tick).toBeGreaterThan(600);
  });

  it("compare the world at their end with the checkpoint recorded there, not just its hash", () => {
    const recording = structuredClone(fixture("test-game.ribbon-replay.json"));
    const main = recording.checkpoints[2].world.modules.find((module) => module.name === "main")!;
    main.state.s_bursts = 999;
    const result = replay(recording, { from: 600, until: 1200 });
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    expect(result.divergence).toMatchObject({ cause: "checkpoint", tick: 1200, lastMatch: 1200, comparedAt: 1200, modules: ["main"] });
    expect(formatReplayResult(result)).toContain("diverged at tick 1200: the world differs from the checkpoint recorded there, though its hash matched");
  });

  it("joined, re-apply the reloads of each segment: a session edited twice, cut around and after the edits", () => {
    const game = readGame();
    const live = liveSession(game, { record: { checkpointEvery: 100 } });
    live.step(150);
    expect(live.edit("main", change(game.main, "SPEED := 120.0", "SPEED := 90.0")).outcome).toBe("swapped");
    live.step(150);
    expect(live.edit("swarm", change(game.swarm, "vel: Vec2,", "vel: Vec2, heat: f64 = 1.0,")).outcome).toBe("migrated");
    live.step(200);
    const recording = live.finish();
    const restorable = recording.checkpoints.filter((checkpoint) => checkpoint.restorable).map((checkpoint) => checkpoint.tick);
    // Probation after each reload makes some checkpoints unrestorable; enough others remain.
    expect(restorable.length).toBeGreaterThan(3);
    const whole = replay(recording);
    expect(whole.kind, formatReplayResult(whole)).toBe("matched");
    // Segments that start after the first reload and after the second: each resumes on that program.
    const starts = planSegments(recording, 4, 1).map((segment) => segment.from);
    expect(starts.some((tick) => tick > 150 && tick < 300)).toBe(true);
    expect(starts.some((tick) => tick > 300)).toBe(true);
    const joined = inSegments(recording, 4);
    expect(formatReplayResult(joined)).toBe(formatReplayResult(whole));
  });

  it("a stop before the start or past the end is refused", () => {
    const recording = fixture("test-game.ribbon-replay.json");
    expect(replay(recording, { from: 600, until: 600 }).kind).toBe("failed");
    expect(replay(recording, { until: 1501 }).kind).toBe("failed");
  });
});

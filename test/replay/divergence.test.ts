// Divergence reports: a changed rule run with `current` is caught at the exact first tick with
// module, pool, slot, field and both values; a recording whose own replay goes wrong is caught
// at the first failing hash check and compared field by field with the nearest checkpoint; a
// reload that turns out differently is named.

import { describe, expect, it } from "vitest";
import type { Recording } from "../../engine/replay/format.ts";
import { replay } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { contentHash } from "../../engine/replay/hash.ts";
import { alterRecordedSource, change, currentSources, liveSession, readGame } from "./helpers.ts";

const game = readGame();

function plainRecording(ticks = 400, options = {}): Recording {
  const live = liveSession(game, options);
  live.step(ticks);
  return live.finish();
}

describe("behaviour diff (--current)", () => {
  it("finds the first tick a changed constant matters, with module, pool, field and values", () => {
    const recording = plainRecording();
    const today = { ...game, main: change(game.main, "SPEED := 120.0", "SPEED := 150.0") };
    const result = replay(recording, { current: currentSources(today) });
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    const { divergence } = result;
    // The player first moves on tick 10 (0-based): the world after 11 ticks is the first to differ.
    // On that tick the player also bursts sparks (module swarm) where it now stands.
    expect(divergence).toMatchObject({ cause: "behaviour", tick: 11, lastMatch: 10, exact: true, modules: ["swarm", "main"] });
    expect(divergence.differences).toEqual([
      { kind: "field", module: "swarm", pool: "sparks", slot: 0, generation: 1, field: "pos.x", recorded: 102, actual: 102.5, slots: 8 },
      { kind: "field", module: "main", pool: "players", slot: 0, generation: 1, field: "pos.x", recorded: 102, actual: 102.5, slots: 1 },
    ]);
    const text = formatReplayResult(result);
    expect(text).toContain("behaviour departs from the recording at tick 11");
    expect(text).toContain("main/players slot 0 (generation 1) field pos.x: recorded 102, actual 102.5");
  });

  it("reports state and printed output that depart", () => {
    const withPrint = { ...game, main: change(game.main, "            bursts = bursts + 1\n", "            bursts = bursts + 1\n            print bursts\n") };
    const live = liveSession(withPrint);
    live.step(200);
    const recording = live.finish();
    const today = { ...withPrint, main: change(withPrint.main, "bursts = bursts + 1", "bursts = bursts + 2") };
    const result = replay(recording, { current: currentSources(today) });
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    expect(result.divergence.tick).toBe(11);
    expect(result.divergence.differences).toContainEqual({ kind: "output", recorded: '"1"', actual: '"2"' });
    expect(result.divergence.differences).toContainEqual({ kind: "state", module: "main", name: "bursts", recorded: 1, actual: 2 });
  });

  it("says so when today's sources behave the same", () => {
    const recording = plainRecording();
    const today = { ...game, main: `${game.main}\n;; a comment changes nothing\n` };
    const result = replay(recording, { current: currentSources(today) });
    expect(result.kind).toBe("matched");
    if (result.kind === "matched") expect(result.summary.checks).toBe(401);
  });

  it("hot-loads today's sources into a checkpoint with --from", () => {
    const recording = plainRecording(700);
    const today = { ...game, main: change(game.main, "WANDER := 30.0", "WANDER := 40.0") };
    const result = replay(recording, { current: currentSources(today), from: 650 });
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    expect(result.summary.from).toBe(600);
    expect(result.summary.warnings.join()).toMatch(/hot-loaded into the recorded world at tick 600/);
    expect(result.divergence.tick).toBe(601);
    expect(result.divergence.differences[0]).toMatchObject({ kind: "field", module: "main", pool: "wanderers", field: "pos.x" });
  });

  it("reports today's compile errors as data", () => {
    const recording = plainRecording(50);
    const result = replay(recording, { current: currentSources({ ...game, main: game.main.replace("SPEED := 120.0", "SPEED := ") }) });
    expect(result.kind).toBe("failed");
    if (result.kind === "failed") {
      expect(result.error.kind).toBe("current");
      expect(result.error.message).toMatch(/today's sources do not compile/);
    }
  });
});

describe("probation rollbacks", () => {
  function withRollback(): Recording {
    const live = liveSession(game);
    live.step(100);
    live.edit("main", change(game.main, "    ticks = ticks + 1\n", "    ticks = ticks + 1\n    if ticks > 110 then ticks = ticks / (ticks - ticks)\n"));
    live.step(60);
    return live.finish();
  }

  it("reports a rollback the recording does not have", () => {
    const recording = withRollback();
    expect(recording.rollbacks.map((rollback) => rollback.tick)).toEqual([111]);
    const result = replay({ ...recording, rollbacks: [] });
    expect(result.kind).toBe("diverged");
    if (result.kind === "diverged") {
      expect(result.divergence).toMatchObject({ cause: "reload", tick: 111 });
      expect(formatReplayResult(result)).toMatch(/probation rollback: recorded none, actual at tick 111: the new code failed during probation/);
    }
  });

  it("reports a recorded rollback that does not happen", () => {
    const recording = withRollback();
    const result = replay({ ...recording, rollbacks: [...recording.rollbacks, { tick: 130, reload: 0, reason: "made up" }] });
    expect(result.kind).toBe("diverged");
    if (result.kind === "diverged") expect(result.divergence.differences[0]).toEqual({ kind: "rollback", recorded: "at tick 130: made up", actual: "none" });
  });
});

describe("divergence from the recorded hashes", () => {
  it("names the first failing check, the modules, and the fields at the nearest checkpoint", () => {
    const recording = plainRecording(400, { record: { checkpointEvery: 120 } });
    // As if the engine had changed under the recording: the same file now computes differently.
    const altered = alterRecordedSource(recording, "main", (text) => change(text, "SPEED := 120.0", "SPEED := 121.0"));
    const result = replay(altered);
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    const { divergence } = result;
    expect(divergence).toMatchObject({ cause: "hash", tick: 60, lastMatch: 0, exact: false, modules: ["swarm", "main"], comparedAt: 120 });
    expect(divergence.differences).toContainEqual(expect.objectContaining({ kind: "field", module: "main", pool: "players", slot: 0, field: "pos.x" }));
    const text = formatReplayResult(result);
    expect(text).toContain("first failing check: tick 60 (hashes still matched at tick 0)");
    expect(text).toContain("compared with the recorded world at tick 120 (the nearest recorded state at or after it)");
  });

  it("names a reload whose outcome changed", () => {
    const live = liveSession(game);
    live.step(100);
    live.edit("swarm", change(game.swarm, "vel: Vec2,", "vel: Vec2, heat: f64 = 1.0,"));
    live.step(100);
    const recording = live.finish();
    // The reloaded swarm now lacks the default: a reload that migrated is rejected on replay.
    const broken = structuredClone(recording);
    const program = broken.programs[broken.reloads[0].program];
    const text = broken.sources[program.modules.swarm.source].replace("heat: f64 = 1.0", "heat: f64");
    program.modules.swarm.source = contentHash(text);
    broken.sources[contentHash(text)] = text;
    const result = replay(broken);
    expect(result.kind).toBe("diverged");
    if (result.kind !== "diverged") return;
    expect(result.divergence).toMatchObject({ cause: "reload", tick: 100, modules: ["swarm"] });
    expect(result.divergence.differences[0]).toMatchObject({ kind: "reload", reload: 0 });
    expect(formatReplayResult(result)).toMatch(/reload #1: recorded migrated \(.*\), actual rejected \(.*heat/);
  });
});

// The page's recording and replay restart in Node (engine/client/game-client.ts with the transport
// injected, wired to the compiler side as the dev server wires them): a `restarted` reload is
// re-simulated in chunks across frames with a progress bar after a few frames, nothing else runs
// until it is done, the world ends where a one-go replay restart puts it, and the recording the
// client made replays without divergence. Also the timeline without a browser: scrubbing back
// lands on recorded hashes, and resuming from the past truncates the recording.

import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compileProgram } from "../../engine/compiler/compile.ts";
import type { GameClientOptions, Progress } from "../../engine/client/game-client.ts";
import type { ClientMessage } from "../../engine/client/protocol.ts";
import { PROGRESS_AFTER_FRAMES } from "../../engine/client/resimulation.ts";
import { TICK_MS } from "../../engine/client/time.ts";
import { worldHashes } from "../../engine/replay/hash.ts";
import { replay } from "../../engine/replay/replay.ts";
import { replayRestart } from "../../engine/replay/restart.ts";
import { parseRecording } from "../../engine/replay/validate.ts";
import type { InputFrame } from "../../engine/runtime/host.ts";
import { NO_INPUT } from "../../engine/runtime/host.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { MAIN_RIB } from "../server/fixtures.ts";
import { connectClient } from "./client-harness.ts";
import { here, readGame } from "../replay/helpers.ts";

/** A game whose fiber never ends: every reload of it falls back to a restart. */
const FIBERS_RIB = readGame(join(here, "fibers")).main;

function held(keys: string[]): InputFrame {
  return { down: new Set(keys), pressed: new Set(), released: new Set(), pointer: { x: 0, y: 0 }, pointerDown: false, pointerPressed: false };
}

/** Right held for 40 ticks out of every 100. */
function scripted(tick: number): InputFrame {
  return tick % 100 < 40 ? held(["right"]) : NO_INPUT;
}

function harness(main: string, options: Partial<GameClientOptions> = {}) {
  const progress: Array<Progress | null> = [];
  const connected = connectClient(main, 7, { ui: { progress: (shown) => progress.push(shown) }, ...options });
  let tick = 0;
  /** Runs `count` ticks, one per frame, with the scripted input. */
  const ticks = (count: number) => {
    for (let index = 0; index < count; index++) connected.client.frame(TICK_MS + 0.001, () => scripted(tick++));
  };
  return { ...connected, progress, ticks };
}

function reports(sent: ClientMessage[]) {
  return sent.filter((message) => message.kind === "report");
}

describe("replay restart in the page", () => {
  test("a long re-simulation runs in chunks across frames with a progress bar, then the reload is reported", () => {
    let clock = 0;
    // Every clock read costs a millisecond: an 8 ms budget is about eight ticks per frame.
    const h = harness(FIBERS_RIB, { now: () => clock++, resimulationBudgetMs: 8 });
    h.ticks(300);
    expect(h.client.recorder!.ticks).toBe(300);
    const id = h.edit(FIBERS_RIB.replace("STEP := 1.0", "STEP := 2.0"));

    const frames: number[] = [];
    h.client.frame(TICK_MS, () => scripted(10_000));
    while (h.client.resimulating) {
      expect(reports(h.sent)).toEqual([]);
      expect(h.client.recording()).toBeNull();
      frames.push(h.client.frame(TICK_MS * 4, () => scripted(10_000)).ticks);
    }
    // No normal tick ran while re-simulating (ticking resumes in the frame that finishes it); the
    // reload is reported once it is done.
    expect(frames.length).toBeGreaterThan(30);
    expect(frames.slice(0, -1).every((ticks) => ticks === 0)).toBe(true);
    expect(frames.at(-1)).toBe(4);
    const report = reports(h.sent)[0];
    expect(report).toMatchObject({ kind: "report", id, report: { outcome: "restarted" } });
    expect(report.kind === "report" && report.report.reason).toContain("replayed 300 ticks of recorded input");

    // The bar appears after a few frames, only goes forward, and is hidden at the end.
    const shown = h.progress.filter((value): value is Progress => value !== null);
    // Chunks 1 and 2 are quiet; each later unfinished chunk updates the bar.
    expect(shown.length).toBe(frames.length + 1 - PROGRESS_AFTER_FRAMES);
    expect(shown.every((value, index) => value.total === 300 && (index === 0 || value.done > shown[index - 1].done))).toBe(true);
    expect(h.progress.at(-1)).toBeNull();

    // Same world as a one-go replay restart of the same input with the new code (plus the four
    // live ticks of the last frame).
    const input = h.client.recorder!.input;
    expect(input.ticks).toBe(304);
    const compiled = compileProgram(["main"], (name) => (name === "main" ? { path: "main.rib", text: h.sources.main } : null));
    const reference = createWorld(compiled.modules, { log: () => {}, runtimeError: () => {} }, { seed: 7 });
    startWorld(reference);
    replayRestart(reference, compiled.modules, input, 300);
    for (let tick = 300; tick < 304; tick++) stepWorld(reference, input.at(tick));
    expect(worldHashes(h.client.world!)).toEqual(worldHashes(reference));
    expect(h.client.world!.byName.main.state.s_x).toBe(reference.byName.main.state.s_x);
  });

  test("a short re-simulation finishes in the reload's frame without a progress bar", () => {
    const h = harness(FIBERS_RIB);
    h.ticks(50);
    h.edit(FIBERS_RIB.replace("STEP := 1.0", "STEP := 3.0"));
    h.ticks(1);
    expect(h.client.resimulating).toBeNull();
    expect(h.progress).toEqual([]);
    expect(reports(h.sent)[0]).toMatchObject({ report: { outcome: "restarted" } });
    expect(h.client.recorder!.ticks).toBe(51);
  });

  test("messages that arrive during a replay restart wait for it; the recording replays in Node without divergence", () => {
    let clock = 0;
    const textures: string[] = [];
    const h = harness(FIBERS_RIB, { now: () => clock++, resimulationBudgetMs: 4, ui: { textureChanged: (name) => textures.push(name) } });
    h.ticks(200);
    h.edit(FIBERS_RIB.replace("STEP := 1.0", "STEP := 2.0"));
    h.client.frame(TICK_MS, () => NO_INPUT);
    expect(h.client.resimulating).not.toBeNull();
    h.client.receive({ kind: "texture", name: "ship", url: "/assets/ship.png?v=1" });
    h.client.frame(TICK_MS, () => NO_INPUT);
    expect(textures).toEqual([]);
    while (h.client.resimulating) h.client.frame(TICK_MS, () => NO_INPUT);
    expect(textures).toEqual(["ship"]);
    // The frame that finishes the re-simulation runs its due tick.
    expect(h.client.recorder!.ticks).toBe(201);
    h.deliver();
    h.ticks(130);
    h.edit(FIBERS_RIB.replace("STEP := 1.0", "STEP := 2.5"));
    h.ticks(1);
    while (h.client.resimulating) h.client.frame(TICK_MS, () => NO_INPUT);
    h.ticks(100);
    const recording = h.client.recording()!;
    expect(recording.ticks).toBe(432);
    expect(recording.reloads.map((reload) => [reload.tick, reload.outcome, reload.resimulated])).toEqual([
      [200, "restarted", 200],
      [331, "restarted", 331],
    ]);
    const parsed = parseRecording(JSON.stringify(recording));
    expect(parsed.ok).toBe(true);
    const result = replay(parsed.ok ? parsed.recording : recording);
    expect(result.kind).toBe("matched");
  });
});

describe("the timeline in Node", () => {
  test("scrubbing back lands on the recorded hashes; forward returns to the head; resuming from the past truncates", () => {
    const h = harness(MAIN_RIB);
    h.ticks(400);
    const head = worldHashes(h.client.world!).world;
    const timeline = h.client.timeline!;
    expect(timeline.range()).toEqual({ from: 0, to: 400 });
    h.ticks(300);
    // Snapshots more than 600 ticks older than the newest one are dropped.
    expect(timeline.range()).toEqual({ from: 60, to: 700 });
    const full = h.client.recording()!;
    const recorded = new Map(full.hashes.map((hash) => [hash.tick, hash.world]));
    for (const tick of [660, 180, 600, 300, 420]) {
      expect(h.client.scrub(tick)).toEqual({ kind: "moved", tick });
      expect(timeline.position).toBe(tick);
      expect(worldHashes(h.client.world!).world).toBe(recorded.get(tick));
    }
    // Between snapshots: exact too (same as a straight run to that tick).
    expect(h.client.scrub(400)).toEqual({ kind: "moved", tick: 400 });
    expect(worldHashes(h.client.world!).world).toBe(head);
    expect(h.client.clock.paused).toBe(true);
    // A download while scrubbed back still ends at the head.
    const whileBack = h.client.recording()!;
    expect(whileBack.ticks).toBe(700);
    expect(whileBack.hashes.at(-1)).toEqual(h.client.recording()!.hashes.at(-1));
    expect(replay(whileBack).kind).toBe("matched");

    // Resuming at 400 drops ticks 400..700 and records on from there.
    h.client.clock.paused = false;
    h.ticks(50);
    const after = h.client.recording()!;
    expect(after.ticks).toBe(450);
    expect(after.input.reduce((sum, [count]) => sum + count, 0)).toBe(450);
    expect(after.hashes.filter((hash) => hash.tick <= 400)).toEqual(full.hashes.filter((hash) => hash.tick <= 400));
    expect(after.hashes.filter((hash) => hash.tick > 400).map((hash) => hash.tick)).toEqual([420, 450]);
    expect(after.checkpoints.map((checkpoint) => checkpoint.tick)).toEqual([0, 450]);
    expect(h.client.timeline!.range()).toEqual({ from: 60, to: 450 });
    expect(replay(after).kind).toBe("matched");
  });

  test("a reload clears the timeline: it never reaches back across one", () => {
    const h = harness(MAIN_RIB);
    h.ticks(200);
    expect(h.client.timeline!.range()).not.toBeNull();
    h.edit(MAIN_RIB.replace("SPEED := 1.0", "SPEED := 2.0"));
    h.ticks(1);
    expect(h.client.timeline!.range()).toBeNull();
    expect(h.client.scrub(100).kind).toBe("unavailable");
    h.ticks(100);
    expect(h.client.timeline!.range()).toEqual({ from: 240, to: 301 });
  });
});

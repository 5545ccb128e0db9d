// Record → replay round trips: a session with scripted input and reloads (swap, migration,
// rejection, probation rollback, replay restart) replays with every hash matching; seeking from
// a checkpoint lands on the same hashes; different seeds give different, equally exact, runs.

import { describe, expect, it } from "vitest";
import { parseRecording } from "../../engine/replay/validate.ts";
import { replay } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { compileProgram } from "../../engine/compiler/compile.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import { createRecorder } from "../../engine/replay/recorder.ts";
import { replayRestart } from "../../engine/replay/restart.ts";
import { sourcesOf } from "../../engine/replay/sources.ts";
import { change, liveSession, readGame, scriptedInput, sourcesProvider } from "./helpers.ts";

const game = readGame();

/** Two reloads: a constant (swap) and a struct field with a default (generated migration). */
function sessionWithTwoReloads(seed = 1) {
  const live = liveSession(game, { seed });
  live.step(200);
  const first = live.edit("main", change(game.main, "SPEED := 120.0", "SPEED := 150.0"));
  live.step(250);
  const second = live.edit("swarm", change(game.swarm, "vel: Vec2,", "vel: Vec2, heat: f64 = 1.0,"));
  live.step(350);
  return { live, first, second, recording: live.finish() };
}

describe("record and replay", () => {
  it("replays a session with input and two reloads without divergence", () => {
    const { first, second, recording } = sessionWithTwoReloads();
    expect(first.outcome).toBe("swapped");
    expect(second.outcome).toBe("migrated");
    expect(recording.ticks).toBe(800);
    expect(recording.reloads.map((reload) => [reload.tick, reload.outcome])).toEqual([[200, "swapped"], [450, "migrated"]]);
    const parsed = parseRecording(JSON.stringify(recording));
    expect(parsed.ok).toBe(true);
    const result = replay(parsed.ok ? parsed.recording : recording);
    expect(formatReplayResult(result)).toMatch(/^replay: ok · 800 ticks · 15 hash checks · 2 reloads re-applied/);
    expect(result.kind).toBe("matched");
  });

  it("a session whose fibers wait NaN, negative or infinite seconds replays, also from a checkpoint", () => {
    // A wake tick must stay a whole number: before, NaN and Infinity went into the file as null
    // and the whole recording was refused ("expected a whole number").
    const live = liveSession({
      main: [
        "woken : mut = 0",
        "napper := fun (seconds: f64).",
        "    while true.",
        "        wait seconds",
        "        woken = woken + 1",
        "init := fun ().",
        "    spawn (fun (). napper (0.0 / 0.0))",
        "    spawn (fun (). napper (-2.0))",
        "    spawn (fun (). napper (1.0 / 0.0))",
        "update := fun (dt: f64).",
        "    if woken % 100 == 0 then print woken",
        "",
      ].join("\n"),
    });
    live.step(700);
    const recording = live.finish();
    expect(recording.checkpoints.map((checkpoint) => checkpoint.tick)).toEqual([0, 600, 700]);
    const parsed = parseRecording(JSON.stringify(recording));
    expect(parsed.ok && parsed.recording.ticks).toBe(700);
    if (!parsed.ok) return;
    expect(replay(parsed.recording).kind).toBe("matched");
    expect(replay(parsed.recording, { from: 650 }).kind).toBe("matched");
    // NaN and negative waits resume on every tick after the first; the infinite one never does.
    expect(live.recorded.world.byName.main.state).toMatchObject({ s_woken: 2 * 699 });
  });

  it("a checkpoint whose state holds a lambda is not restorable, and says what holds it", () => {
    // A function cannot be written into a file: restoring such an image would leave null where
    // the lambda was (before, --from replayed into "f0 is not a function").
    const record = (main: string) => {
      const live = liveSession({ main });
      live.step(700);
      return live.finish();
    };
    const inState = record(["pick : mut = fun (x: i32) -> i32. x + 1", "total : mut = 0", "update := fun (dt: f64).", "    total = pick total", ""].join("\n"));
    expect(inState.checkpoints.map((checkpoint) => [checkpoint.tick, checkpoint.restorable, checkpoint.why])).toEqual([
      [0, false, "module main state pick holds a function, which an image cannot hold"],
      [600, false, "module main state pick holds a function, which an image cannot hold"],
      [700, false, "module main state pick holds a function, which an image cannot hold"],
    ]);
    const seeking = replay(inState, { from: 650 });
    expect(seeking.kind).toBe("matched");
    if (seeking.kind === "matched") expect(seeking.summary.warnings.join("\n")).toMatch(/no restorable checkpoint at or before tick 650: replayed from the start/);
    const inFiber = record([
      "kept : mut = 0",
      "keeper := fun ().",
      "    bump := fun (x: i32) -> i32. x + 1",
      "    while true.",
      "        wait 0.5",
      "        kept = bump kept",
      "init := fun ().",
      "    spawn (fun (). keeper ())",
      "",
    ].join("\n"));
    // A waiting fiber holding one was refused already, by its stack (runtime/fiber-stacks.ts).
    expect(inFiber.checkpoints[1].why).toBe("1 suspended fiber: fiber 1 (started in main) waits in main/keeper holding a function value, which cannot be saved");
    expect(replay(inFiber, { from: 650 }).kind).toBe("matched");
  });

  it("stores input run-length encoded and sources once per distinct text", () => {
    const { recording } = sessionWithTwoReloads();
    const total = recording.input.reduce((sum, [count]) => sum + count, 0);
    expect(total).toBe(800);
    expect(recording.input.length).toBeLessThan(100);
    // main v1, main v2, swarm v1, swarm v2.
    expect(Object.keys(recording.sources)).toHaveLength(4);
    expect(recording.programs).toHaveLength(3);
    expect(recording.checkpoints.map((checkpoint) => checkpoint.tick)).toEqual([0, 600, 800]);
  });

  it("seeks to a checkpoint with --from and checks every hash after it", () => {
    const { recording } = sessionWithTwoReloads();
    const result = replay(recording, { from: 700 });
    expect(result.kind).toBe("matched");
    if (result.kind !== "matched") return;
    expect(result.summary.from).toBe(600);
    expect(result.summary.ticks).toBe(200);
    expect(result.summary.checks).toBe(5);
  });

  it("is exact for every seed, and different seeds give different worlds", () => {
    const finals = new Set<string>();
    for (const seed of [1, 2, 7, 123456, 2 ** 40 + 3]) {
      const { recording } = sessionWithTwoReloads(seed);
      expect(recording.game.seed).toBe(seed);
      expect(replay(recording).kind).toBe("matched");
      finals.add(recording.hashes[recording.hashes.length - 1].world);
    }
    expect(finals.size).toBe(5);
  });

  it("replays a rejected reload and a probation rollback as recorded", () => {
    const live = liveSession(game);
    live.step(100);
    expect(live.edit("main", game.main.replace("SPEED := 120.0", "SPEED := = 120.0")).outcome).toBe("rejected");
    live.step(50);
    const failing = change(game.main, "    ticks = ticks + 1\n", "    ticks = ticks + 1\n    if ticks > 160 then ticks = ticks / (ticks - ticks)\n");
    expect(live.edit("main", failing).outcome).toBe("swapped");
    live.step(100);
    const recording = live.finish();
    expect(recording.rollbacks).toHaveLength(1);
    expect(recording.rollbacks[0].tick).toBe(161);
    const result = replay(recording);
    expect(formatReplayResult(result)).toMatch(/ok/);
    expect(result.kind).toBe("matched");
  });
});

describe("what the live tools do", () => {
  it("records reloads prepared ahead (the dev loop's prepare/apply)", () => {
    const live = liveSession(game);
    live.step(50);
    live.sources.main = change(game.main, "BURST := 8", "BURST := 3");
    const ahead = live.recorded.prepare();
    live.step(5);
    expect(live.recorded.apply(ahead).outcome).toBe("swapped");
    live.step(50);
    const recording = live.finish();
    expect(recording.reloads).toMatchObject([{ tick: 55, program: 1, outcome: "swapped" }]);
    expect(recording.sources[recording.programs[1].modules.main.source]).toContain("BURST := 3");
    expect(replay(recording).kind).toBe("matched");
  });

  it("replays a run whose update order is not the compile order (ribbon run with a manifest)", () => {
    const sources = {
      second: "import engine/rand\nseen : mut = 0.0\nupdate := fun (dt: f64).\n    seen = seen + rand/float ()\n",
      first: "import engine/rand\nseen : mut = 0.0\ninit := fun ().\n    print \"first\"\nupdate := fun (dt: f64).\n    seen = seen * 2.0 + rand/float ()\n",
    };
    const compiled = compileProgram(["second", "first"], sourcesProvider(sources));
    const manifestOrder = ["first", "second"].map((name) => compiled.modules.find((module) => module.name === name)!);
    const modules = [...compiled.modules.filter((module) => !manifestOrder.includes(module)), ...manifestOrder];
    const world = createWorld(modules, createMemoryHost(), { seed: 4 });
    startWorld(world);
    const recorder = createRecorder({ world, roots: ["second", "first"], sources: sourcesOf(compiled.modules) });
    for (let tick = 0; tick < 120; tick++) {
      recorder.recordTick(scriptedInput(tick));
      stepWorld(world, scriptedInput(tick));
    }
    const recording = recorder.finish();
    expect(recording.game.order.slice(-2)).toEqual(["first", "second"]);
    const lines: string[] = [];
    const result = replay(recording, { host: { log: (line) => lines.push(line), runtimeError: () => {} } });
    expect(result.kind).toBe("matched");
    expect(lines).toEqual(["first"]);
  });
});

describe("replay restart (fallback ladder step 4)", () => {
  const fiberGame = {
    main: `import engine/input
pulses : mut = 0
x : mut = 0.0
STEP := 1.0

pulse := fun ().
    while true.
        wait 0.25
        pulses = pulses + 1

init := fun ().
    spawn (fun (). pulse ())

update := fun (dt: f64).
    if input/down 'right.
        x = x + STEP
`,
  };

  it("re-simulates the session's input after a fast restart, and the replay does the same", () => {
    const live = liveSession(fiberGame);
    live.step(300);
    const edited = change(fiberGame.main, "STEP := 1.0", "STEP := 2.0");
    const report = live.edit("main", edited);
    expect(report.outcome).toBe("restarted");
    expect(report.reason).toMatch(/replayed 300 ticks of recorded input/);
    const world = live.recorded.world;
    expect(world.tick).toBe(300);
    // The same world as running the new code from the start with the same input.
    const fresh = compileProgram(["main"], sourcesProvider({ main: edited }));
    const check = createWorld(fresh.modules, createMemoryHost(), { seed: 1 });
    startWorld(check);
    for (let tick = 0; tick < 300; tick++) stepWorld(check, scriptedInput(tick));
    expect(hashWorld(world)).toBe(hashWorld(check));
    live.step(100);
    const recording = live.finish();
    expect(recording.reloads[0]).toMatchObject({ tick: 300, outcome: "restarted", resimulated: 300 });
    // The fiber is always suspended at a point its frame can be re-entered, so checkpoints hold its
    // stack; only at tick 0 it has not started yet (init spawned it; it first runs in tick 1).
    const [first, ...later] = recording.checkpoints;
    expect(first.why).toMatch(/fiber 1 \(started in main\) has not started/);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((checkpoint) => checkpoint.restorable && checkpoint.world.stacks?.length === 1)).toBe(true);
    expect(replay(recording).kind).toBe("matched");
    // Seeking starts at the last checkpoint (the session's end), with the fiber restored.
    const seeked = replay(recording, { from: 400 });
    expect(seeked.kind).toBe("matched");
    if (seeked.kind === "matched") {
      expect(seeked.summary.from).toBe(400);
      expect(seeked.summary.warnings.join()).not.toMatch(/no restorable checkpoint/);
    }
  });

  it("replayRestart brings any world to a recording's last tick with new code", () => {
    const live = liveSession(fiberGame);
    live.step(200);
    const recording = live.finish();
    const edited = change(fiberGame.main, "STEP := 1.0", "STEP := 5.0");
    const compiled = compileProgram(["main"], sourcesProvider({ main: edited })).modules;
    const world = live.recorded.world;
    const result = replayRestart(world, compiled, recording);
    expect(result).toEqual({ ticks: 200, errors: [] });
    const check = createWorld(compiled, createMemoryHost(), { seed: 1 });
    startWorld(check);
    for (let tick = 0; tick < 200; tick++) stepWorld(check, scriptedInput(tick));
    expect(hashWorld(world)).toBe(hashWorld(check));
  });

  it("keeps the plain fast restart when asked", () => {
    const live = liveSession(fiberGame, { restart: "fast" });
    live.step(120);
    const report = live.edit("main", change(fiberGame.main, "STEP := 1.0", "STEP := 3.0"));
    expect(report.outcome).toBe("restarted");
    expect(live.recorded.world.tick).toBe(0);
    live.step(60);
    const recording = live.finish();
    expect(recording.reloads[0].resimulated).toBe(0);
    expect(replay(recording).kind).toBe("matched");
  });
});

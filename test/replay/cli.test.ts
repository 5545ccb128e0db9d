// The command line, end to end in a child process: `ribbon run GAME --record FILE`, then
// `ribbon replay FILE` (clean), `--current` after an edit (behaviour diff, exit 1), `--update`
// (file rewritten, then clean), and a truncated file (clear error, exit 1).

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../helpers/ribbon.ts";
import { alterRecordedSource, change, gameDir, replaysDir } from "./helpers.ts";

const folder = mkdtempSync(join(tmpdir(), "ribbon-replay-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function ribbon(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repositoryRoot, "tools/bin/ribbon.mjs"), ...args], { cwd: folder, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("ribbon replay", () => {
  const game = join(folder, "game");
  mkdirSync(game);
  for (const file of ["main.rib", "swarm.rib"]) copyFileSync(join(gameDir, file), join(game, file));
  const file = join(folder, "run.ribbon-replay.json");

  it("records a run and replays it", () => {
    const run = ribbon("run", "game/main.rib", "--ticks", "240", "--seed", "9", "--record", "run.ribbon-replay.json");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("[record] 240 ticks → run.ribbon-replay.json");
    const recording = JSON.parse(readFileSync(file, "utf8"));
    expect(recording).toMatchObject({ format: "ribbon-replay", version: 1, ticks: 240, game: { seed: 9, path: "game/main.rib" } });
    const replayed = ribbon("replay", "run.ribbon-replay.json");
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stderr).toContain("run.ribbon-replay.json: ok · 240 ticks · 5 hash checks");
  });

  it("reports where today's sources behave differently, and --update takes them", () => {
    const main = join(game, "main.rib");
    writeFileSync(main, readFileSync(main, "utf8").replace("WANDER := 30.0", "WANDER := 20.0"));
    const diff = ribbon("replay", "run.ribbon-replay.json", "--current");
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain("behaviour departs from the recording at tick 1");
    expect(diff.stderr).toMatch(/main\/wanderers slot 0 \(generation 1\) field pos\.x: recorded [\d.]+, actual [\d.]+ \(differs in 5 live slots\)/);
    const update = ribbon("replay", "run.ribbon-replay.json", "--current", "--update");
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toContain("updated: 4 of 5 hash checks changed");
    expect(update.stderr).toContain("rewrote run.ribbon-replay.json");
    expect(ribbon("replay", "run.ribbon-replay.json", "--current").code).toBe(0);
    expect(ribbon("replay", "run.ribbon-replay.json", "--from", "200").stderr).toContain("note: no restorable checkpoint");
  });

  it("gives a clear error for a truncated file", () => {
    const text = readFileSync(file, "utf8");
    writeFileSync(join(folder, "cut.ribbon-replay.json"), text.slice(0, text.length - 200));
    const cut = ribbon("replay", "cut.ribbon-replay.json");
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/^ribbon replay: cut\.ribbon-replay\.json: the file ends early/);
    expect(cut.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("explains its options", () => {
    const bad = ribbon("replay", "run.ribbon-replay.json", "--from", "soon");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--from needs a tick (a whole number), got soon");
    expect(ribbon("replay", "run.ribbon-replay.json", "--jobs", "0").stderr).toContain("--jobs needs a number of segments (1 or more), got 0");
    expect(ribbon("replay", "run.ribbon-replay.json", "--jobs", "2", "--from", "100").stderr).toContain("--jobs checks a whole recording");
  });

  it("checks a recording in segments side by side with --jobs, with the verdict of one replay", () => {
    const fixture = join(replaysDir, "test-game.ribbon-replay.json");
    copyFileSync(fixture, join(folder, "fixture.ribbon-replay.json"));
    const alone = ribbon("replay", "fixture.ribbon-replay.json", "--jobs", "1");
    const split = ribbon("replay", "fixture.ribbon-replay.json", "--jobs", "3");
    expect(alone.code, alone.stderr).toBe(0);
    expect(split.code, split.stderr).toBe(0);
    expect(split.stderr).toBe(`${alone.stderr.trimEnd()}\n  note: checked in 3 segments side by side (ticks 0-600, 600-1200, 1200-1500)\n`);
    expect(split.stderr).toContain("ok · 1500 ticks · 26 hash checks");
    // A changed rule inside the file: the same first failing check, found in a later segment.
    const recording = alterRecordedSource(JSON.parse(readFileSync(fixture, "utf8")), "main", (text) => change(text, "    ticks = ticks + 1\n", "    ticks = ticks + 1\n    if ticks > 700 then ticks = ticks + 1\n"));
    writeFileSync(join(folder, "changed.ribbon-replay.json"), JSON.stringify(recording));
    const whole = ribbon("replay", "changed.ribbon-replay.json", "--jobs", "1");
    const parts = ribbon("replay", "changed.ribbon-replay.json", "--jobs", "3");
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain("diverged at tick 720");
    expect(parts.code).toBe(1);
    expect(parts.stderr).toBe(`${whole.stderr.trimEnd()}\n  note: checked in 3 segments side by side (ticks 0-600, 600-1200, 1200-1500)\n`);
  });

  it("refuses a file with damaged module hashes, with the same single message in segments", () => {
    const recording = JSON.parse(readFileSync(join(replaysDir, "test-game.ribbon-replay.json"), "utf8"));
    const record = recording.hashes.find((hash: { tick: number }) => hash.tick === 900);
    record.modules.main = record.modules.main === "00000000" ? "00000001" : "00000000";
    writeFileSync(join(folder, "damaged.ribbon-replay.json"), JSON.stringify(recording));
    const message = "damaged.ribbon-replay.json: cannot replay: the recorded hashes at tick 900 disagree with each other (the world hash is the replay's, module main's does not): the file is damaged\n";
    const whole = ribbon("replay", "damaged.ribbon-replay.json", "--jobs", "1");
    const parts = ribbon("replay", "damaged.ribbon-replay.json", "--jobs", "3");
    expect(whole).toMatchObject({ code: 1, stderr: message });
    expect(parts).toMatchObject({ code: 1, stderr: message });
  });

  it("replays several files in one process, a verdict each, and fails if any of them does", () => {
    const fixture = join(replaysDir, "test-game.ribbon-replay.json");
    copyFileSync(fixture, join(folder, "first.ribbon-replay.json"));
    copyFileSync(fixture, join(folder, "second.ribbon-replay.json"));
    const clean = ribbon("replay", "first.ribbon-replay.json", "second.ribbon-replay.json", "--jobs", "1");
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toContain("first.ribbon-replay.json: ok · 1500 ticks · 26 hash checks");
    expect(clean.stderr).toContain("second.ribbon-replay.json: ok · 1500 ticks · 26 hash checks");
    const recording = alterRecordedSource(JSON.parse(readFileSync(fixture, "utf8")), "main", (text) => change(text, "    ticks = ticks + 1\n", "    ticks = ticks + 1\n    if ticks > 700 then ticks = ticks + 1\n"));
    writeFileSync(join(folder, "departs.ribbon-replay.json"), JSON.stringify(recording));
    const mixed = ribbon("replay", "departs.ribbon-replay.json", "second.ribbon-replay.json", "--jobs", "1");
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain("diverged at tick 720");
    expect(mixed.stderr).toContain("second.ribbon-replay.json: ok · 1500 ticks · 26 hash checks");
  });
});

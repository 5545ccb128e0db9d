// The demo game (demo-game/): ten minutes of scripted play, a stress run past a thousand live
// entities, determinism, and `ribbon run` on the game folder with an input script.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";
import { blindPlayer, compileGame, edit, entities, gameSources, live, manifest, scriptFor, startGame, state } from "./game.ts";

const TEN_MINUTES = 36_000;

describe("the demo game", () => {
  it("lists its modules in update order and runs them in that order", () => {
    expect(manifest().modules).toEqual(["input", "physics", "ai", "combat", "spawner", "hud"]);
    const names = compileGame().map((module) => module.name);
    expect(names.slice(-6)).toEqual(manifest().modules);
  });

  it("plays ten minutes of scripted input: waves, kills, game overs and new games, no runtime error", () => {
    const game = startGame(compileGame());
    const script = scriptFor(blindPlayer(TEN_MINUTES));
    let bestScore = 0;
    let scoreRises = 0;
    let lastScore = 0;
    let highestWave = 0;
    let peak = 0;
    const started = performance.now();
    game.step(TEN_MINUTES, script, (world) => {
      const score = state<number>(world, "combat", "score");
      if (score > lastScore) scoreRises++;
      lastScore = score;
      bestScore = Math.max(bestScore, score);
      highestWave = Math.max(highestWave, state<number>(world, "spawner", "wave"));
      peak = Math.max(peak, entities(world));
    });
    const seconds = (performance.now() - started) / 1000;
    const waves = game.lines.filter((line) => /^wave \d+:/.test(line));
    const gameOvers = game.lines.filter((line) => line.startsWith("game over"));

    expect(game.errors).toEqual([]);
    expect(game.world.tick).toBe(TEN_MINUTES);
    expect(scoreRises).toBeGreaterThan(50);
    expect(bestScore).toBeGreaterThan(200);
    expect(highestWave).toBeGreaterThanOrEqual(3);
    expect(waves.length).toBeGreaterThanOrEqual(10);
    // The blind player dies and starts over: game over and restart are exercised.
    expect(gameOvers.length).toBeGreaterThanOrEqual(2);
    expect(state<number>(game.world, "spawner", "games")).toBeGreaterThan(gameOvers.length - 1);
    expect(peak).toBeGreaterThan(10);
    // Sentinel patrols are fibers; they end with their sentinel, so they do not pile up.
    expect(game.world.fibers.length).toBeLessThanOrEqual(live(game.world, "ai", "enemies"));
    console.log(`demo: ${TEN_MINUTES} ticks in ${seconds.toFixed(1)} s; highest wave ${highestWave}, best score ${bestScore}, ${gameOvers.length} game overs, peak ${peak} entities`);
  });

  it("grows past a thousand live entities in the stress configuration", () => {
    const sources = edit(gameSources(), "spawner", "STRESS := false", "STRESS := true");
    const game = startGame(compileGame(sources));
    const script = scriptFor(blindPlayer(3_000));
    let peak = 0;
    const started = performance.now();
    game.step(3_000, script, (world) => {
      peak = Math.max(peak, entities(world));
      return peak <= 1_050;
    });
    const seconds = (performance.now() - started) / 1000;
    expect(game.errors).toEqual([]);
    expect(peak).toBeGreaterThan(1_000);
    expect(live(game.world, "ai", "enemies")).toBeGreaterThan(800);
    // The crowd is still being shot at: the grid finds the shots' contacts.
    expect(state<number>(game.world, "combat", "score")).toBeGreaterThan(0);
    // The invulnerable ship never dies.
    expect(state<string>(game.world, "spawner", "state")).toBe("playing");
    // Sentinels (from wave 3) patrol in fibers, one each.
    expect(game.world.fibers.length).toBeGreaterThan(0);
    expect(game.world.fibers.length).toBeLessThan(live(game.world, "ai", "enemies") / 10);
    console.log(`stress: ${peak} live entities after ${game.world.tick} ticks (${seconds.toFixed(1)} s)`);
  });

  it("plays the same with small calls compiled in place and without, in the stress configuration", () => {
    const sources = edit(gameSources(), "spawner", "STRESS := false", "STRESS := true");
    const inlined = compileGame(sources);
    const plain = compileGame(sources, { inline: false });
    expect(inlined.map((module) => module.code)).not.toEqual(plain.map((module) => module.code));
    const games = [startGame(inlined), startGame(plain)];
    const script = scriptFor(blindPlayer(1_500));
    for (let tick = 0; tick < 1_500; tick += 50) {
      for (const game of games) game.step(50, script);
      expect(hashWorld(games[0].world), `after tick ${tick + 50}`).toBe(hashWorld(games[1].world));
    }
    expect(games[0].errors).toEqual([]);
    expect(games[0].lines).toEqual(games[1].lines);
    expect(live(games[0].world, "ai", "enemies")).toBeGreaterThan(100);
  });

  it("is deterministic: same input and seed, same world", () => {
    const modules = compileGame();
    const data = blindPlayer(4_000);
    const hashAfter = (seed: number) => {
      const game = startGame(modules, seed);
      game.step(4_000, scriptFor(data));
      expect(game.errors).toEqual([]);
      return hashWorld(game.world);
    };
    const first = hashAfter(1);
    expect(hashAfter(1)).toBe(first);
    expect(hashAfter(2)).not.toBe(first);
  });
});

describe("ribbon run on the game folder", () => {
  const folder = mkdtempSync(join(tmpdir(), "ribbon-demo-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("runs the manifest's modules with --input", () => {
    const file = join(folder, "input.json");
    writeFileSync(file, JSON.stringify(blindPlayer(600)));
    const result = spawnSync(process.execPath, ["tools/bin/ribbon.mjs", "run", "demo-game", "--ticks", "600", "--input", file], { cwd: repositoryRoot, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^wave 1: 12 enemies/m);
  });

  it("explains a bad input script", () => {
    const file = join(folder, "bad.json");
    writeFileSync(file, JSON.stringify({ frames: [{ tick: 5 }, { tick: 2 }] }));
    const result = spawnSync(process.execPath, ["tools/bin/ribbon.mjs", "run", "demo-game", "--input", file], { cwd: repositoryRoot, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/frames\[1\]\.tick/);
  });
});

// The `ribbon` command's handling of bad input, end to end in a child process: a file that is not
// there, a manifest naming a module that is not there, a malformed option, a recording with
// nowhere to go, and `--help` on each
// command. Each gets one clear line (or a diagnostic with a code frame) and the right exit code,
// never a stack trace or a silent success.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../helpers/ribbon.ts";

const folder = mkdtempSync(join(tmpdir(), "ribbon-cli-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function ribbon(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repositoryRoot, "tools/bin/ribbon.mjs"), ...args], { cwd: folder, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MAIN = `update := fun (dt: f64).
    print "tick"
`;

describe("ribbon check and run on paths that are not there", () => {
  writeFileSync(join(folder, "main.rib"), MAIN);

  it("check fails on a missing file, and still checks the others", () => {
    writeFileSync(join(folder, "broken.rib"), "x := \n");
    const result = ribbon("check", "missing.rib", "broken.rib", "main.rib");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ribbon check: cannot read missing.rib: there is no such file");
    expect(result.stderr).toMatch(/broken\.rib:1:\d+: error/);
    expect(ribbon("check", "main.rib").code).toBe(0);
  });

  it("check takes a game folder: its manifest's modules, else every .rib file in it", () => {
    const game = join(folder, "checked");
    mkdirSync(join(game, "loose"), { recursive: true });
    writeFileSync(join(game, "main.rib"), MAIN);
    writeFileSync(join(game, "manifest.json"), `{ "modules": ["main", "hud"] }`);
    const listed = ribbon("check", "checked");
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain("checked/manifest.json:1:23: error E0174: cannot find module hud");
    writeFileSync(join(game, "hud.rib"), MAIN);
    expect(ribbon("check", "checked").code).toBe(0);

    writeFileSync(join(game, "loose", "a.rib"), MAIN);
    writeFileSync(join(game, "loose", "b.rib"), "x := \n");
    const loose = ribbon("check", "checked/loose");
    expect(loose.code).toBe(1);
    expect(loose.stderr).toMatch(/b\.rib:1:\d+: error/);
    mkdirSync(join(folder, "empty"));
    expect(ribbon("check", "empty").stderr.trim()).toBe("ribbon check: empty holds no .rib file and no manifest.json");
  });

  it("run fails on a missing file and runs a module named without .rib", () => {
    const missing = ribbon("run", "nosuch.rib");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("ribbon run: cannot read nosuch.rib: there is no such file");
    const bare = ribbon("run", "main", "--ticks", "2");
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toBe("tick\ntick\n");
  });

  it("run reports a manifest module that does not exist where the manifest names it", () => {
    const game = join(folder, "game");
    mkdirSync(game, { recursive: true });
    writeFileSync(join(game, "main.rib"), MAIN);
    writeFileSync(join(game, "manifest.json"), `{\n  "modules": ["main", "enemies"]\n}\n`);
    const result = ribbon("run", "game", "--ticks", "1");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("game/manifest.json:2:23: error E0174: cannot find module enemies: there is no enemies.rib");
    expect(result.stderr).toContain(`> 2 |   "modules": ["main", "enemies"]`);
  });
});

describe("ribbon options and help", () => {
  it("a malformed number is one line, not a stack trace", () => {
    writeFileSync(join(folder, "main.rib"), MAIN);
    for (const [args, message] of [
      [["--ticks", "abc"], "ribbon run: --ticks needs a whole number, got abc"],
      [["--ticks"], "ribbon run: --ticks needs a whole number, got nothing"],
      [["--seed", "1.5"], "ribbon run: --seed needs a whole number, got 1.5"],
    ] as const) {
      const result = ribbon("run", "main.rib", ...args);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(message);
    }
  });

  it("--record is checked before the run: no name, or a folder that is not there", () => {
    writeFileSync(join(folder, "main.rib"), MAIN);
    const unnamed = ribbon("run", "main.rib", "--ticks", "3", "--record");
    expect([unnamed.code, unnamed.stdout, unnamed.stderr.trim()]).toEqual([1, "", "ribbon run: --record needs a file name, e.g. --record session.ribbon-replay.json"]);
    const nowhere = ribbon("run", "main.rib", "--ticks", "3", "--record", "nosuch/run.json");
    expect([nowhere.code, nowhere.stdout, nowhere.stderr.trim()]).toEqual([1, "", "ribbon run: cannot record to nosuch/run.json: there is no folder nosuch"]);
    const one = ribbon("run", "main.rib", "--ticks", "1", "--record", "one.json");
    expect([one.code, one.stderr.trim()]).toEqual([0, "[record] 1 tick → one.json"]);
  });

  it("session: a first version that is not there, or a malformed --ticks-per-version", () => {
    const missing = ribbon("session", "nosuch.1.rib");
    expect([missing.code, missing.stderr.trim()]).toEqual([1, "ribbon session: cannot read nosuch.1.rib: there is no such file"]);
    writeFileSync(join(folder, "counter.1.rib"), MAIN);
    const malformed = ribbon("session", "counter.1.rib", "--ticks-per-version", "x");
    expect([malformed.code, malformed.stderr.trim()]).toEqual([1, "ribbon session: --ticks-per-version needs a whole number, got x"]);
  });

  it("COMMAND --help prints that command's usage and succeeds", () => {
    for (const [command, usage] of [
      ["replay", "usage: ribbon replay FILE..."],
      ["dev", "usage: ribbon dev --headless"],
      ["start", "usage: ribbon start"],
      ["session", "usage: ribbon session NAME.1.rib"],
      ["check", "ribbon check PATH..."],
      ["run", "ribbon run FILE [--ticks N]"],
    ]) {
      const result = ribbon(command, "--help");
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(usage);
    }
  });
});

// Every program group under ../shared/ribbon/examples/reload (NAME.1.rib, NAME.2.rib, ...) runs
// as one live session through the real command line, `ribbon session NAME.1.rib
// --ticks-per-version N`: stdout must be the `;; expect:` lines of all versions in order, and
// stderr must hold one report line per reload with the `;; reload: OUTCOME` word of its version.

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { expectations, repositoryRoot, sharedExamples } from "../helpers/ribbon.ts";

const reloadExamples = join(sharedExamples, "reload");
const cli = join(repositoryRoot, "tools/bin/ribbon.mjs");

/** NAME → its version files in order. */
function groups(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of readdirSync(reloadExamples).sort()) {
    const match = /^(.*)\.(\d+)\.rib$/.exec(file);
    if (!match) continue;
    const versions = byName.get(match[1]) ?? [];
    versions[Number(match[2]) - 1] = join(reloadExamples, file);
    byName.set(match[1], versions);
  }
  return byName;
}

interface SessionRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runSession(first: string, ticks: number): SessionRun {
  const result = spawnSync(process.execPath, [cli, "session", first, "--ticks-per-version", String(ticks)], { cwd: repositoryRoot, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** "Run 10 ticks per version" in the first version's header. */
function ticksPerVersion(source: string): number {
  const match = /Run (\d+) ticks per version/i.exec(source);
  if (!match) throw new Error("the first version's header must say how many ticks to run per version");
  return Number(match[1]);
}

function reloadOutcome(source: string): string {
  const match = /;;\s*reload:\s*([a-z-]+)/.exec(source);
  if (!match) throw new Error("every version after the first needs a `;; reload: OUTCOME` comment");
  return match[1];
}

const all = [...groups()];

beforeAll(() => {
  // The first call bundles the CLI; do it once here so each test measures only its own session.
  execFileSync(process.execPath, [cli, "help"], { cwd: repositoryRoot });
});

describe("shared reload examples run as live sessions through `ribbon session`", () => {
  test("there are reload examples, each with consecutive versions from 1", () => {
    expect(all.length).toBeGreaterThan(0);
    for (const [, versions] of all) {
      expect(versions.length).toBeGreaterThan(1);
      expect(versions.every((file) => typeof file === "string")).toBe(true);
    }
  });

  for (const [name, versions] of all) {
    test(`${name}: printed lines, one report line per reload with its outcome`, () => {
      const sources = versions.map((file) => readFileSync(file, "utf8"));
      const run = runSession(versions[0], ticksPerVersion(sources[0]));
      const expected = sources.flatMap((source) => expectations(source).expect);
      expect(run.stdout.split("\n").slice(0, -1)).toEqual(expected);
      const reportLines = run.stderr.split("\n").filter((line) => line.startsWith("[reload] "));
      expect(reportLines).toHaveLength(versions.length - 1);
      sources.slice(1).forEach((source, index) => {
        expect(reportLines[index]).toMatch(new RegExp(`^\\[reload\\] [^:]*: ${reloadOutcome(source)} `));
      });
      expect(run.status).toBe(0);
    });
  }

  test("rename.2 is rejected with a diagnostic that names hp and shows the migration skeleton", () => {
    const first = join(reloadExamples, "rename.1.rib");
    const run = runSession(first, ticksPerVersion(readFileSync(first, "utf8")));
    const rejection = run.stderr.slice(run.stderr.indexOf("[reload] rename: rejected"), run.stderr.indexOf("[reload] rename: migrated"));
    expect(rejection).toMatch(/\bhp\b/);
    expect(rejection).toContain("rename.2.rib:");
    expect(rejection).toContain("enemy-from-v1 := fun (prev: old Enemy) -> Enemy.");
    expect(rejection).toContain("Enemy { health = prev.hp }");
  });
});

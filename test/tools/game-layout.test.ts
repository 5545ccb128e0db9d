// Which modules `ribbon dev` runs: a single file, the list in manifest.json (in its order), or
// every .rib file of the folder; and how module names follow sub-folders.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gameLayout, moduleNameOf, rootModules } from "../../tools/cli/dev.ts";

const folder = mkdtempSync(join(tmpdir(), "ribbon-layout-"));
const file = join(folder, "main.rib");
writeFileSync(file, "x := 1\n");

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function sources(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries).map(([name, text]) => [join(folder, name), text]));
}

describe("game layout", () => {
  it("runs a single file as its own module", () => {
    const layout = gameLayout(file);
    expect(layout).toEqual({ root: folder, singleModule: "main" });
    expect(rootModules(layout, sources({ "main.rib": "", "other.rib": "" }))).toEqual(["main"]);
  });

  it("takes every .rib file of a folder, sorted, with sub-folders as module paths", () => {
    const layout = gameLayout(folder);
    expect(rootModules(layout, sources({ "main.rib": "", "ai/boss.rib": "", "hud.rib": "" }))).toEqual(["ai/boss", "hud", "main"]);
    expect(moduleNameOf(folder, join(folder, "ai", "boss.rib"))).toBe("ai/boss");
  });

  it("prefers manifest.json's module list and keeps its order", () => {
    const layout = gameLayout(folder);
    const manifest = JSON.stringify({ modules: ["main", "physics.rib"] });
    expect(rootModules(layout, sources({ "manifest.json": manifest, "main.rib": "", "physics.rib": "", "stray.rib": "" }))).toEqual(["main", "physics"]);
  });

  it("explains an invalid manifest", () => {
    const layout = gameLayout(folder);
    expect(() => rootModules(layout, sources({ "manifest.json": "{ nope" }))).toThrow(/manifest\.json/);
    expect(() => rootModules(layout, sources({ "manifest.json": "{}" }))).toThrow(/modules/);
  });

  it("refuses what is neither a folder nor a .rib file", () => {
    expect(() => gameLayout(join(folder, "missing"))).toThrow(/does not exist/);
  });
});

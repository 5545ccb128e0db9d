// The dev server's compiler side on a game whose manifest names a module that is not there: the
// page waits with the reason at the manifest's line, and starts once the file exists.

import { describe, expect, it } from "vitest";
import { compileChange, createCompilerSide } from "../../engine/server/compiler-side.ts";
import { readManifest } from "../../engine/server/game.ts";

const MANIFEST = `{\n  "modules": ["main", "enemies"]\n}\n`;

describe("a manifest module that does not exist", () => {
  it("keeps the page waiting with the manifest's position, then starts when the module appears", () => {
    const read = readManifest("/games/g", MANIFEST);
    if (!read.ok) throw new Error(read.reason);
    const files = new Map([["main", "update := fun (dt: f64).\n    print \"tick\"\n"]]);
    const provider = (name: string) => (files.has(name) ? { path: `${name}.rib`, text: files.get(name)! } : null);
    const side = createCompilerSide();
    const waiting = compileChange(side, read.manifest.modules, provider, () => 0, read.manifest.file);
    expect(waiting).toMatchObject({ kind: "waiting", reason: expect.stringMatching(/manifest\.json:2:23: cannot find module enemies: there is no enemies\.rib$/) });
    files.set("enemies", "update := fun (dt: f64).\n    print \"enemy\"\n");
    const started = compileChange(side, read.manifest.modules, provider, () => 0, read.manifest.file);
    expect(started).toMatchObject({ kind: "start", versions: { main: 1, enemies: 1 } });
  });
});

// The canvas size comes from the game's manifest (`width`/`height`), 800x600 when absent; the dev
// server's page config carries it to the browser (see demo.test.ts for the page itself).

import { describe, expect, test } from "vitest";
import { join } from "node:path";
import { DEFAULT_CANVAS, readManifest } from "../../engine/server/game.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

describe("manifest canvas size", () => {
  test("the demo game asks for 1280x720", () => {
    const read = readManifest(join(repositoryRoot, "demo-game"));
    expect(read.ok && { width: read.manifest.width, height: read.manifest.height }).toEqual({ width: 1280, height: 720 });
  });

  test("a manifest without a size gets the default", () => {
    const read = readManifest("/tmp/game", JSON.stringify({ modules: ["main"] }));
    expect(read.ok && { width: read.manifest.width, height: read.manifest.height }).toEqual({ ...DEFAULT_CANVAS });
  });

  test("a size that is not a whole number of pixels is an error that says which field", () => {
    const read = readManifest("/tmp/game", JSON.stringify({ modules: ["main"], width: "wide", height: 720 }));
    expect(read).toEqual({ ok: false, reason: expect.stringContaining(`"width" must be a whole number of pixels`), details: expect.stringContaining(`"width":"wide"`) });
  });
});

// A manifest that cannot be used is reported at file:line:col with a code frame: a JSON syntax
// error where the text stops being JSON, a bad field at its key. The offset finder agrees with
// JSON.parse on which texts are JSON.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manifestProblem, readManifest } from "../../engine/server/game.ts";
import { jsonErrorOffset } from "../../engine/server/json-error.ts";

function problem(text: string): string {
  const read = readManifest("/games/g", text);
  if (read.ok) throw new Error("expected the manifest to be refused");
  return manifestProblem(read);
}

describe("manifest problems", () => {
  it("a trailing comma is reported where it is, with the line shown", () => {
    const text = `{\n  "name": "g",\n  "modules": ["main",]\n}\n`;
    expect(problem(text)).toMatch(/^\/games\/g\/manifest\.json:3:22: manifest\.json is not valid JSON: unexpected "]"\n/);
    expect(problem(text)).toContain(`> 3 |   "modules": ["main",]\n    |                      ^`);
  });

  it("a text cut short is reported at its end", () => {
    expect(problem(`{ "modules": ["main"`)).toMatch(/manifest\.json:1:21: manifest\.json is not valid JSON: the text ends too soon\n/);
  });

  it("a bad field is reported at its key", () => {
    const width = problem(`{ "modules": ["main"],\n  "width": "wide" }`);
    expect(width).toMatch(/^\/games\/g\/manifest\.json:2:3: manifest\.json "width" must be a whole number of pixels from 16 to 8192 \(got "wide"\)\n/);
    expect(width).toContain(`> 2 |   "width": "wide" }\n    |   ^^^^^^^`);
    expect(problem(`{ "modules": [] }`)).toMatch(/manifest\.json:1:3: manifest\.json needs "modules"/);
    expect(problem(`[1, 2]`)).toMatch(/manifest\.json:1:1: manifest\.json must hold an object/);
  });
});

describe("a manifest with a byte-order mark", () => {
  it("reads as one without, and its problems are at the editor's columns", () => {
    const read = readManifest("/games/g", `\uFEFF{ "modules": ["main"], "seed": 4 }`);
    expect(read.ok && [read.manifest.modules, read.manifest.seed]).toEqual([["main"], 4]);
    expect(problem(`\uFEFF{ "modules": [] }`)).toMatch(/manifest\.json:1:3: manifest\.json needs "modules"/);
  });
});

describe("jsonErrorOffset", () => {
  it("is null exactly for the texts JSON.parse takes", () => {
    const pieces = ["{", "}", "[", "]", ",", ":", '"a"', '"\\u00e9"', '"\\x"', "1", "-0.5e3", "01", "1.", "true", "nul", " ", "\n", '"'];
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(""))), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const offset = jsonErrorOffset(text);
        expect(offset === null).toBe(parses);
        if (offset !== null) expect(offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000 },
    );
  });
});

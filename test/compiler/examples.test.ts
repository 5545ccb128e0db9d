// Runs every shared conformance program and checks its `;; expect:` / `;; error:` lines.

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { locate } from "../../engine/diagnostics/source.ts";
import { compileSources, expectations, readExample, runSource, sharedExamples } from "../helpers/ribbon.ts";

const examples = readdirSync(sharedExamples).filter((name) => name.endsWith(".rib"));

describe("shared conformance examples", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of examples) {
    const source = readExample(name);
    const wanted = expectations(source);
    if (wanted.errors.length > 0) {
      it(`${name} fails to compile with the expected diagnostics`, () => {
        const result = compileSources({ [name.replace(/\.rib$/, "")]: source });
        expect(result.ok).toBe(false);
        for (const failure of wanted.errors) {
          const found = result.diagnostics.some(
            (diagnostic) =>
              (diagnostic.code === failure.text || diagnostic.message.includes(failure.text)) &&
              locate(diagnostic.file, diagnostic.span.start).line === failure.line,
          );
          expect(found, `${failure.text} at ${failure.line} in ${JSON.stringify(result.diagnostics.map((d) => `${d.message} @${locate(d.file, d.span.start).line}`))}`).toBe(true);
        }
      });
    } else {
      it(`${name} prints what its expect lines say`, () => {
        const outcome = runSource(source, 40);
        expect(outcome.compile.diagnostics.map((d) => d.message)).toEqual([]);
        expect(outcome.errors).toEqual([]);
        expect(outcome.lines).toEqual(wanted.expect);
      });
    }
  }
});

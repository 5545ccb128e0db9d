// The browser bundle: minified with a source map beside it, and cached on disk so the next start
// does not bundle again, until an engine source is newer than the cached copy.

import { readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { bundleClient, clientEntry } from "../../engine/server/bundle.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";

// Its own cache entry, so the other tests' servers never see what this one does to it.
const SERVED = "bundle-test.js";
const cached = join(repositoryRoot, "node_modules/.cache/ribbon", SERVED);

afterAll(() => {
  rmSync(cached, { force: true });
  rmSync(`${cached}.map`, { force: true });
});

test("the engine bundle is minified, names its source map, and maps back to the engine's sources", async () => {
  const bundle = await bundleClient(clientEntry(), SERVED);
  expect(bundle.code.trimEnd().endsWith(`//# sourceMappingURL=${SERVED}.map`)).toBe(true);
  const map = JSON.parse(bundle.map) as { sources: string[] };
  expect(map.sources.some((source) => source.endsWith("engine/client/main.ts"))).toBe(true);
  expect(map.sources.some((source) => source.endsWith("engine/runtime/world.ts"))).toBe(true);
  expect(bundle.code.length).toBeLessThan(2_000_000);
  expect(readFileSync(cached, "utf8")).toBe(bundle.code);
}, 60_000);

test("the cached copy is served while it is newer than every engine source, and rebuilt once it is not", async () => {
  const built = await bundleClient(clientEntry(), SERVED);
  writeFileSync(cached, "// the cached copy");
  expect((await bundleClient(clientEntry(), SERVED)).code).toBe("// the cached copy");
  utimesSync(cached, new Date(0), new Date(0));
  expect((await bundleClient(clientEntry(), SERVED)).code).toBe(built.code);
}, 60_000);

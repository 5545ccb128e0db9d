// The pieces of the file format: content hashes (FNV-1a 64 test vectors), base64 columns, exact
// value encoding, run-length input, world images that restore to the same hash, the engine
// version kept in step with package.json, and engine/replay free of Node modules.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "../../engine/replay/base64.ts";
import { ENGINE_VERSION } from "../../engine/replay/format.ts";
import { contentHash } from "../../engine/replay/hash.ts";
import { captureImage, loadImage } from "../../engine/replay/image.ts";
import { createInputLog } from "../../engine/replay/input.ts";
import { decodeValue, encodeValue, sameValue } from "../../engine/replay/values.ts";
import { NO_INPUT } from "../../engine/runtime/host.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";
import { frame, liveSession, readGame } from "./helpers.ts";

describe("replay format pieces", () => {
  it("hashes sources with FNV-1a 64 over UTF-8", () => {
    expect(contentHash("")).toBe("cbf29ce484222325");
    expect(contentHash("a")).toBe("af63dc4c8601ec8c");
    expect(contentHash("foobar")).toBe("85944171f73967e8");
    expect(contentHash("é")).not.toBe(contentHash("e"));
  });

  it("round-trips bytes through base64", () => {
    for (const length of [0, 1, 2, 3, 4, 5, 100, 9000]) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 37 + length) & 255);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(decodeBase64(text)).toEqual(bytes);
    }
    expect(decodeBase64("abc")).toBeNull();
    expect(decodeBase64("ab!d")).toBeNull();
  });

  it("encodes values JSON cannot hold", () => {
    const value = { s_a: Number.NaN, s_b: -0, s_c: Number.POSITIVE_INFINITY, s_d: [1, undefined, "x"], s_e: { tag: 2, f_p: { x: -Infinity, y: 0.1 } } };
    const decoded = decodeValue(JSON.parse(JSON.stringify(encodeValue(value))));
    expect(sameValue(decoded, value)).toBe(true);
    expect(Object.is((decoded as { s_b: number }).s_b, -0)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
  });

  it("stores input as runs of equal frames", () => {
    const log = createInputLog();
    for (let tick = 0; tick < 1000; tick++) log.append(tick >= 500 && tick < 510 ? frame(["left"], tick === 500 ? ["left"] : []) : NO_INPUT);
    expect(log.runs()).toEqual([[500, {}], [1, { down: ["left"], pressed: ["left"] }], [9, { down: ["left"] }], [490, {}]]);
    const again = createInputLog(log.runs());
    expect([...again.at(500).pressed]).toEqual(["left"]);
    expect(again.at(505).down.has("left")).toBe(true);
    expect(again.at(2)).toBe(NO_INPUT);
    expect(createInputLog(log.runs(), 505).runs()).toEqual([[500, {}], [1, { down: ["left"], pressed: ["left"] }], [4, { down: ["left"] }]]);
  });

  it("does not trust a reused mutable frame object", () => {
    const log = createInputLog();
    const shared = frame(["up"]);
    log.append(shared);
    (shared.down as Set<string>).clear();
    log.append(shared);
    expect(log.runs()).toEqual([[1, { down: ["up"] }], [1, {}]]);
  });

  it("re-records a tape's frames as the same runs, sharing the decoded frames", () => {
    const recorded = createInputLog();
    for (let tick = 0; tick < 40; tick++) recorded.append(frame(tick < 25 ? ["left"] : ["up"], tick === 0 ? ["left"] : []));
    const tape = createInputLog(recorded.runs());
    const again = createInputLog();
    for (let tick = 0; tick < 40; tick++) again.append(tape.at(tick));
    expect(again.runs()).toEqual(recorded.runs());
    expect(again.at(10)).toBe(tape.at(10));
    expect(Object.isFrozen(tape.at(30))).toBe(true);
  });

  it("restores a world image to the same hash", () => {
    const live = liveSession(readGame());
    live.step(300);
    const world = live.recorded.world;
    const image = JSON.parse(JSON.stringify(captureImage(world)));
    const copy = createWorld(live.recorded.session.running.modules, { log: () => {}, runtimeError: () => {} }, { seed: 5 });
    expect(loadImage(copy, image)).toBeNull();
    expect(hashWorld(copy)).toBe(hashWorld(world));
    expect(JSON.stringify(captureImage(copy))).toBe(JSON.stringify(image));
  });

  it("refuses a damaged world image as a whole: no module of the world is changed", () => {
    const live = liveSession(readGame());
    live.step(300);
    const image = JSON.parse(JSON.stringify(captureImage(live.recorded.world)));
    // The last module's pool column is cut short; the modules before it decode fine.
    const last = image.modules.findLast((module: { pools: unknown[] }) => module.pools.length > 0);
    last.pools[0].columns[0].data = last.pools[0].columns[0].data.slice(0, 8);
    const copy = createWorld(live.recorded.session.running.modules, { log: () => {}, runtimeError: () => {} }, { seed: 5 });
    startWorld(copy);
    for (let tick = 0; tick < 7; tick++) stepWorld(copy);
    const before = JSON.stringify(captureImage(copy));
    expect(loadImage(copy, image)).toMatch(/does not hold \d+ slots/);
    expect(JSON.stringify(captureImage(copy))).toBe(before);
  });

  it("keeps ENGINE_VERSION equal to package.json", () => {
    const pkg = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8"));
    expect(ENGINE_VERSION).toBe(pkg.version);
  });

  it("keeps engine/replay free of Node modules (the page records too)", () => {
    const folder = join(repositoryRoot, "engine/replay");
    for (const file of readdirSync(folder).filter((name) => name.endsWith(".ts"))) {
      const text = readFileSync(join(folder, file), "utf8");
      expect(text, file).not.toMatch(/from "node:|require\(|from "(fs|path|crypto|zlib)"/);
      expect(text, file).not.toMatch(/\.\.\/\.\.\/tools|\/server\//);
    }
  });

  it("lets the page record without the compiler (value imports of the recorder's files)", () => {
    const pageFiles = ["recorder", "restart", "image", "input", "hash", "diff", "validate", "sources", "values", "base64", "format"];
    for (const name of pageFiles) {
      const text = readFileSync(join(repositoryRoot, `engine/replay/${name}.ts`), "utf8");
      const valueImports = text.split("\n").filter((line) => /^import (?!type )/.test(line) || /^} from /.test(line));
      for (const line of valueImports) expect(line, name).not.toMatch(/compiler\/|checker\/|syntax\/|codegen\/|reload\/(session|plan)|\.\/(session|replay|programs)\.ts/);
    }
  });
});

// Robustness: a truncated or corrupt file, another format version, a missing or altered module
// source, damaged fields — each gives a clear error as data. Random cuts and byte flips never
// make the reader or the replay throw, and never pass silently as a clean replay.

import { describe, expect, it } from "vitest";
import type { Recording } from "../../engine/replay/format.ts";
import { contentHash } from "../../engine/replay/hash.ts";
import { replay } from "../../engine/replay/replay.ts";
import { parseRecording, type ParseResult } from "../../engine/replay/validate.ts";
import { liveSession, readGame } from "./helpers.ts";

const game = readGame();

function recordingText(): { recording: Recording; text: string } {
  const live = liveSession(game, { record: { checkpointEvery: 120 } });
  live.step(100);
  live.edit("main", game.main.replace("SPEED := 120.0", "SPEED := 99.0"));
  live.step(200);
  const recording = live.finish();
  return { recording, text: JSON.stringify(recording) };
}

const { recording, text } = recordingText();

function errorOf(result: ParseResult) {
  expect(result.ok).toBe(false);
  return result.ok ? null : result.error;
}

function mutate(edit: (copy: Record<string, any>) => void): ParseResult {
  const copy = JSON.parse(text);
  edit(copy);
  return parseRecording(JSON.stringify(copy));
}

describe("reading replay files", () => {
  it("accepts its own output", () => {
    const parsed = parseRecording(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.warnings).toEqual([]);
  });

  it("says a truncated file ends early", () => {
    expect(errorOf(parseRecording(text.slice(0, Math.floor(text.length / 2))))).toMatchObject({ kind: "truncated", message: expect.stringMatching(/ends early/) });
    expect(errorOf(parseRecording(""))).toMatchObject({ kind: "truncated", message: "the file is empty" });
  });

  it("says corrupt JSON is not valid JSON", () => {
    const corrupt = text.replace('"ticks":', '"ticks":#garbage#');
    expect(errorOf(parseRecording(corrupt))).toMatchObject({ kind: "not-json", message: expect.stringMatching(/not valid JSON/) });
  });

  it("tells another file or another format version apart", () => {
    expect(errorOf(parseRecording('{"hello": 1}'))).toMatchObject({ kind: "not-a-replay", message: expect.stringMatching(/not a Ribbon replay file/) });
    expect(errorOf(mutate((copy) => (copy.version = 2)))).toMatchObject({ kind: "version", message: expect.stringMatching(/format version 2 is newer than this engine reads \(it reads version 1\)/) });
    expect(errorOf(mutate((copy) => (copy.version = "1")))).toMatchObject({ kind: "version" });
  });

  it("names a missing module source", () => {
    const error = errorOf(mutate((copy) => delete copy.sources[copy.programs[1].modules.main.source]));
    expect(error).toMatchObject({ kind: "missing-source" });
    expect(error?.message).toMatch(/module main \(main\.rib\) of program 1 has source [0-9a-f]{16}, which the file's source table does not contain/);
  });

  it("notices a source edited inside the file", () => {
    const error = errorOf(mutate((copy) => {
      const hash = copy.programs[0].modules.swarm.source;
      copy.sources[hash] = copy.sources[hash].replace("DRAG := 0.9", "DRAG := 0.8");
    }));
    expect(error).toMatchObject({ kind: "corrupt-source", message: expect.stringMatching(/does not match its content hash/) });
  });

  it("points at damaged fields by path", () => {
    expect(errorOf(mutate((copy) => (copy.reloads[0].tick = -4)))?.message).toBe("reloads[0].tick: expected a whole number from 0 to 300");
    expect(errorOf(mutate((copy) => (copy.reloads[0].outcome = "exploded")))?.message).toMatch(/^reloads\[0\]\.outcome: expected swapped \/ migrated/);
    expect(errorOf(mutate((copy) => (copy.hashes[2].world = "xyz")))?.message).toBe("hashes[2].world: expected 8 hex digits");
    const main = recording.checkpoints[1].world.modules.findIndex((module) => module.name === "main");
    const gens = errorOf(mutate((copy) => (copy.checkpoints[1].world.modules[main].pools[0].gens = "AAAA")))?.message;
    expect(gens).toBe(`checkpoints[1].world.modules[${main}].pools[0].gens: expected base64 of 4 bytes`);
    const oversized = errorOf(mutate((copy) => (copy.checkpoints[1].world.modules[main].pools[0].size = 2 ** 24 + 1)))?.message;
    expect(oversized).toBe(`checkpoints[1].world.modules[${main}].pools[0].size: expected a whole number from 0 to 16777216`);
    expect(errorOf(mutate((copy) => (copy.input[0][0] = 0)))?.message).toBe("input[0][0]: expected a whole number from 1 to 9007199254740991");
  });

  it("says when the input or the hashes stop before the end", () => {
    expect(errorOf(mutate((copy) => copy.input.pop()))).toMatchObject({ kind: "truncated", message: expect.stringMatching(/the input covers \d+ ticks but the recording says 300/) });
    expect(errorOf(mutate((copy) => copy.hashes.pop()))).toMatchObject({ kind: "truncated", message: "the recording has no world hash at its last tick 300 (cut short?)" });
  });

  it("refuses hashes missing or moved in the middle: their ticks would go unchecked", () => {
    const at = recording.hashes.findIndex((hash) => hash.tick === 120);
    const missing = `hashes[${at}]: no world hash at tick 120, though the recording takes one every 60 ticks (the file was edited or damaged)`;
    expect(errorOf(mutate((copy) => copy.hashes.splice(at, 1)))).toMatchObject({ kind: "invalid", message: missing });
    expect(errorOf(mutate((copy) => (copy.hashes[at].tick = 121)))).toMatchObject({ kind: "invalid", message: missing });
    expect(errorOf(mutate((copy) => (copy.hashes[at].modules = {})))?.message).toBe(`hashes[${at}].modules: expected the hash of each module`);
  });

  it("warns, without failing, about another engine version", () => {
    const parsed = mutate((copy) => (copy.engine = "0.0.9"));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.warnings[0]).toMatch(/recorded with engine 0\.0\.9/);
  });
});

describe("replaying damaged recordings", () => {
  it("reports recorded sources that no longer compile", () => {
    const copy: Recording = structuredClone(recording);
    // Keep the file consistent (hash matches) but make the program invalid.
    const bad = "this is not ribbon := := \n";
    copy.sources[contentHash(bad)] = bad;
    copy.programs[0].modules.main.source = contentHash(bad);
    const result = replay(copy);
    expect(result.kind).toBe("failed");
    if (result.kind === "failed") expect(result.error).toMatchObject({ kind: "compile", message: expect.stringMatching(/the recorded sources no longer compile/) });
  });

  it("refuses a damaged checkpoint instead of seeking into it", () => {
    const copy: Recording = structuredClone(recording);
    const checkpoint = copy.checkpoints.find((item) => item.tick === 240)!;
    checkpoint.world.random[0] = (checkpoint.world.random[0] + 1) >>> 0;
    const result = replay(copy, { from: 250 });
    expect(result.kind).toBe("failed");
    if (result.kind === "failed") expect(result.error.message).toMatch(/the checkpoint at tick 240 does not give the world hash recorded there/);
  });

  it("refuses a module hash that disagrees with its matching world hash, instead of passing it", () => {
    const copy: Recording = structuredClone(recording);
    const record = copy.hashes.find((hash) => hash.tick === 180)!;
    record.modules.swarm = record.modules.swarm === "00000000" ? "00000001" : "00000000";
    const result = replay(copy);
    expect(result).toMatchObject({
      kind: "failed",
      error: { kind: "invalid", message: "the recorded hashes at tick 180 disagree with each other (the world hash is the replay's, module swarm's does not): the file is damaged" },
    });
  });

  it("never throws and never passes a damaged file as a clean replay (random cuts and flips)", () => {
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const worlds = (hashes: Recording["hashes"]) => hashes.map((hash) => `${hash.tick}:${hash.world}`).join();
    let caught = 0;
    for (let round = 0; round < 200; round++) {
      const damaged = round % 2 === 0 ? text.slice(0, Math.floor(next() * text.length)) : flip(text, Math.floor(next() * text.length), next);
      // Throwing here fails the test: damage must come back as data.
      const parsed = parseRecording(damaged);
      if (!parsed.ok) {
        expect(parsed.error.message.length).toBeGreaterThan(10);
        caught++;
        continue;
      }
      const damagedRecording = parsed.recording;
      const kind = replay(damagedRecording, { from: round % 3 === 0 ? 250 : 0 }).kind;
      if (kind !== "matched") caught++;
      // A clean result means every recorded hash was reproduced: the damage left behaviour alone.
      else if (round % 3 !== 0) expect(worlds(damagedRecording.hashes)).toBe(worlds(recording.hashes));
    }
    expect(caught).toBeGreaterThan(150);
  });

  it("never passes a structurally damaged file as a clean replay (a field replaced, deleted or nudged)", () => {
    let state = 2024;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const odd: unknown[] = [0, -1, 1, 61, 2 ** 31, 1.5, "", "0", [], {}, null, true];
    // Each part of the file as often as the others (the checkpoints alone hold most of its paths).
    const parts = Object.entries(JSON.parse(text)).map(([part, value]) => jsonPaths(value, [part]));
    const table = (hashes: Recording["hashes"]) => JSON.stringify(hashes);
    for (let round = 0; round < 300; round++) {
      const copy = JSON.parse(text);
      const part = parts[Math.floor(next() * parts.length)];
      const path = part[Math.floor(next() * part.length)];
      const parent = path.slice(0, -1).reduce((item: any, key) => item[key], copy);
      const key = path[path.length - 1];
      const how = next();
      if (how < 0.15) Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key];
      else if (how < 0.3 && typeof parent[key] === "number") parent[key] += next() < 0.5 ? 1 : -1;
      else parent[key] = structuredClone(odd[Math.floor(next() * odd.length)]);
      const parsed = parseRecording(JSON.stringify(copy));
      if (!parsed.ok) continue;
      const result = replay(parsed.recording);
      // Whatever else the edit touched, a clean replay must have checked the recorded hashes as they were.
      if (result.kind === "matched") expect(table(parsed.recording.hashes), `${JSON.stringify(path)} edited`).toBe(table(recording.hashes));
    }
  });
});

/** Every JSON path of `value` (arrays: their first few items and the last). */
function jsonPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    const items = [...new Set([0, 1, 2, 3, value.length - 1])].filter((index) => index >= 0 && index < value.length);
    for (const index of items) jsonPaths(value[index], [...path, index], out);
  } else {
    for (const [key, item] of Object.entries(value)) jsonPaths(item, [...path, key], out);
  }
  return out;
}

function flip(source: string, at: number, next: () => number): string {
  const characters = '0123456789abcdef{}[]":,AZaz+/=';
  return source.slice(0, at) + characters[Math.floor(next() * characters.length)] + source.slice(at + 1);
}

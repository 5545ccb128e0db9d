// Every recorded session in test/replays is a regression test: it must replay with every world
// hash matching, from the start and from a checkpoint (the engine: today's compiler and runtime
// on the recorded sources). A session without reloads is also the game's regression test: its
// input against today's sources in the game folder it names must behave tick for tick as
// recorded. After an intended change, re-record it with `ribbon replay FILE --current --update`
// (the command says what changed). The replays from a checkpoint share their compiled code, as
// the replays of one process may: same verdicts.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCompileCache } from "../../engine/compiler/compile.ts";
import { replay } from "../../engine/replay/replay.ts";
import { createFactoryCache } from "../../engine/runtime/load.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { currentSourcesFor, readRecordingFile } from "../../tools/cli/replay.ts";
import { replaysDir } from "./helpers.ts";

const shared = { factories: createFactoryCache(), compileCache: createCompileCache() };
const files = readdirSync(replaysDir).filter((name) => /\.ribbon-replay\.json(\.gz)?$/.test(name)).sort();

describe("test/replays", () => {
  it("holds recorded sessions", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const read = readRecordingFile(join(replaysDir, file));
      if (!read.ok) throw new Error(`${file}: ${read.error.message}`);
      const result = replay(read.recording);
      expect(result.kind, formatReplayResult(result, file)).toBe("matched");
      const middle = Math.floor(read.recording.ticks / 2);
      const seeked = replay(read.recording, { from: middle, ...shared });
      expect(seeked.kind, formatReplayResult(seeked, `${file} --from ${middle}`)).toBe("matched");
    });
  }

  // A session with reloads ends on other sources than it began with: today's can match only its last part.
  for (const file of files.filter((name) => !hasReloads(name))) {
    it(`${file}: today's game behaves as recorded`, () => {
      const path = join(replaysDir, file);
      const read = readRecordingFile(path);
      if (!read.ok) throw new Error(`${file}: ${read.error.message}`);
      const current = currentSourcesFor(read.recording, path, null);
      if (typeof current === "string") throw new Error(`${file}: ${current}`);
      const result = replay(read.recording, { current, ...shared });
      const advice = `\n(an intended change? re-record with: npx ribbon replay test/replays/${file} --current --update)`;
      expect(result.kind, formatReplayResult(result, file) + advice).toBe("matched");
    });
  }
});

function hasReloads(file: string): boolean {
  const read = readRecordingFile(join(replaysDir, file));
  return read.ok && read.recording.programs.length > 1;
}

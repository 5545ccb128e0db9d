// Every recorded session in test/replays is a regression test: it must replay with every world
// hash matching, from the start and from a checkpoint. After an intended change, re-record one
// with `ribbon replay FILE --update` (the command says what changed). The replays from a
// checkpoint share their compiled code, as the replays of one process may: same verdicts.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCompileCache } from "../../engine/compiler/compile.ts";
import { replay } from "../../engine/replay/replay.ts";
import { createFactoryCache } from "../../engine/runtime/load.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { readRecordingFile } from "../../tools/cli/replay.ts";
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
});

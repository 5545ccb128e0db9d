// Re-records the regression replays in test/replays from the test games (run by hand:
// `node tools/bin/run-ts.mjs test/replay/record-fixtures.ts`). test/replay/replays.test.ts replays
// every file there; after an intended engine change, `ribbon replay FILE --update` re-records one.
// test/replays/demo-game.ribbon-replay.json comes from the CLI instead (30 s of scripted play):
//   npx ribbon run demo-game --ticks 1800 --input test/replay/demo-input.json \
//     --record test/replays/demo-game.ribbon-replay.json

import { join, relative } from "node:path";
import { writeRecordingFile } from "../../tools/cli/replay.ts";
import type { Recording } from "../../engine/replay/format.ts";
import { change, gameDir, here, liveSession, readGame, replaysDir } from "./helpers.ts";

function save(name: string, recording: Recording, game: string): void {
  recording.game.path = relative(replaysDir, game);
  recording.meta = { recordedBy: "test/replay/record-fixtures.ts" };
  writeRecordingFile(join(replaysDir, `${name}.ribbon-replay.json`), recording);
  console.log(`${name}: ${recording.ticks} ticks, ${recording.reloads.length} reloads, ${recording.hashes.length} hashes, ${recording.checkpoints.length} checkpoints`);
}

function plain(): Recording {
  const live = liveSession(readGame(), { seed: 42 });
  live.step(1500);
  return live.finish();
}

function withReloads(): Recording {
  const game = readGame();
  const live = liveSession(game, { seed: 7 });
  live.step(300);
  live.edit("main", change(game.main, "WANDER := 30.0", "WANDER := 45.0"));
  live.step(200);
  live.edit("swarm", change(game.swarm, "vel: Vec2,", "vel: Vec2 = vec2 0.0 0.0,"));
  live.step(100);
  live.edit("swarm", change(game.swarm, "vel: Vec2,", "vel: Vec2, heat: f64 = 1.0,"));
  live.step(400);
  return live.finish();
}

function replayRestart(): Recording {
  const dir = join(here, "fibers");
  const game = readGame(dir);
  const live = liveSession(game, { seed: 3 });
  live.step(400);
  live.edit("main", change(game.main, "STEP := 1.0", "STEP := 2.5"));
  live.step(200);
  return live.finish();
}

save("test-game", plain(), gameDir);
save("test-game-reloads", withReloads(), gameDir);
save("fibers-replay-restart", replayRestart(), join(here, "fibers"));

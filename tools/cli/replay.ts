// `ribbon replay FILE [--current] [--game PATH] [--from TICK] [--update] [--log]` and the
// `--record FILE` option of `ribbon run`: reading and writing replay files (plain JSON, or gzip
// when the name ends in .gz), today's sources for `--current`, and the report on stderr. The
// replay itself is engine/replay/replay.ts.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { availableParallelism } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { createCompileCache, type CompileCache } from "../../engine/compiler/compile.ts";
import { createFactoryCache, type FactoryCache } from "../../engine/runtime/load.ts";
import { manifestProblem, readManifest } from "../../engine/server/game.ts";
import type { Recording } from "../../engine/replay/format.ts";
import { createRecorder, type Recorder } from "../../engine/replay/recorder.ts";
import { replay, type CurrentSources, type ReplayResult } from "../../engine/replay/replay.ts";
import { formatReplayResult } from "../../engine/replay/report.ts";
import { sourcesOf } from "../../engine/replay/sources.ts";
import { parseRecording, type ParseResult } from "../../engine/replay/validate.ts";
import type { InputFrame } from "../../engine/runtime/host.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import type { World } from "../../engine/runtime/world.ts";
import { formatRuntimeError } from "../../engine/runtime/format-error.ts";
import { MINIMUM_SEGMENT_TICKS, replayInSegments } from "./replay-jobs.ts";
import { fileSourceProvider } from "./sources.ts";

export const REPLAY_USAGE = `usage: ribbon replay FILE... [--current] [--game PATH] [--from TICK] [--update] [--log] [--jobs N]
  FILE            a .ribbon-replay.json file (or .json.gz) from \`ribbon run GAME --record FILE\`; several
                  files are replayed one after another in one process, sharing compiled code, and
                  the exit code is 1 if any of them fails
  --current       replay the recorded input against today's sources and report where behaviour departs
  --game PATH     where today's sources are (default: the game path stored in the file)
  --from TICK     start at the last checkpoint at or before TICK instead of tick 0
  --update        re-record the expected hashes (with --current: and the sources) and say what changed
  --log           print the game's output while replaying
  --jobs N        check the recording in N segments side by side, from checkpoint to checkpoint
                  (default: one per core for recordings of two minutes or more, else 1)`;

// ---------------------------------------------------------------- files

/** Reads and checks a replay file; every failure is a sentence, never an exception. */
export function readRecordingFile(path: string): ParseResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, error: { kind: "invalid", message: `cannot read ${path}: ${(error as Error).message}` } };
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      return { ok: false, error: { kind: "truncated", message: `the gzip data is damaged or cut short: ${(error as Error).message}` } };
    }
  }
  return parseRecording(bytes.toString("utf8"));
}

/**
 * JSON with one line per top-level field and one line per element of the long lists, so a
 * re-recorded file (`--update`) diffs readably in version control.
 */
export function stringifyRecording(recording: Recording): string {
  const lines = Object.entries(recording).map(([key, value]) => {
    if (Array.isArray(value) && value.length > 0) return `  ${JSON.stringify(key)}: [\n${value.map((item) => `    ${JSON.stringify(item)}`).join(",\n")}\n  ]`;
    if (key === "sources" && value && typeof value === "object") {
      const entries = Object.entries(value as Record<string, string>).map(([hash, text]) => `    ${JSON.stringify(hash)}: ${JSON.stringify(text)}`);
      return entries.length > 0 ? `  "sources": {\n${entries.join(",\n")}\n  }` : `  "sources": {}`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

export function writeRecordingFile(path: string, recording: Recording): void {
  const text = stringifyRecording(recording);
  writeFileSync(path, path.endsWith(".gz") ? gzipSync(text) : text);
}

// ---------------------------------------------------------------- recording `ribbon run`

export interface RunRecording {
  recorder: Recorder;
  /** Before each stepWorld. */
  tick(input: InputFrame): void;
  /** Writes the file; returns a line for stderr. */
  save(): string;
}

/**
 * Why `--record` cannot be honoured, checked before the run so a long run does not end with
 * nowhere to write; null when it can (or is not asked for).
 */
export function recordingProblem(args: string[]): string | null {
  const index = args.indexOf("--record");
  if (index < 0) return null;
  const file = args[index + 1];
  if (!file || file.startsWith("--")) return "--record needs a file name, e.g. --record session.ribbon-replay.json";
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return `cannot record to ${file}: there is no folder ${dirname(file)}`;
  return null;
}

/** `--record FILE` of `ribbon run` (recordingProblem said it can write there): null when the option is absent. */
export function recordRunIfAsked(args: string[], world: World, modules: CompiledModule[], roots: string[], game: string): RunRecording | null {
  const index = args.indexOf("--record");
  if (index < 0) return null;
  const path = resolve(args[index + 1]);
  const recorder = createRecorder({
    world,
    roots,
    sources: sourcesOf(modules),
    gamePath: relative(dirname(path), resolve(game)) || ".",
    meta: { recordedBy: "ribbon run", created: new Date().toISOString() },
  });
  return {
    recorder,
    tick: (input) => recorder.recordTick(input),
    save() {
      const recording = recorder.finish();
      try {
        writeRecordingFile(path, recording);
      } catch (error) {
        return `[record] cannot write ${path}: ${(error as Error).message}`;
      }
      return `[record] ${recording.ticks} tick${recording.ticks === 1 ? "" : "s"} → ${relative(process.cwd(), path) || path}`;
    },
  };
}

// ---------------------------------------------------------------- the command

interface ReplayArguments {
  files: string[];
  current: boolean;
  game: string | null;
  from: number;
  update: boolean;
  log: boolean;
  /** --jobs N, or null for the default. */
  jobs: number | null;
}

/** One file's arguments; `files` lists them all. */
type ReplayFileArguments = Omit<ReplayArguments, "files"> & { file: string };

/** Compiled code shared by the replays of one command. */
type SharedCode = { factories: FactoryCache; compileCache: CompileCache };

function parseReplayArguments(args: string[]): ReplayArguments | string {
  const parsed: ReplayArguments = { files: [], current: false, game: null, from: 0, update: false, log: false, jobs: null };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    switch (arg) {
      case "--current":
        parsed.current = true;
        break;
      case "--update":
        parsed.update = true;
        break;
      case "--log":
        parsed.log = true;
        break;
      case "--game": {
        const value = args[++index];
        if (!value) return "--game needs a folder or a .rib file";
        parsed.game = value;
        break;
      }
      case "--from": {
        const value = Number(args[++index]);
        if (!Number.isInteger(value) || value < 0) return `--from needs a tick (a whole number), got ${args[index]}`;
        parsed.from = value;
        break;
      }
      case "--jobs": {
        const value = Number(args[++index]);
        if (!Number.isInteger(value) || value < 1) return `--jobs needs a number of segments (1 or more), got ${args[index]}`;
        parsed.jobs = value;
        break;
      }
      default:
        if (arg.startsWith("--")) return `unknown option ${arg}`;
        parsed.files.push(arg);
    }
  }
  return parsed.files.length > 0 ? parsed : "which replay file?";
}

/** Today's sources: `--game`, else the game path the file stored (relative to the file). */
export function currentSourcesFor(recording: Recording, file: string, game: string | null): CurrentSources | string {
  const stored = recording.game.path;
  if (game === null && stored === null) return "the file does not say where the game's sources are: pass --game PATH";
  const path = game !== null ? resolve(game) : resolve(dirname(resolve(file)), stored!);
  if (!existsSync(path)) return `today's sources are not at ${path}${game === null ? " (the path stored in the file): pass --game PATH" : ""}`;
  if (!statSync(path).isDirectory()) return { provider: fileSourceProvider(dirname(path)), roots: [basename(path).replace(/\.rib$/, "")] };
  const lastRoots = recording.programs[recording.programs.length - 1].roots;
  if (!existsSync(join(path, "manifest.json"))) return { provider: fileSourceProvider(path), roots: lastRoots };
  const manifest = readManifest(path);
  if (!manifest.ok) return manifestProblem(manifest);
  return { provider: fileSourceProvider(path), roots: manifest.manifest.modules };
}

export async function runReplay(args: string[]): Promise<number> {
  const parsed = parseReplayArguments(args);
  if (typeof parsed === "string") {
    process.stderr.write(`ribbon replay: ${parsed}\n${REPLAY_USAGE}\n`);
    return 1;
  }
  // One process for all the files: recordings of one game run the code the first one warmed.
  const shared: SharedCode = { factories: createFactoryCache(), compileCache: createCompileCache() };
  let code = 0;
  for (const file of parsed.files) code = Math.max(code, await replayFile({ ...parsed, file }, shared));
  return code;
}

async function replayFile(parsed: ReplayFileArguments, shared: SharedCode): Promise<number> {
  const read = readRecordingFile(parsed.file);
  if (!read.ok) {
    process.stderr.write(`ribbon replay: ${parsed.file}: ${read.error.message}\n`);
    return 1;
  }
  const recording = read.recording;
  let current: CurrentSources | null = null;
  if (parsed.current) {
    const found = currentSourcesFor(recording, parsed.file, parsed.game);
    if (typeof found === "string") {
      process.stderr.write(`ribbon replay: ${found}\n`);
      return 1;
    }
    current = found;
  }
  const plain = !current && !parsed.update && !parsed.log && parsed.from === 0;
  if (parsed.jobs !== null && parsed.jobs > 1 && !plain) {
    process.stderr.write("ribbon replay: --jobs checks a whole recording: it does not go with --current, --update, --from or --log\n");
    return 1;
  }
  const jobs = parsed.jobs ?? availableParallelism();
  const result = plain && jobs > 1
    ? await replayInSegments(parsed.file, recording, jobs, parsed.jobs === null ? MINIMUM_SEGMENT_TICKS : 1, shared)
    : replay(recording, {
        current,
        from: parsed.from,
        update: parsed.update,
        // With --current, both programs compile: modules unchanged since the recording compile once.
        ...shared,
        host: {
          log: (line) => (parsed.log ? process.stdout.write(`${line}\n`) : undefined),
          runtimeError: (error) => (parsed.log ? process.stderr.write(`${formatRuntimeError(error, [])}\n`) : undefined),
        },
      });
  process.stderr.write(`${formatReplayResult(result, parsed.file)}\n`);
  return finishReplay(parsed, result);
}

function finishReplay(parsed: ReplayFileArguments, result: ReplayResult): number {
  if (result.kind === "failed") return 1;
  const update = result.summary.update;
  if (update) {
    const changed = update.changed > 0 || update.notes.length > 0 || result.kind === "diverged";
    if (changed) {
      writeRecordingFile(parsed.file, update.recording);
      process.stderr.write(`ribbon replay: rewrote ${parsed.file}\n`);
    } else process.stderr.write(`ribbon replay: ${parsed.file} is up to date\n`);
    return 0;
  }
  return result.kind === "matched" ? 0 : 1;
}

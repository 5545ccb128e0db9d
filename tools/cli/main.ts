// The `ribbon` command line: check and run here; session, dev, start and replay in their own
// files. Diagnostics go to stderr with code frames; stdout carries only what the program prints.

import { formatDiagnostics } from "../../engine/diagnostics/format.ts";
import { compileProgram } from "../../engine/compiler/compile.ts";
import { createWorld, startWorld, stepWorld } from "../../engine/runtime/world.ts";
import { formatRuntimeError } from "../../engine/runtime/format-error.ts";
import { NO_INPUT } from "../../engine/runtime/host.ts";
import { fileSourceProvider, fileTarget } from "./sources.ts";
import { runSession, SESSION_USAGE } from "./session.ts";
import { wholeNumberOption } from "./options.ts";
import { recordingProblem, recordRunIfAsked, REPLAY_USAGE, runReplay } from "./replay.ts";
import { parseInputScript } from "./input-script.ts";
import { manifestProblem, readManifest } from "../../engine/server/game.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import type { SourceFile } from "../../engine/diagnostics/source.ts";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const USAGE = `usage:
  ribbon check PATH...            type-check Ribbon files, or a game folder (its manifest's
                                  modules, else every .rib file in it); exit 1 on errors
  ribbon run FILE [--ticks N]     run headless: init once, then N ticks of update (default 60)
             [--seed N]           FILE may be a game folder with manifest.json (its modules, in
             [--input FILE]       manifest order, and its seed); --input: scripted input (JSON,
                                  format in tools/cli/input-script.ts)
  ribbon session NAME.1.rib [--ticks-per-version N]
                                  run NAME.1.rib, NAME.2.rib, ... as one live session, each next
                                  version hot-reloaded after N ticks (default 10); one report
                                  line per reload on stderr
  ribbon dev --headless GAME [--ticks N] [--seed N]
                                  run GAME (a folder of .rib modules, or one file) at 60 Hz and
                                  hot-reload every save; reports on stderr
  ribbon start [GAME] [--port N]  serve GAME (default demo-game) in the browser on 127.0.0.1 with
                                  live reload; port from --port, $PORT or 5173 (next free if taken)
  ribbon run FILE --record OUT    also record the run (input, seed, sources, world hashes) to OUT
  ribbon replay FILE... [--current] [--from TICK] [--update] [--game PATH] [--log] [--jobs N]
                                  replay recordings headless and check their world hashes;
                                  --current: behaviour diff against today's sources
  ribbon COMMAND --help           the options of one command`;

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== undefined && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write(`${await usageOf(command)}\n`);
    return 0;
  }
  switch (command) {
    case "check":
      return check(rest);
    case "run":
      return run(rest);
    case "session":
      return runSession(rest);
    // Loaded on demand: the watcher, the web server and esbuild are a good part of the start-up
    // of every other command (ribbon.mjs bundles with code splitting, so these stay apart).
    case "dev":
      return (await import("./dev.ts")).runDev(rest);
    case "start":
      return (await import("./start.ts")).runStart(rest);
    case "replay":
      return runReplay(rest);
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`ribbon: unknown command ${command}\n${USAGE}\n`);
      return 1;
  }
}

/** What `ribbon COMMAND --help` prints: the command's own usage where it has one. */
async function usageOf(command: string): Promise<string> {
  switch (command) {
    case "replay":
      return REPLAY_USAGE;
    case "session":
      return SESSION_USAGE;
    case "dev":
      return (await import("./dev.ts")).DEV_USAGE;
    case "start":
      return (await import("./start.ts")).START_USAGE;
    default:
      return USAGE;
  }
}

function check(files: string[]): number {
  if (files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let failed = false;
  for (const path of files) {
    const target = checkTarget(path);
    if (typeof target === "string") {
      process.stderr.write(`ribbon check: ${target}\n`);
      failed = true;
      continue;
    }
    const result = compileProgram(target.roots, fileSourceProvider(target.root), { rootsFile: target.manifest });
    if (result.diagnostics.length > 0) process.stderr.write(`${formatDiagnostics(result.diagnostics)}\n`);
    if (!result.ok) failed = true;
  }
  return failed ? 1 : 0;
}

/**
 * What `ribbon check PATH` compiles: one .rib file; a game folder's manifest modules; or, in a
 * folder without a manifest, every .rib file directly in it.
 */
function checkTarget(path: string): { root: string; roots: string[]; manifest?: SourceFile } | string {
  if (!existsSync(path) || !statSync(path).isDirectory()) return runTarget(path);
  if (existsSync(join(path, "manifest.json"))) return runTarget(path);
  const roots = readdirSync(path).filter((name) => name.endsWith(".rib") && statSync(join(path, name)).isFile()).map((name) => name.slice(0, -".rib".length));
  return roots.length > 0 ? { root: resolve(path), roots: roots.sort() } : `${path} holds no .rib file and no manifest.json`;
}

function run(args: string[]): number {
  const file = args.find((arg, index) => !arg.startsWith("--") && !(index > 0 && args[index - 1].startsWith("--")));
  if (!file) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const fail = (message: string) => {
    process.stderr.write(`ribbon run: ${message}\n`);
    return 1;
  };
  const ticks = wholeNumberOption(args, "--ticks", 60);
  if (typeof ticks === "string") return fail(ticks);
  const seed = args.includes("--seed") ? wholeNumberOption(args, "--seed", 0) : null;
  if (typeof seed === "string") return fail(seed);
  const game = runTarget(file);
  if (typeof game === "string") return fail(game);
  const unrecordable = recordingProblem(args);
  if (unrecordable) return fail(unrecordable);
  const inputIndex = args.indexOf("--input");
  let script: ReturnType<typeof parseInputScript> | null = null;
  try {
    if (inputIndex >= 0) script = parseInputScript(readFileSync(args[inputIndex + 1] ?? "", "utf8"));
  } catch (error) {
    return fail((error as Error).message);
  }
  const result = compileProgram(game.roots, fileSourceProvider(game.root), { rootsFile: game.manifest });
  if (!result.ok) {
    process.stderr.write(`${formatDiagnostics(result.diagnostics)}\n`);
    return 1;
  }
  let runtimeErrors = 0;
  const world = createWorld(inManifestOrder(result.modules, game.order), {
    log: (line) => process.stdout.write(`${line}\n`),
    runtimeError: (error) => {
      runtimeErrors++;
      process.stderr.write(`${formatRuntimeError(error, result.modules)}\n`);
    },
  }, { seed: seed ?? game.seed, drawing: false });
  startWorld(world);
  const recording = recordRunIfAsked(args, world, result.modules, game.roots, file);
  for (let tick = 0; tick < ticks; tick++) {
    const input = script ? script.at(tick) : NO_INPUT;
    recording?.tick(input);
    stepWorld(world, input);
  }
  if (recording) process.stderr.write(`${recording.save()}\n`);
  return runtimeErrors > 0 ? 1 : 0;
}

/**
 * What `ribbon run PATH` runs: one .rib file, or a game folder holding manifest.json (roots: the
 * manifest's modules; seed: its seed). A string says why the folder cannot run.
 */
function runTarget(path: string): { root: string; roots: string[]; seed: number; order: string[]; manifest?: SourceFile } | string {
  const folder = resolve(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    const missing = missingFile(path);
    if (missing) return missing;
    const { root, module } = fileTarget(path);
    return { root, roots: [module], seed: 1, order: [] };
  }
  if (!existsSync(join(folder, "manifest.json"))) return `${path} is a folder without manifest.json`;
  const read = readManifest(folder);
  if (!read.ok) return manifestProblem(read);
  return { root: folder, roots: read.manifest.modules, seed: read.manifest.seed, order: read.manifest.modules, manifest: read.manifest.file };
}

/** Why `path` cannot be a Ribbon file to check or run, or null when it can. */
function missingFile(path: string): string | null {
  if (!existsSync(path)) return existsSync(`${path}.rib`) ? null : `cannot read ${path}: there is no such file`;
  if (statSync(path).isDirectory()) return `${path} is a folder, not a .rib file`;
  if (!path.endsWith(".rib")) return `${path} is not a .rib file`;
  return null;
}

/**
 * The world runs updates in list order, so the manifest's modules come last, in manifest order;
 * the others (engine modules, helpers) keep their dependencies-first order in front of them.
 */
export function inManifestOrder(modules: CompiledModule[], order: readonly string[]): CompiledModule[] {
  const rank = (module: CompiledModule) => order.indexOf(module.name);
  return [...modules].sort((a, b) => rank(a) - rank(b));
}

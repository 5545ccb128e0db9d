// `ribbon start [GAME]` (and `npm start`): bundles the browser engine, starts the dev server on
// 127.0.0.1 (port from --port N or PORT, the next free one if taken), prints the URL, and watches
// the game's `.rib` files (tools/cli/watch.ts) and its assets folder (chokidar), telling the
// server about each settled change. `launchDevServer` is what the browser tests start.

import { watch } from "chokidar";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { SourceProvider } from "../../engine/compiler/compile.ts";
import { manifestProblem, readManifest } from "../../engine/server/game.ts";
import { startDevServer, type DevOutput, type DevServer } from "../../engine/server/dev-server.ts";
import { readIfPresent, watchSources, type SourceWatcher } from "./watch.ts";

export const START_USAGE = "usage: ribbon start [GAME_DIR] [--port N]   (default game: demo-game, port: $PORT or 5173)";
const DEFAULT_PORT = 5173;
const ASSET_DEBOUNCE_MS = 30;

export interface LaunchOptions {
  gameDir: string;
  port: number;
  output: DevOutput;
  width?: number;
  height?: number;
}

export interface Launched {
  server: DevServer;
  close(): Promise<void>;
}

export async function launchDevServer(options: LaunchOptions): Promise<Launched> {
  const manifest = readManifest(options.gameDir);
  if (!manifest.ok) throw new Error(manifestProblem(manifest));
  let server: DevServer | null = null;
  const sources = await watchSources(options.gameDir, {
    onSettled: () => server?.sourcesChanged(),
    onError: (error) => options.output.status(`[dev] watcher: ${error instanceof Error ? error.message : String(error)}`),
  });
  server = await startDevServer({ ...options, provider: watchedProvider(options.gameDir, sources) });
  const assets = await watchAssets(manifest.manifest.assetsDir, (path) => server?.assetChanged(path));
  const running = server;
  return {
    server: running,
    close: async () => {
      await Promise.all([sources.close(), assets()]);
      await running.close();
    },
  };
}

/** Modules come from the watcher's settled texts, so a compile never sees a half-written file. */
function watchedProvider(gameDir: string, watcher: SourceWatcher): SourceProvider {
  return (moduleName) => {
    const absolute = join(resolve(gameDir), `${moduleName}.rib`);
    const text = watcher.sources.get(absolute) ?? readIfPresent(absolute);
    if (text === null) return null;
    return { path: relative(process.cwd(), absolute) || absolute, text };
  };
}

/** Watches the assets folder; each file's burst of events ends in one call. Returns the closer. */
async function watchAssets(folder: string, onChange: (path: string) => void): Promise<() => Promise<void>> {
  if (!existsSync(folder)) return async () => {};
  const timers = new Map<string, NodeJS.Timeout>();
  const touched = (path: string) => {
    clearTimeout(timers.get(path));
    timers.set(path, setTimeout(() => {
      timers.delete(path);
      onChange(path);
    }, ASSET_DEBOUNCE_MS));
  };
  const watcher = watch(folder, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 10 } });
  watcher.on("add", touched).on("change", touched);
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return async () => {
    for (const timer of timers.values()) clearTimeout(timer);
    await watcher.close();
  };
}

interface StartArguments {
  gameDir: string;
  port: number;
}

function parseStartArguments(args: string[], env: NodeJS.ProcessEnv): StartArguments | string {
  let gameDir: string | null = null;
  let port = env.PORT ? Number(env.PORT) : DEFAULT_PORT;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--port") port = Number(args[++index]);
    else if (arg.startsWith("--")) return `ribbon start: unknown option ${arg}`;
    else if (gameDir === null) gameDir = arg;
    else return `ribbon start: one game at a time (got ${gameDir} and ${arg})`;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) return "ribbon start: the port must be a whole number from 0 to 65535";
  return { gameDir: gameDir ?? "demo-game", port };
}

export async function runStart(args: string[]): Promise<number> {
  const parsed = parseStartArguments(args, process.env);
  if (typeof parsed === "string") {
    process.stderr.write(`${parsed}\n${START_USAGE}\n`);
    return 1;
  }
  let launched: Launched;
  try {
    launched = await launchDevServer({
      gameDir: parsed.gameDir,
      port: parsed.port,
      output: { log: (line) => process.stdout.write(`${line}\n`), status: (text) => process.stderr.write(`${text}\n`) },
    });
  } catch (error) {
    process.stderr.write(`ribbon start: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Ribbon dev server: ${launched.server.url}\n`);
  await new Promise<void>((stop) => {
    process.once("SIGINT", () => stop());
    process.once("SIGTERM", () => stop());
  });
  await launched.close();
  return 0;
}

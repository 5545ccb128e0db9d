// Bundles the browser engine (engine/client/main.ts with pixi.js, or another page's entry) with
// esbuild: minified, with a linked source map for the browser's developer tools. The result is
// kept in node_modules/.cache/ribbon and reused while no engine source and no installed package
// is newer, so a second `npm start` serves the page at once. The runtime must not import Node
// modules: esbuild fails the build if it does.

import { build } from "esbuild";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = join("engine", "client", "main.ts");

export interface ClientBundle {
  /** The script; its last line names `<served name>.map`. */
  code: string;
  map: string;
}

/** The client entry, found upward from this module (also when the CLI runs from its bundle in node_modules/.cache). */
export function clientEntry(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, ENTRY))) return join(folder, ENTRY);
    if (dirname(folder) === folder) throw new Error(`cannot find ${ENTRY} above ${from}`);
  }
}

/** Bundles `entry` as the script served at `.../<servedName>`, from the disk cache when it is current. */
export async function bundleClient(entry: string = clientEntry(), servedName = "client.js"): Promise<ClientBundle> {
  const root = dirname(dirname(dirname(entry)));
  const codePath = join(root, "node_modules", ".cache", "ribbon", servedName);
  const cached = readCached(codePath, newestInput(root));
  if (cached) return cached;
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    outfile: codePath,
    minify: true,
    sourcemap: "linked",
    logLevel: "silent",
  });
  const bundle = {
    code: result.outputFiles.find((file) => file.path.endsWith(".js"))!.text,
    map: result.outputFiles.find((file) => file.path.endsWith(".map"))!.text,
  };
  writeCached(codePath, bundle);
  return bundle;
}

/** Milliseconds of the last change to an engine source or to the installed packages. */
function newestInput(root: string): number {
  const installed = join(root, "node_modules", ".package-lock.json");
  return Math.max(newestSource(join(root, "engine")), existsSync(installed) ? statSync(installed).mtimeMs : 0);
}

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function readCached(codePath: string, newest: number): ClientBundle | null {
  const mapPath = `${codePath}.map`;
  if (!existsSync(codePath) || !existsSync(mapPath) || statSync(codePath).mtimeMs < newest) return null;
  return { code: readFileSync(codePath, "utf8"), map: readFileSync(mapPath, "utf8") };
}

/** Map first, script last, each renamed into place: a reader never sees half a file or a script without its map. */
function writeCached(codePath: string, bundle: ClientBundle): void {
  try {
    mkdirSync(dirname(codePath), { recursive: true });
    const temporary = `${codePath}.${randomUUID()}.tmp`;
    writeFileSync(temporary, bundle.map);
    renameSync(temporary, `${codePath}.map`);
    writeFileSync(temporary, bundle.code);
    renameSync(temporary, codePath);
  } catch {
    // A read-only checkout bundles on every start instead.
  }
}

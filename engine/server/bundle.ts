// Bundles the browser engine (engine/client/main.ts with pixi.js) in memory with esbuild, once per
// server start. The runtime must not import Node modules: esbuild fails the build if it does.

import { build } from "esbuild";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = join("engine", "client", "main.ts");

/** The client entry, found upward from this module (also when the CLI runs from its bundle in node_modules/.cache). */
export function clientEntry(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, ENTRY))) return join(folder, ENTRY);
    if (dirname(folder) === folder) throw new Error(`cannot find ${ENTRY} above ${from}`);
  }
}

export async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [clientEntry()],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    minify: false,
    sourcemap: "inline",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

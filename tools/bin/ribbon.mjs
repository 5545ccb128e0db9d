#!/usr/bin/env node
// The `ribbon` command: bundles the TypeScript CLI with esbuild on first use (or when a source is
// newer than the bundle) into node_modules/.cache, then runs it. No build step to remember.
import { build } from "esbuild";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const entry = join(root, "tools/cli/main.ts");
const bundle = join(root, "node_modules/.cache/ribbon/cli.mjs");

function newestSource(directory) {
  let newest = 0;
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    const stats = statSync(path);
    if (stats.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (name.endsWith(".ts")) newest = Math.max(newest, stats.mtimeMs);
  }
  return newest;
}

const stale = !existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(newestSource(join(root, "engine")), newestSource(join(root, "tools")));
if (stale) {
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", outfile: bundle, packages: "external", logLevel: "error" });
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));

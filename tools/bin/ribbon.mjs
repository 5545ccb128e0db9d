#!/usr/bin/env node
// The `ribbon` command: bundles the TypeScript CLI with esbuild on first use (or when a source is
// newer than the bundle) into node_modules/.cache, then runs it. No build step to remember. The
// bundle is split: `dev` and `start` (the watcher, the web server, esbuild) are chunks of their
// own, loaded only by those commands, so `ribbon replay` and the rest start without them.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const entry = join(root, "tools/cli/main.ts");
// `ribbon replay --jobs` runs segments in worker threads from this second entry (replay-jobs.ts).
const workerEntry = join(root, "tools/cli/replay-worker.ts");
const outdir = join(root, "node_modules/.cache/ribbon/cli");
const bundle = join(outdir, "main.mjs");

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
  // Loaded only when needed: importing esbuild costs about 50 ms of every command's start.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [entry, workerEntry],
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir,
    outExtension: { ".js": ".mjs" },
    packages: "external",
    metafile: true,
    absWorkingDir: root,
    logLevel: "error",
  });
  // Chunks of earlier builds (their names carry a content hash) go, once no command can still be loading them.
  const current = new Set(Object.keys(result.metafile.outputs).map((path) => resolve(root, path)));
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (!current.has(path) && Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
  }
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, generators): `node tools/bin/run-ts.mjs FILE.ts [ARGS...]`.
// Bundles FILE with esbuild (engine sources included, npm packages external) into
// node_modules/.cache/ribbon/<name>.mjs and imports it. The script sees the process as if node ran
// FILE.ts itself: process.argv is [node, FILE.ts, ...ARGS] and each module's import.meta.url is
// its own source file, so paths computed from it stay right.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const [entryArgument, ...args] = process.argv.slice(2);
if (!entryArgument) {
  process.stderr.write("usage: node tools/bin/run-ts.mjs FILE.ts [ARGS...]\n");
  process.exit(2);
}
const entry = resolve(entryArgument);
const bundle = join(root, "node_modules/.cache/ribbon", `${basename(entry).replace(/\.[cm]?tsx?$/, "")}.mjs`);

/** Replaces `import.meta.url` in every TypeScript module with the URL of its source file. */
const sourceUrls = {
  name: "source-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\.[cm]?ts$/ }, async ({ path }) => {
      const text = await readFile(path, "utf8");
      return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href)), loader: "ts" };
    });
  },
};

// Always rebuilt: esbuild takes tens of milliseconds, and a stale bundle would run old code.
await build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: bundle,
  packages: "external",
  sourcemap: "inline",
  plugins: [sourceUrls],
  logLevel: "error",
});
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(bundle).href);

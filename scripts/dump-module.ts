// Prints the JavaScript the compiler generates for one .rib file (for looking at codegen output):
// node tools/bin/run-ts.mjs scripts/dump-module.ts FILE.rib
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { compileProgram } from "../engine/compiler/compile.ts";
import { formatDiagnostics } from "../engine/diagnostics/format.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: scripts/dump-module.ts FILE.rib");
const name = basename(file).replace(/\.rib$/, "");
const result = compileProgram([name], (module) => (module === name ? { path: file, text: readFileSync(file, "utf8") } : null));
if (result.diagnostics.length > 0) console.error(formatDiagnostics(result.diagnostics));
console.log(result.modules.find((module) => module.name === name)?.code ?? "");

import { readFileSync } from "node:fs";
import { compileProgram } from "../engine/compiler/compile.ts";
const file = process.argv[2];
const r = compileProgram(["main"], (n) => n === "main" ? { path: file, text: readFileSync(file, "utf8") } : null);
for (const d of r.diagnostics) console.log(d.message);
const m = r.modules.find((m) => m.name === "main");
console.log(m?.code);

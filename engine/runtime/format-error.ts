// Formats a runtime error of Ribbon code with its file:line:col and a code frame (terminal, overlay).

import { codeFrame } from "../diagnostics/format.ts";
import { createSourceFile } from "../diagnostics/source.ts";
import type { RibbonRuntimeError } from "./errors.ts";
import type { CompiledModule } from "./module.ts";

export function formatRuntimeError(error: RibbonRuntimeError, modules: readonly CompiledModule[]): string {
  const site = error.site;
  if (!site) return `runtime error: ${error.message}`;
  const module = modules.find((candidate) => candidate.name === site.module);
  const header = `${site.file}:${site.line}:${site.column}: runtime error (${error.kind}): ${error.message.replace(/^[^ ]+: /, "")}`;
  if (!module) return header;
  const file = createSourceFile(module.path, module.source);
  const offset = (file.lineStarts[site.line - 1] ?? 0) + site.column - 1;
  return `${header}\n${codeFrame(file, { start: offset, end: offset + 1 })}`;
}

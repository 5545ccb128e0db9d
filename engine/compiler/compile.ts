// Entry point of the compiler: loads a program's modules (following imports), parses, checks and
// generates code for all of them together. Source access is injected, so the same compiler
// serves the CLI, the dev server and tests.

import { hasErrors, error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { createSourceFile } from "../diagnostics/source.ts";
import { BUILTIN_MODULE_SOURCES, isBuiltinModule } from "../checker/builtins.ts";
import { checkProgram, type ModuleInput } from "../checker/check.ts";
import type { PreviousTypes } from "../checker/context.ts";
import type { CheckedProgram } from "../checker/program.ts";
import { generateModule } from "../codegen/generate.ts";
import type { CompiledModule } from "../runtime/module.ts";
import { parseModule } from "../syntax/parser.ts";

export interface SourceText {
  /** Path shown in diagnostics. */
  path: string;
  text: string;
}

/** Finds the source of a module by name (`physics`, `ai/boss`), or null when there is none. */
export type SourceProvider = (moduleName: string) => SourceText | null;

const IMPORT_CYCLE = "E0173";

export interface CompileOptions {
  previousTypes?: PreviousTypes;
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Every module of the program, dependencies first (engine modules included). */
  modules: CompiledModule[];
  program: CheckedProgram | null;
}

export function compileProgram(roots: string[], provider: SourceProvider, options: CompileOptions = {}): CompileResult {
  const loaded = loadModules(roots, provider);
  // In a cycle one module is checked before a module it imports, so every use of that import
  // would be reported as unknown too: report the cycle alone.
  if (loaded.diagnostics.some((diagnostic) => diagnostic.code === IMPORT_CYCLE)) {
    return { ok: false, diagnostics: loaded.diagnostics, modules: [], program: null };
  }
  const program = checkProgram(loaded.inputs, { previousTypes: options.previousTypes });
  const diagnostics = [...loaded.diagnostics, ...program.diagnostics];
  if (hasErrors(diagnostics)) return { ok: false, diagnostics, modules: [], program };
  const modules = program.modules.map((module) => generateModule(program, module));
  return { ok: true, diagnostics, modules, program };
}

interface Loaded {
  inputs: ModuleInput[];
  diagnostics: Diagnostic[];
}

/** Parses every module reachable from the roots and orders them so imports come first. */
function loadModules(roots: string[], provider: SourceProvider): Loaded {
  const parsed = new Map<string, ModuleInput>();
  const diagnostics: Diagnostic[] = [];
  const ordered: ModuleInput[] = [];
  const visiting = new Set<string>();

  const visit = (name: string): boolean => {
    if (parsed.has(name)) return !visiting.has(name);
    const input = parseNamed(name, provider, diagnostics);
    if (!input) return false;
    parsed.set(name, input);
    visiting.add(name);
    if (usesImplicitHot(input)) visit("hot");
    for (const item of input.ast.items) {
      if (item.kind !== "ImportItem") continue;
      const target = importTarget(item.path.segments, provider);
      if (!target) continue;
      if (!visit(target)) {
        if (visiting.has(target)) diagnostics.push(error(input.file, item.path.span, IMPORT_CYCLE, `import cycle: ${cyclePath(visiting, target)}`));
      }
    }
    visiting.delete(name);
    ordered.push(input);
    return true;
  };
  for (const root of roots) visit(root);
  return { inputs: ordered, diagnostics };
}

/**
 * `hot/Reload`, `hot/auto` and `hot/reset` need no import (LANGUAGE.md §8). The engine module is
 * loaded only for modules that mention it, so other programs' worlds do not change.
 */
export function usesImplicitHot(input: ModuleInput): boolean {
  return !input.builtin && /(^|[^A-Za-z0-9_\-/'])hot\//m.test(input.file.text);
}

/** `a → b → c → a`: the modules being visited (in import order, a Set keeps it) from `target` on. */
function cyclePath(visiting: Set<string>, target: string): string {
  const stack = [...visiting];
  return [...stack.slice(stack.indexOf(target)), target].join(" → ");
}

/** `import a/b` is module `a/b` when it exists, else module `a` (importing its member `b`). */
function importTarget(segments: string[], provider: SourceProvider): string | null {
  const whole = segments.join("/");
  if (isBuiltinModule(whole) || provider(whole)) return whole;
  const owner = segments.slice(0, -1).join("/");
  if (owner && (isBuiltinModule(owner) || provider(owner))) return owner;
  return null;
}

function parseNamed(name: string, provider: SourceProvider, diagnostics: Diagnostic[]): ModuleInput | null {
  const builtin = isBuiltinModule(name);
  const source = builtin ? { path: `<engine>/${name}.rib`, text: BUILTIN_MODULE_SOURCES[name] } : provider(name);
  if (!source) return null;
  const file = createSourceFile(source.path, source.text);
  const result = parseModule(file);
  diagnostics.push(...result.diagnostics);
  return { name, file, ast: result.ast, builtin };
}

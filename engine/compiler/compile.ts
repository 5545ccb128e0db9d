// Entry point of the compiler: loads a program's modules (following imports), parses, checks and
// generates code for all of them together. Source access is injected, so the same compiler
// serves the CLI, the dev server and tests.

import { hasErrors, error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { createSourceFile, type SourceFile } from "../diagnostics/source.ts";
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
const MISSING_ROOT = "E0174";

export interface CompileOptions {
  previousTypes?: PreviousTypes;
  /** Kept across compiles of one program (a dev session): unchanged modules are not redone. */
  cache?: CompileCache;
  /**
   * Whether small same-module calls may be compiled in place (default true; see
   * engine/codegen/inline.ts). Off, for comparing the two; cached code remembers which it was.
   */
  inline?: boolean;
  /**
   * The file that names the roots (a game's manifest.json): a root with no source is reported
   * there, at its name. Without it the report points at the file the root would be.
   */
  rootsFile?: SourceFile;
}

/**
 * What a later compile of the same program can reuse. A file whose path and text are unchanged is
 * not parsed again (syntax trees are never mutated: the checker keeps side tables). A module's
 * generated code depends only on its own source and on its imports' (their types, rows and
 * layouts), so it is reused while the module and every module it reaches through imports are
 * unchanged. The whole program is still checked every time, so diagnostics never go stale.
 */
export interface CompileCache {
  parsed: Map<string, ParsedFile>;
  generated: Map<string, GeneratedModule>;
}

interface ParsedFile {
  text: string;
  input: ModuleInput;
  diagnostics: Diagnostic[];
}

interface GeneratedModule {
  /** The source files it was generated from (its own and every one it reaches), by module name. */
  key: readonly SourceFile[];
  /** The code generation option it was made with: callers sharing a cache may differ. */
  inline: boolean;
  module: CompiledModule;
}

export function createCompileCache(): CompileCache {
  return { parsed: new Map(), generated: new Map() };
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Every module of the program, dependencies first (engine modules included). */
  modules: CompiledModule[];
  program: CheckedProgram | null;
}

export function compileProgram(roots: string[], provider: SourceProvider, options: CompileOptions = {}): CompileResult {
  const loaded = loadModules(roots, provider, options.cache ?? null, options.rootsFile ?? null);
  // In a cycle one module is checked before a module it imports, so every use of that import
  // would be reported as unknown too: report the cycle alone.
  if (loaded.diagnostics.some((diagnostic) => diagnostic.code === IMPORT_CYCLE)) {
    return { ok: false, diagnostics: loaded.diagnostics, modules: [], program: null };
  }
  const program = checkProgram(loaded.inputs, { previousTypes: options.previousTypes });
  const diagnostics = [...loaded.diagnostics, ...program.diagnostics];
  if (hasErrors(diagnostics)) return { ok: false, diagnostics, modules: [], program };
  const keys = options.cache ? generationKeys(loaded.inputs) : null;
  const modules = program.modules.map((module) => {
    const key = keys?.get(module.name);
    const cached = key ? options.cache!.generated.get(module.name) : undefined;
    const inline = options.inline ?? true;
    if (cached && key && cached.inline === inline && sameFiles(cached.key, key)) return cached.module;
    const generated = generateModule(program, module, { inline });
    if (key) options.cache!.generated.set(module.name, { key, inline, module: generated });
    return generated;
  });
  return { ok: true, diagnostics, modules, program };
}

const MENTIONS_OLD = /(^|[\s(:,])old\s/;

/**
 * Per module, the source files its generated code depends on: its own and those of every module
 * it reaches through imports (inputs come dependencies first), each once, in name order. The
 * parse cache hands back the same file object while a file's path and text are unchanged, so
 * comparing files by identity tells whether the code could differ. A module that mentions `old`
 * types, or reaches one that does, gets no key: what `old T` means changes with the running
 * version.
 */
function generationKeys(inputs: readonly ModuleInput[]): Map<string, readonly SourceFile[]> {
  const reached = new Map<string, Map<string, SourceFile>>();
  const uncacheable = new Set<string>();
  const keys = new Map<string, readonly SourceFile[]>();
  for (const input of inputs) {
    const closure = new Map([[input.name, input.file]]);
    let blocked = MENTIONS_OLD.test(input.file.text);
    for (const name of importedModules(input, inputs)) {
      for (const [inner, file] of reached.get(name) ?? []) closure.set(inner, file);
      blocked ||= uncacheable.has(name);
    }
    reached.set(input.name, closure);
    if (blocked) uncacheable.add(input.name);
    else keys.set(input.name, [...closure.keys()].sort().map((name) => closure.get(name)!));
  }
  return keys;
}

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((file, index) => file === b[index]);
}

/** Modules an input's code can depend on: those it imports, and `hot` when it uses it implicitly. */
function importedModules(input: ModuleInput, inputs: readonly ModuleInput[]): string[] {
  const names = new Set(inputs.map((other) => other.name));
  const found = new Set<string>();
  if (usesImplicitHot(input)) found.add("hot");
  for (const item of input.ast.items) {
    if (item.kind !== "ImportItem") continue;
    const whole = item.path.segments.join("/");
    const owner = item.path.segments.slice(0, -1).join("/");
    if (names.has(whole)) found.add(whole);
    else if (names.has(owner)) found.add(owner);
  }
  return [...found].sort();
}

interface Loaded {
  inputs: ModuleInput[];
  diagnostics: Diagnostic[];
}

/** Parses every module reachable from the roots and orders them so imports come first. */
function loadModules(roots: string[], provider: SourceProvider, cache: CompileCache | null, rootsFile: SourceFile | null): Loaded {
  const parsed = new Map<string, ModuleInput>();
  const diagnostics: Diagnostic[] = [];
  const ordered: ModuleInput[] = [];
  const visiting = new Set<string>();

  const visit = (name: string): boolean => {
    if (parsed.has(name)) return !visiting.has(name);
    const input = parseNamed(name, provider, diagnostics, cache);
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
  for (const root of roots) {
    if (!visit(root) && !parsed.has(root)) diagnostics.push(missingRoot(root, rootsFile));
  }
  return { inputs: ordered, diagnostics };
}

/**
 * A root nothing provides (a manifest naming a module that is not there, a misspelt name) would
 * otherwise leave the game running without it, silently.
 */
function missingRoot(name: string, rootsFile: SourceFile | null): Diagnostic {
  const message = `cannot find module ${name}: there is no ${name}.rib`;
  if (!rootsFile) return error(createSourceFile(`${name}.rib`, ""), { start: 0, end: 0 }, MISSING_ROOT, message);
  const named = [`"${name}"`, `"${name}.rib"`].map((text) => ({ text, at: rootsFile.text.indexOf(text) })).find((found) => found.at >= 0);
  const span = named ? { start: named.at, end: named.at + named.text.length } : { start: 0, end: 0 };
  return error(rootsFile, span, MISSING_ROOT, message, [{ message: "modules are listed here in update order: create the file, or correct or remove the name" }]);
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

function parseNamed(name: string, provider: SourceProvider, diagnostics: Diagnostic[], cache: CompileCache | null): ModuleInput | null {
  const builtin = isBuiltinModule(name);
  const source = builtin ? { path: `<engine>/${name}.rib`, text: BUILTIN_MODULE_SOURCES[name] } : provider(name);
  if (!source) return null;
  const cacheKey = `${name}\u0000${source.path}`;
  const cached = cache?.parsed.get(cacheKey);
  if (cached && cached.text === source.text) {
    diagnostics.push(...cached.diagnostics);
    return cached.input;
  }
  const file = createSourceFile(source.path, source.text);
  const result = parseModule(file);
  diagnostics.push(...result.diagnostics);
  const input = { name, file, ast: result.ast, builtin };
  cache?.parsed.set(cacheKey, { text: source.text, input, diagnostics: result.diagnostics });
  return input;
}

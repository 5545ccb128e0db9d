// Module sources in recordings: what a compile read (captured through its SourceProvider), stored
// once per distinct text under its content hash, and served back to the compiler on replay.

import type { SourceProvider, SourceText } from "../compiler/compile.ts";
import type { CompiledModule } from "../runtime/module.ts";
import type { ProgramRecord, Recording } from "./format.ts";
import { contentHash } from "./hash.ts";

/** Module name → the source the compiler got for it. */
export type SourceSet = Map<string, SourceText>;

export interface CapturingProvider {
  provider: SourceProvider;
  /** Starts a new capture (before a compile). */
  reset(): void;
  /** What the provider returned since the last reset (names it returned null for are left out). */
  take(): SourceSet;
}

/** Wraps a provider so every source it hands out is remembered. */
export function captureSources(inner: SourceProvider): CapturingProvider {
  let seen: SourceSet = new Map();
  return {
    provider: (name) => {
      const source = inner(name);
      if (source) seen.set(name, { path: source.path, text: source.text });
      return source;
    },
    reset: () => {
      seen = new Map();
    },
    take: () => new Map(seen),
  };
}

/** The game modules of a compiled program (engine modules are built in, not recorded). */
export function sourcesOf(modules: readonly CompiledModule[]): SourceSet {
  const set: SourceSet = new Map();
  for (const module of modules) if (!module.path.startsWith("<engine>/")) set.set(module.name, { path: module.path, text: module.source });
  return set;
}

/** Adds a program's texts to the source table and returns its record. */
export function programRecord(table: Record<string, string>, roots: readonly string[], sources: SourceSet, base: number | null): ProgramRecord {
  const modules: ProgramRecord["modules"] = {};
  for (const name of [...sources.keys()].sort()) {
    const source = sources.get(name)!;
    const hash = contentHash(source.text);
    table[hash] = source.text;
    modules[name] = { path: source.path, source: hash };
  }
  return { roots: [...roots], modules, base };
}

/** The compiler's view of a recorded program: exactly the modules it read, nothing else. */
export function recordedProvider(recording: Recording, program: number): SourceProvider {
  const modules = recording.programs[program].modules;
  return (name) => {
    if (!Object.hasOwn(modules, name)) return null;
    const entry = modules[name];
    return { path: entry.path, text: recording.sources[entry.source] };
  };
}

/** A provider whose program can be switched (one replay session goes through every reload). */
export interface SwitchableProvider {
  provider: SourceProvider;
  /** The session's roots array: switching refills it in place, as the dev loop does. */
  roots: string[];
  /** Serve recorded program `program`. */
  use(program: number): void;
  /** Serve other sources (today's files, for `--current`). */
  useSources(provider: SourceProvider, roots: readonly string[]): void;
}

export function switchableProvider(recording: Recording): SwitchableProvider {
  let current = recordedProvider(recording, 0);
  const roots = [...recording.programs[0].roots];
  const useSources = (provider: SourceProvider, next: readonly string[]) => {
    current = provider;
    roots.splice(0, roots.length, ...next);
  };
  return {
    provider: (name) => current(name),
    roots,
    use: (program) => useSources(recordedProvider(recording, program), recording.programs[program].roots),
    useSources,
  };
}

/** A program's sources as a SourceSet (what the recorder stores for it). */
export function recordedSources(recording: Recording, program: number): SourceSet {
  const set: SourceSet = new Map();
  for (const [name, entry] of Object.entries(recording.programs[program].modules)) set.set(name, { path: entry.path, text: recording.sources[entry.source] });
  return set;
}

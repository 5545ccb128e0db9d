// Helpers for the replay tests: the small test game (test/replay/game) held in memory, scripted
// input, and recorded sessions driven through engine/replay exactly as a live session would be.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InputFrame } from "../../engine/runtime/host.ts";
import { NO_INPUT } from "../../engine/runtime/host.ts";
import type { Recording } from "../../engine/replay/format.ts";
import { contentHash } from "../../engine/replay/hash.ts";
import { startRecordedSession, type RecordedSession, type RecordedSessionOptions } from "../../engine/replay/session.ts";
import type { CurrentSources } from "../../engine/replay/replay.ts";

export const here = dirname(fileURLToPath(import.meta.url));
export const gameDir = join(here, "game");
export const replaysDir = join(here, "../replays");

/** Module name → source of every .rib file in a folder. */
export function readGame(dir = gameDir): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir)) if (file.endsWith(".rib")) sources[file.slice(0, -4)] = readFileSync(join(dir, file), "utf8");
  return sources;
}

export function sourcesProvider(sources: Record<string, string>) {
  return (name: string) => (Object.hasOwn(sources, name) ? { path: `${name}.rib`, text: sources[name] } : null);
}

export function currentSources(sources: Record<string, string>, roots = ["main"]): CurrentSources {
  return { provider: sourcesProvider(sources), roots };
}

export function frame(down: string[] = [], pressed: string[] = [], pointer = { x: 0, y: 0 }): InputFrame {
  return { down: new Set(down), pressed: new Set(pressed), released: new Set(), pointer, pointerDown: false, pointerPressed: false };
}

/** A deterministic input script: walks right, then down, bursts every 40 ticks, some idle stretches. */
export function scriptedInput(tick: number): InputFrame {
  if (tick % 40 === 10) return frame(["right"], ["space"]);
  if (tick < 30) return NO_INPUT;
  if (tick < 120) return frame(["right"]);
  if (tick < 150) return frame(["down", "left"], [], { x: tick, y: 2 * tick });
  return tick % 97 < 20 ? frame(["up"]) : NO_INPUT;
}

export interface LiveSession {
  sources: Record<string, string>;
  recorded: RecordedSession;
  lines: string[];
  step(ticks: number, input?: (tick: number) => InputFrame): void;
  edit(module: string, source: string): ReturnType<RecordedSession["reload"]>;
  finish(): Recording;
}

/** A recorded dev session over in-memory sources (edit + reload like a designer saving a file). */
export function liveSession(initial: Record<string, string>, options: Partial<RecordedSessionOptions> = {}): LiveSession {
  const sources = { ...initial };
  const lines: string[] = [];
  const started = startRecordedSession({
    roots: ["main"],
    provider: sourcesProvider(sources),
    host: { log: (line) => lines.push(line), runtimeError: (error) => lines.push(`error: ${error.message}`) },
    ...options,
  });
  if (!started.ok) throw new Error(started.diagnostics);
  const recorded = started.recorded;
  return {
    sources,
    recorded,
    lines,
    step(ticks, input = scriptedInput) {
      for (let index = 0; index < ticks; index++) recorded.step(input(recorded.recorder.ticks));
    },
    edit(module, source) {
      sources[module] = source;
      return recorded.reload();
    },
    finish: () => recorded.finish(),
  };
}

/** Replaces one exact piece of a module's source; fails loudly when it is not there. */
export function change(source: string, from: string, to: string): string {
  if (!source.includes(from)) throw new Error(`not in source: ${from}`);
  return source.replace(from, to);
}

/**
 * A copy of the recording whose stored source of `module` (in every program) is edited, the file
 * kept consistent: as if the engine had changed under the recording.
 */
export function alterRecordedSource(recording: Recording, module: string, edit: (text: string) => string): Recording {
  const copy: Recording = structuredClone(recording);
  for (const program of copy.programs) {
    const entry = program.modules[module];
    const text = edit(copy.sources[entry.source]);
    copy.sources[contentHash(text)] = text;
    entry.source = contentHash(text);
  }
  return copy;
}

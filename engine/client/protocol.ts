// The live-update channel's messages, server → page and page → server: a tagged union per
// direction, one JSON object per WebSocket message. Shared by engine/server (Node) and
// engine/client (the page), so it imports only plain data types.

import type { CompiledModule } from "../runtime/module.ts";
import type { ReloadPackage } from "../reload/plan-types.ts";
import type { ReloadReport } from "../reload/report.ts";

/** What the page needs to know about the game besides its code. */
export interface GameInfo {
  name: string;
  seed: number;
  /** The manifest's modules: the roots the program was compiled from (a recording needs them). */
  roots: string[];
  /** Texture name → URL under /assets/ (with a version query, so a changed file is refetched). */
  textures: Record<string, string>;
}

export type ServerMessage =
  /** The program that runs now: the page (re)creates its world from it. */
  | { kind: "start"; game: GameInfo; modules: CompiledModule[]; versions: Record<string, number> }
  /**
   * The sources (or the manifest) cannot be used: the page shows the errors. Before a `start` it
   * waits for one; a game already running goes on as it was.
   */
  | { kind: "waiting"; reason: string; details: string }
  /** Apply at the next frame boundary and answer with a `report` carrying the same id. */
  | { kind: "reload"; id: number; pkg: ReloadPackage }
  /** A texture file changed: load it and swap it in at the next frame boundary. */
  | { kind: "texture"; name: string; url: string }
  /** A texture file changed but is unusable: keep the old texture. */
  | { kind: "texture-error"; name: string; reason: string };

export type ClientMessage =
  | { kind: "report"; id: number; report: ReloadReport }
  /** Probation rolled back the reload `id`, some ticks after it was reported. */
  | { kind: "rollback"; id: number; report: ReloadReport }
  | { kind: "log"; line: string }
  | { kind: "runtime-error"; message: string }
  | { kind: "texture-status"; name: string; ok: boolean; reason: string };

/** Parses one incoming message; null for anything that is not an object with a string `kind`. */
export function parseMessage<T extends { kind: string }>(text: string): T | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || typeof (value as { kind?: unknown }).kind !== "string") return null;
    return value as T;
  } catch {
    return null;
  }
}

export function unreachable(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}

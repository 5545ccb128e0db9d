// The host interface: everything the simulation gets from outside (log output, input, randomness
// state, draw commands) goes through here, so Node, the browser and tests run the same engine.

import type { RibbonRuntimeError } from "./errors.ts";

export interface InputFrame {
  /** Keys held this tick, as Ribbon symbol names ('left, 'space...). */
  down: ReadonlySet<string>;
  pressed: ReadonlySet<string>;
  released: ReadonlySet<string>;
  pointer: { x: number; y: number };
  pointerDown: boolean;
  pointerPressed: boolean;
}

/** No keys, no pointer. Frozen: an input log recognises it (and frames it decoded) without encoding. */
export const NO_INPUT: InputFrame = Object.freeze({
  down: new Set<string>(),
  pressed: new Set<string>(),
  released: new Set<string>(),
  pointer: { x: 0, y: 0 },
  pointerDown: false,
  pointerPressed: false,
});

export type DrawCommand =
  | { kind: "sprite"; texture: string; x: number; y: number; rotation: number; scale: number; tint: number }
  | { kind: "circle"; x: number; y: number; radius: number; color: number }
  | { kind: "rect"; x: number; y: number; width: number; height: number; color: number }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; width: number; color: number }
  | { kind: "text"; text: string; x: number; y: number; size: number; color: number }
  | { kind: "camera"; x: number; y: number; zoom: number };

export interface Host {
  /** One printed line (the Log effect). */
  log(line: string): void;
  /** A runtime error in Ribbon code; the game keeps running. */
  runtimeError(error: RibbonRuntimeError): void;
}

/** A host that collects output in memory: tests and headless tools. */
export function createMemoryHost(): Host & { lines: string[]; errors: RibbonRuntimeError[] } {
  const lines: string[] = [];
  const errors: RibbonRuntimeError[] = [];
  return {
    lines,
    errors,
    log: (line) => lines.push(line),
    runtimeError: (error) => errors.push(error),
  };
}

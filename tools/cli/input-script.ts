// Scripted input for headless runs (`ribbon run GAME --input FILE`): a short JSON list of key and
// pointer states turned into one InputFrame per tick. Kept apart from the CLI so replays and tests
// can share it.

import { NO_INPUT, type InputFrame } from "../../engine/runtime/host.ts";

/** One entry of an input script, as written in the JSON file. */
export interface InputScriptEntry {
  tick: number;
  down?: string[];
  pointer?: [number, number];
  pointerDown?: boolean;
}

export interface InputScriptData {
  frames: InputScriptEntry[];
}

export interface InputScript {
  /** Ticks covered by entries: the tick of the last entry plus one (it holds on after that). */
  readonly length: number;
  /** The input of tick `tick` (0-based). */
  at(tick: number): InputFrame;
}

/**
 * Reads an input script. Format (JSON):
 *
 *     { "frames": [ { "tick": 0, "down": ["up", "left"], "pointer": [640, 360], "pointerDown": true },
 *                   { "tick": 90, "down": ["space"] },
 *                   { "tick": 120 } ] }
 *
 * - Each entry holds from its `tick` until the next entry's tick; the last one holds forever.
 *   Before the first entry there is no input. Ticks are whole numbers, strictly increasing.
 * - `down`: keys held, as Ribbon symbol names without the quote ("left", "space", "a", "r");
 *   omitted: no key held.
 * - `pointer`: [x, y] in canvas pixels; omitted: stays where the previous entry left it
 *   (initially [0, 0]), like a mouse nobody touches.
 * - `pointerDown`: the pointer button is held; omitted: false.
 * - `pressed` / `released` (and `pointerPressed`) are not written: they are derived from the
 *   changes of `down` (and `pointerDown`) between one tick and the next, so they are true on the
 *   first tick of an entry only. To tap the same key twice, put an entry without it in between.
 *
 * Throws an Error whose message says what is wrong with the file.
 */
export function parseInputScript(text: string): InputScript {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`input script: ${(error as Error).message}`);
  }
  return createInputScript(validate(parsed));
}

function validate(value: unknown): InputScriptData {
  const fail = (message: string): never => {
    throw new Error(`input script: ${message}`);
  };
  if (typeof value !== "object" || value === null || !Array.isArray((value as { frames?: unknown }).frames)) {
    fail(`expected { "frames": [ { "tick": 0, "down": [...] }, ... ] }`);
  }
  const frames = (value as { frames: unknown[] }).frames;
  let previous = -1;
  frames.forEach((entry, index) => {
    const where = `frames[${index}]`;
    if (typeof entry !== "object" || entry === null) fail(`${where} must be an object`);
    const record = entry as Record<string, unknown>;
    if (!Number.isInteger(record.tick) || (record.tick as number) < 0) fail(`${where}.tick must be a whole number >= 0`);
    if ((record.tick as number) <= previous) fail(`${where}.tick (${String(record.tick)}) must be greater than the previous entry's (${previous})`);
    previous = record.tick as number;
    if (record.down !== undefined && (!Array.isArray(record.down) || record.down.some((key) => typeof key !== "string"))) {
      fail(`${where}.down must be a list of key names like ["left", "space"]`);
    }
    if (
      record.pointer !== undefined &&
      (!Array.isArray(record.pointer) || record.pointer.length !== 2 || record.pointer.some((n) => typeof n !== "number" || !Number.isFinite(n)))
    ) {
      fail(`${where}.pointer must be [x, y]`);
    }
    if (record.pointerDown !== undefined && typeof record.pointerDown !== "boolean") fail(`${where}.pointerDown must be true or false`);
  });
  return value as InputScriptData;
}

interface Segment {
  tick: number;
  /** The input on the entry's first tick (with pressed/released edges). */
  first: InputFrame;
  /** The input on its later ticks (no edges). */
  rest: InputFrame;
}

/** An input script from data already in memory (validated by the caller or trusted, as in tests). */
export function createInputScript(data: InputScriptData): InputScript {
  const segments: Segment[] = [];
  let down = new Set<string>();
  let pointer = { x: 0, y: 0 };
  let pointerDown = false;
  for (const entry of data.frames) {
    const nextDown = new Set(entry.down ?? []);
    const nextPointer = entry.pointer ? { x: entry.pointer[0], y: entry.pointer[1] } : pointer;
    const nextPointerDown = entry.pointerDown ?? false;
    const rest: InputFrame = { down: nextDown, pressed: new Set(), released: new Set(), pointer: nextPointer, pointerDown: nextPointerDown, pointerPressed: false };
    const first: InputFrame = {
      ...rest,
      pressed: new Set([...nextDown].filter((key) => !down.has(key))),
      released: new Set([...down].filter((key) => !nextDown.has(key))),
      pointerPressed: nextPointerDown && !pointerDown,
    };
    segments.push({ tick: entry.tick, first, rest });
    down = nextDown;
    pointer = nextPointer;
    pointerDown = nextPointerDown;
  }
  let cursor = 0;
  return {
    length: segments.length === 0 ? 0 : segments[segments.length - 1].tick + 1,
    at(tick) {
      if (segments.length === 0 || tick < segments[0].tick) return NO_INPUT;
      // Sequential reads (the usual case) move the cursor by at most one step.
      if (segments[cursor].tick > tick) cursor = 0;
      while (cursor + 1 < segments.length && segments[cursor + 1].tick <= tick) cursor++;
      const segment = segments[cursor];
      return segment.tick === tick ? segment.first : segment.rest;
    },
  };
}

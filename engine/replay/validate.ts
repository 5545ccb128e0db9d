// Reading a replay file: JSON text → a checked Recording, or an error as data with a sentence a
// person can act on (truncated file, not a replay, another format version, a damaged field, a
// missing or altered module source). Nothing here throws at the caller.

import type { ReloadOutcome } from "../reload/report.ts";
import { FORMAT_NAME, FORMAT_VERSION, ENGINE_VERSION, type Recording } from "./format.ts";
import { contentHash } from "./hash.ts";
import { SLOT_SPAN } from "../runtime/pool.ts";

export type ReplayErrorKind =
  | "truncated"
  | "not-json"
  | "not-a-replay"
  | "version"
  | "invalid"
  | "missing-source"
  | "corrupt-source"
  | "compile"
  | "seek"
  | "current";

export interface ReplayError {
  kind: ReplayErrorKind;
  message: string;
}

export type ParseResult = { ok: true; recording: Recording; warnings: string[] } | { ok: false; error: ReplayError };

class Invalid extends Error {
  constructor(
    readonly kind: ReplayErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function parseRecording(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: jsonError(text, error as Error) };
  }
  return checkRecording(value);
}

/** Checks an already parsed value (e.g. a recording handed over in memory). */
export function checkRecording(value: unknown): ParseResult {
  try {
    const recording = checkTop(value);
    const warnings = recording.engine === ENGINE_VERSION ? [] : [`recorded with engine ${recording.engine}, replaying with ${ENGINE_VERSION}: a divergence may come from the engine change`];
    return { ok: true, recording, warnings };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, error: { kind: error.kind, message: error.message } };
    return { ok: false, error: { kind: "invalid", message: `unreadable replay: ${(error as Error).message}` } };
  }
}

function jsonError(text: string, error: Error): ReplayError {
  const trimmed = text.trimEnd();
  if (trimmed === "") return { kind: "truncated", message: "the file is empty" };
  if (/end of (json )?input|unterminated|unexpected end/i.test(error.message) || (trimmed.startsWith("{") && !trimmed.endsWith("}"))) {
    return { kind: "truncated", message: `the file ends early (truncated after ${text.length} characters?): ${error.message}` };
  }
  return { kind: "not-json", message: `the file is not valid JSON (corrupt?): ${error.message}` };
}

// ---------------------------------------------------------------- structure

type Json = Record<string, unknown>;

function fail(path: string, expected: string, kind: ReplayErrorKind = "invalid"): never {
  throw new Invalid(kind, `${path}: expected ${expected}`);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "an object");
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, "an array");
  return value;
}

function whole(value: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(path, `a whole number from ${min} to ${max}`);
  return value as number;
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string") fail(path, "a string");
  return value;
}

function strings(value: unknown, path: string): string[] {
  return array(value, path).map((item, index) => string(item, `${path}[${index}]`));
}

function hex(value: unknown, path: string, digits: number): string {
  const text = string(value, path);
  if (text.length !== digits || !/^[0-9a-f]+$/.test(text)) fail(path, `${digits} hex digits`);
  return text;
}

function checkTop(value: unknown): Recording {
  const top = object(value, "replay");
  if (top.format !== FORMAT_NAME) throw new Invalid("not-a-replay", `not a Ribbon replay file (it has no "format": "${FORMAT_NAME}")`);
  if (top.version !== FORMAT_VERSION) {
    const version = Number.isInteger(top.version) ? (top.version as number) : String(top.version);
    const which = typeof version === "number" && version > FORMAT_VERSION ? "newer than this engine reads" : "not one this engine reads";
    throw new Invalid("version", `replay format version ${version} is ${which} (it reads version ${FORMAT_VERSION}); recorded with engine ${String(top.engine)}, this is ${ENGINE_VERSION}`);
  }
  string(top.engine, "engine");
  const game = object(top.game, "game");
  if (typeof game.seed !== "number" || !Number.isFinite(game.seed)) fail("game.seed", "a number");
  whole(game.probationTicks, "game.probationTicks");
  if (game.path !== null) string(game.path, "game.path");
  strings(game.order, "game.order");
  const settings = object(top.settings, "settings");
  whole(settings.hashEvery, "settings.hashEvery", 1);
  whole(settings.checkpointEvery, "settings.checkpointEvery");
  const meta = object(top.meta ?? {}, "meta");
  for (const [key, item] of Object.entries(meta)) string(item, `meta.${key}`);
  const sources = checkSources(top.sources);
  const ticks = whole(top.ticks, "ticks");
  const programs = array(top.programs, "programs");
  if (programs.length === 0) fail("programs", "at least the starting program");
  programs.forEach((program, index) => checkProgram(program, index, sources));
  checkInput(top.input, ticks);
  checkReloads(top.reloads, ticks, programs.length);
  const reloads = (top.reloads as unknown[]).length;
  array(top.rollbacks, "rollbacks").forEach((item, index) => {
    const rollback = object(item, `rollbacks[${index}]`);
    whole(rollback.tick, `rollbacks[${index}].tick`, 0, ticks);
    whole(rollback.reload, `rollbacks[${index}].reload`, 0, Math.max(0, reloads - 1));
    string(rollback.reason, `rollbacks[${index}].reason`);
  });
  checkHashes(top.hashes, ticks, settings.hashEvery as number);
  checkCheckpoints(top.checkpoints, ticks, programs.length);
  return { ...(top as unknown as Recording), meta: meta as Record<string, string> };
}

function checkSources(value: unknown): Json {
  const sources = object(value, "sources");
  for (const [hash, text] of Object.entries(sources)) {
    string(text, `sources.${hash}`);
    if (contentHash(text as string) !== hash) {
      throw new Invalid("corrupt-source", `sources.${hash}: the text does not match its content hash (the file was edited or damaged)`);
    }
  }
  return sources;
}

function checkProgram(value: unknown, index: number, sources: Json): void {
  const path = `programs[${index}]`;
  const program = object(value, path);
  if (strings(program.roots, `${path}.roots`).length === 0) fail(`${path}.roots`, "at least one root module");
  for (const [name, item] of Object.entries(object(program.modules, `${path}.modules`))) {
    const entry = object(item, `${path}.modules.${name}`);
    string(entry.path, `${path}.modules.${name}.path`);
    const hash = string(entry.source, `${path}.modules.${name}.source`);
    if (!Object.hasOwn(sources, hash)) {
      throw new Invalid("missing-source", `module ${name} (${String(entry.path)}) of program ${index} has source ${hash}, which the file's source table does not contain`);
    }
  }
  if (index === 0 && program.base !== null) fail(`${path}.base`, "null (the starting program)");
  if (index > 0 && program.base !== null) whole(program.base, `${path}.base`, 0, index - 1);
}

function checkInput(value: unknown, ticks: number): void {
  let total = 0;
  array(value, "input").forEach((item, index) => {
    const path = `input[${index}]`;
    const run = array(item, path);
    if (run.length !== 2) fail(path, "[ticks, frame]");
    total += whole(run[0], `${path}[0]`, 1);
    const frame = object(run[1], `${path}[1]`);
    for (const key of ["down", "pressed", "released"]) if (frame[key] !== undefined) strings(frame[key], `${path}[1].${key}`);
    if (frame.pointer !== undefined) {
      const pointer = array(frame.pointer, `${path}[1].pointer`);
      if (pointer.length !== 2 || pointer.some((n) => typeof n !== "number" || !Number.isFinite(n))) fail(`${path}[1].pointer`, "[x, y]");
    }
    for (const key of ["pointerDown", "pointerPressed"]) if (frame[key] !== undefined && typeof frame[key] !== "boolean") fail(`${path}[1].${key}`, "true or false");
  });
  if (total !== ticks) {
    const kind = total < ticks ? "truncated" : "invalid";
    throw new Invalid(kind, `the input covers ${total} ticks but the recording says ${ticks} (${total < ticks ? "cut short?" : "damaged?"})`);
  }
}

const OUTCOMES = new Set<ReloadOutcome>(["swapped", "migrated", "reset", "restarted", "rejected", "rolled-back"]);

function checkReloads(value: unknown, ticks: number, programs: number): void {
  let previous = 0;
  array(value, "reloads").forEach((item, index) => {
    const path = `reloads[${index}]`;
    const reload = object(item, path);
    previous = whole(reload.tick, `${path}.tick`, previous, ticks);
    whole(reload.program, `${path}.program`, 0, programs - 1);
    if (!OUTCOMES.has(reload.outcome as ReloadOutcome)) fail(`${path}.outcome`, [...OUTCOMES].join(" / "));
    strings(reload.modules, `${path}.modules`);
    string(reload.reason, `${path}.reason`);
    whole(reload.resimulated, `${path}.resimulated`);
  });
}

/**
 * Strictly in tick order, ending at the last tick, and one at every multiple of hashEvery (the
 * recorder takes those; it adds others where a session pinned its head): a record missing or
 * moved would silently leave its ticks unchecked.
 */
function checkHashes(value: unknown, ticks: number, hashEvery: number): void {
  const hashes = array(value, "hashes");
  let previous = -1;
  let due = 0;
  hashes.forEach((item, index) => {
    const path = `hashes[${index}]`;
    const hash = object(item, path);
    previous = whole(hash.tick, `${path}.tick`, previous + 1, ticks);
    if (previous > due) throw new Invalid("invalid", `${path}: no world hash at tick ${due}, though the recording takes one every ${hashEvery} ticks (the file was edited or damaged)`);
    if (previous === due) due += hashEvery;
    hex(hash.world, `${path}.world`, 8);
    const modules = Object.entries(object(hash.modules, `${path}.modules`));
    if (modules.length === 0) fail(`${path}.modules`, "the hash of each module");
    for (const [module, digest] of modules) hex(digest, `${path}.modules.${module}`, 8);
  });
  if (previous !== ticks) throw new Invalid("truncated", `the recording has no world hash at its last tick ${ticks} (cut short?)`);
}

function checkCheckpoints(value: unknown, ticks: number, programs: number): void {
  let previous = -1;
  array(value, "checkpoints").forEach((item, index) => {
    const path = `checkpoints[${index}]`;
    const checkpoint = object(item, path);
    previous = whole(checkpoint.tick, `${path}.tick`, previous + 1, ticks);
    whole(checkpoint.program, `${path}.program`, 0, programs - 1);
    if (typeof checkpoint.restorable !== "boolean") fail(`${path}.restorable`, "true or false");
    checkImage(checkpoint.world, `${path}.world`);
  });
}

function checkImage(value: unknown, path: string): void {
  const image = object(value, path);
  whole(image.tick, `${path}.tick`);
  const random = array(image.random, `${path}.random`);
  if (random.length !== 4) fail(`${path}.random`, "four words");
  random.forEach((word, index) => whole(word, `${path}.random[${index}]`, 0, 0xffffffff));
  whole(image.nextFiberId, `${path}.nextFiberId`);
  whole(image.fibers, `${path}.fibers`);
  if (image.stacks !== undefined) checkStacks(image.stacks, `${path}.stacks`);
  if (image.unsaved !== undefined) string(image.unsaved, `${path}.unsaved`);
  if (image.unkept !== undefined) string(image.unkept, `${path}.unkept`);
  if (typeof image.probation !== "boolean") fail(`${path}.probation`, "true or false");
  for (const [module, item] of Object.entries(object(image.halted, `${path}.halted`))) {
    const halted = object(item, `${path}.halted.${module}`);
    string(halted.kind, `${path}.halted.${module}.kind`);
    string(halted.message, `${path}.halted.${module}.message`);
  }
  array(image.modules, `${path}.modules`).forEach((item, index) => {
    const modulePath = `${path}.modules[${index}]`;
    const module = object(item, modulePath);
    string(module.name, `${modulePath}.name`);
    whole(module.version, `${modulePath}.version`);
    object(module.state, `${modulePath}.state`);
    array(module.pools, `${modulePath}.pools`).forEach((pool, poolIndex) => checkPool(pool, `${modulePath}.pools[${poolIndex}]`));
  });
}

function checkStacks(value: unknown, path: string): void {
  array(value, path).forEach((item, index) => {
    const fiberPath = `${path}[${index}]`;
    const fiber = object(item, fiberPath);
    whole(fiber.id, `${fiberPath}.id`);
    string(fiber.module, `${fiberPath}.module`);
    whole(fiber.wakeTick, `${fiberPath}.wakeTick`);
    const frames = array(fiber.frames, `${fiberPath}.frames`);
    if (frames.length === 0) fail(`${fiberPath}.frames`, "at least one frame");
    frames.forEach((entry, frameIndex) => {
      const framePath = `${fiberPath}.frames[${frameIndex}]`;
      const frame = object(entry, framePath);
      string(frame.module, `${framePath}.module`);
      string(frame.fn, `${framePath}.fn`);
      whole(frame.at, `${framePath}.at`);
      array(frame.locals, `${framePath}.locals`);
    });
  });
}

const BYTES: Record<string, number> = { f64: 8, i32: 4, bool: 1 };

function checkPool(value: unknown, path: string): void {
  const pool = object(value, path);
  string(pool.key, `${path}.key`);
  string(pool.name, `${path}.name`);
  // No pool holds more elements than a handle has slot bits for (runtime/pool.ts).
  const size = whole(pool.size, `${path}.size`, 0, SLOT_SPAN);
  whole(pool.live, `${path}.live`, 0, size);
  array(pool.free, `${path}.free`).forEach((slot, index) => whole(slot, `${path}.free[${index}]`, 0, Math.max(0, size - 1)));
  base64Of(pool.gens, `${path}.gens`, size * 4);
  array(pool.columns, `${path}.columns`).forEach((item, index) => {
    const columnPath = `${path}.columns[${index}]`;
    const column = object(item, columnPath);
    string(column.path, `${columnPath}.path`);
    if (column.kind === "value") {
      if (array(column.values, `${columnPath}.values`).length !== size) fail(`${columnPath}.values`, `${size} values`);
    } else if (typeof column.kind === "string" && column.kind in BYTES) base64Of(column.data, `${columnPath}.data`, size * BYTES[column.kind]);
    else fail(`${columnPath}.kind`, "f64 / i32 / bool / value");
  });
}

function base64Of(value: unknown, path: string, bytes: number): void {
  const text = string(value, path);
  if (text.length !== Math.ceil(bytes / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail(path, `base64 of ${bytes} bytes`);
}

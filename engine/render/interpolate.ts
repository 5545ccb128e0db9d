// Interpolation between two fixed ticks' draw lists. The lists carry no entity ids, so which
// command of the previous tick is "the same thing" as a command of the current tick is guessed by
// `pairCommands`: commands are grouped by identity (kind plus texture, text string or colour), the
// n-th command of a group in the previous tick pairs with the n-th of the same group now, and only
// when it moved less than `MAX_BLEND_DISTANCE` (otherwise it is a different thing, or a teleport,
// and is drawn where the current tick put it). Pairing by plain list index would blend unrelated
// commands whenever something earlier in the list spawns or dies (HUD texts sliding into their
// neighbours). Text is never blended across different strings: the string is part of its identity.
// Pure: the lists (the simulation's output) are never changed.

import type { DrawCommand } from "../runtime/host.ts";

/** A command that moved further than this (in world units, per axis) in one tick is not blended. */
export const MAX_BLEND_DISTANCE = 64;

function lerp(from: number, to: number, alpha: number): number {
  return from + (to - from) * alpha;
}

/** `to - from` wrapped to (-π, π]: the short way around. */
export function angleDelta(from: number, to: number): number {
  const turn = 2 * Math.PI;
  let delta = (to - from) % turn;
  if (delta <= -Math.PI) delta += turn;
  else if (delta > Math.PI) delta -= turn;
  return delta;
}

/** Blends an angle the short way around (so 179° → -179° turns 2°, not 358°). */
export function lerpAngle(from: number, to: number, alpha: number): number {
  return from + angleDelta(from, to) * alpha;
}

/** What makes two commands of consecutive ticks candidates for the same thing. */
export function identityKey(command: DrawCommand): string {
  switch (command.kind) {
    case "sprite":
      return `sprite\u0000${command.texture}`;
    case "text":
      return `text\u0000${command.text}`;
    case "circle":
    case "rect":
    case "line":
      return `${command.kind}\u0000${command.color}`;
    case "camera":
      return "camera";
    default:
      return assertNever(command);
  }
}

/** Whether `current` is close enough to `previous` (same identity assumed) to be the same thing moving. */
export function closeEnough(previous: DrawCommand, current: DrawCommand): boolean {
  if (previous.kind === "line" && current.kind === "line") {
    return (
      Math.abs(previous.x1 - current.x1) < MAX_BLEND_DISTANCE &&
      Math.abs(previous.y1 - current.y1) < MAX_BLEND_DISTANCE &&
      Math.abs(previous.x2 - current.x2) < MAX_BLEND_DISTANCE &&
      Math.abs(previous.y2 - current.y2) < MAX_BLEND_DISTANCE
    );
  }
  if (previous.kind === "line" || current.kind === "line") return false;
  return Math.abs(previous.x - current.x) < MAX_BLEND_DISTANCE && Math.abs(previous.y - current.y) < MAX_BLEND_DISTANCE;
}

/**
 * For each command of `current`, the index of the command of `previous` it is blended from, or -1
 * (drawn as is). Each previous command is used at most once.
 */
export function pairCommands(previous: readonly DrawCommand[], current: readonly DrawCommand[]): Int32Array {
  const groups = new Map<string, number[]>();
  for (let index = 0; index < previous.length; index++) {
    const key = identityKey(previous[index]);
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  }
  const seen = new Map<string, number>();
  const pairs = new Int32Array(current.length).fill(-1);
  for (let index = 0; index < current.length; index++) {
    const key = identityKey(current[index]);
    const order = seen.get(key) ?? 0;
    seen.set(key, order + 1);
    const candidate = groups.get(key)?.[order];
    if (candidate !== undefined && closeEnough(previous[candidate], current[index])) pairs[index] = candidate;
  }
  return pairs;
}

/** `current` blended from `previous` (already paired: same kind and identity) by `alpha`. */
export function interpolateCommand(previous: DrawCommand | undefined, current: DrawCommand, alpha: number): DrawCommand {
  if (!previous || previous.kind !== current.kind || alpha >= 1) return current;
  switch (current.kind) {
    case "sprite": {
      const from = previous as typeof current;
      if (from.texture !== current.texture) return current;
      return { ...current, x: lerp(from.x, current.x, alpha), y: lerp(from.y, current.y, alpha), rotation: lerpAngle(from.rotation, current.rotation, alpha) };
    }
    case "text": {
      const from = previous as typeof current;
      if (from.text !== current.text) return current;
      return { ...current, x: lerp(from.x, current.x, alpha), y: lerp(from.y, current.y, alpha) };
    }
    case "circle":
    case "rect":
    case "camera": {
      const from = previous as typeof current;
      return { ...current, x: lerp(from.x, current.x, alpha), y: lerp(from.y, current.y, alpha) };
    }
    case "line": {
      const from = previous as typeof current;
      return { ...current, x1: lerp(from.x1, current.x1, alpha), y1: lerp(from.y1, current.y1, alpha), x2: lerp(from.x2, current.x2, alpha), y2: lerp(from.y2, current.y2, alpha) };
    }
    default:
      return assertNever(current);
  }
}

/**
 * The frame to draw between two ticks: each command of `current`, blended with its pair from
 * `previous` (see `pairCommands`; pass `pairs` to reuse a pairing computed for the same lists).
 */
export function interpolateFrame(previous: readonly DrawCommand[], current: readonly DrawCommand[], alpha: number, pairs = pairCommands(previous, current)): DrawCommand[] {
  const frame = new Array<DrawCommand>(current.length);
  for (let index = 0; index < current.length; index++) {
    const pair = pairs[index];
    frame[index] = pair < 0 ? current[index] : interpolateCommand(previous[pair], current[index], alpha);
  }
  return frame;
}

function assertNever(value: never): never {
  throw new Error(`unknown draw command ${JSON.stringify(value)}`);
}

// Interpolation between two fixed ticks' draw lists: the n-th command of the previous tick and of
// the current one are the same thing when they have the same kind (and texture), so its position
// is blended by `alpha`; anything else is drawn where the current tick put it. Pure: the lists
// (the simulation's output) are never changed.

import type { DrawCommand } from "../runtime/host.ts";

function lerp(from: number, to: number, alpha: number): number {
  return from + (to - from) * alpha;
}

export function interpolateCommand(previous: DrawCommand | undefined, current: DrawCommand, alpha: number): DrawCommand {
  if (!previous || previous.kind !== current.kind || alpha >= 1) return current;
  switch (current.kind) {
    case "sprite": {
      const from = previous as typeof current;
      if (from.texture !== current.texture) return current;
      return { ...current, x: lerp(from.x, current.x, alpha), y: lerp(from.y, current.y, alpha), rotation: lerp(from.rotation, current.rotation, alpha) };
    }
    case "circle":
    case "rect":
    case "text":
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

/** A command that wrapped around (teleported) more than this far is not blended. */
const MAX_BLEND_DISTANCE = 200;

export function shouldBlend(previous: DrawCommand | undefined, current: DrawCommand): boolean {
  if (!previous || previous.kind !== current.kind) return false;
  if (current.kind === "line" || previous.kind === "line") return true;
  const from = previous as { x: number; y: number };
  return Math.abs(from.x - current.x) + Math.abs(from.y - current.y) < MAX_BLEND_DISTANCE;
}

function assertNever(value: never): never {
  throw new Error(`unknown draw command ${JSON.stringify(value)}`);
}

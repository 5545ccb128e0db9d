// Interpolation between two ticks' draw lists (engine/render/interpolate.ts), no browser: commands
// pair by identity (kind + texture / text / colour) and order within it, only when they moved a
// little; text never blends across strings; rotations blend the short way around.

import { describe, expect, test } from "vitest";
import { angleDelta, interpolateFrame, lerpAngle, MAX_BLEND_DISTANCE, pairCommands } from "../../engine/render/interpolate.ts";
import type { DrawCommand } from "../../engine/runtime/host.ts";

const sprite = (texture: string, x: number, y: number, rotation = 0): DrawCommand => ({ kind: "sprite", texture, x, y, rotation, scale: 1, tint: 0xffffff });
const text = (value: string, x: number, y: number): DrawCommand => ({ kind: "text", text: value, x, y, size: 14, color: 0xffffff });
const rect = (x: number, y: number, color = 0x202020): DrawCommand => ({ kind: "rect", x, y, width: 10, height: 4, color });

describe("pairCommands", () => {
  test("a spawn earlier in the list does not shift the pairing of later commands (the HUD stays put)", () => {
    const previous = [sprite("grunt", 100, 100), text("WAVE 2", 1130, 10), text("11 entities", 1130, 40)];
    const current = [sprite("grunt", 102, 100), sprite("grunt", 500, 500), text("WAVE 2", 1130, 10), text("12 entities", 1130, 40)];
    expect(Array.from(pairCommands(previous, current))).toEqual([0, -1, 1, -1]);
    const frame = interpolateFrame(previous, current, 0.5);
    expect(frame[2]).toEqual(text("WAVE 2", 1130, 10));
    expect(frame[3]).toEqual(text("12 entities", 1130, 40));
    expect(frame[0]).toMatchObject({ x: 101, y: 100 });
  });

  test("a death earlier in the list does not blend a text into its neighbour", () => {
    const previous = [sprite("grunt", 100, 100), sprite("grunt", 200, 100), text("SCORE 10", 16, 10), text("BEST 10", 16, 40)];
    const current = [sprite("grunt", 204, 100), text("SCORE 20", 16, 10), text("BEST 20", 16, 40)];
    const frame = interpolateFrame(previous, current, 0.5);
    expect(frame.slice(1)).toEqual(current.slice(1));
  });

  test("same-kind commands of a different identity never pair", () => {
    const previous = [sprite("shot", 10, 10), rect(0, 0, 0x111111)];
    const current = [sprite("bolt", 12, 10), rect(1, 0, 0x222222)];
    expect(Array.from(pairCommands(previous, current))).toEqual([-1, -1]);
  });

  test("the n-th command of an identity pairs with the n-th, but only if it moved less than the threshold", () => {
    const previous = [sprite("shot", 0, 0), sprite("shot", 100, 0), sprite("shot", 300, 0)];
    // The first shot died: the second and third now come first and second, and sit far from the old first and second.
    const current = [sprite("shot", 104, 0), sprite("shot", 304, 0)];
    expect(Array.from(pairCommands(previous, current))).toEqual([-1, -1]);
    const moved = [sprite("shot", MAX_BLEND_DISTANCE - 1, 0), sprite("shot", 100, MAX_BLEND_DISTANCE), sprite("shot", 305, 3)];
    expect(Array.from(pairCommands(previous, moved))).toEqual([0, -1, 2]);
  });

  test("a previous command is used at most once and extra current commands are drawn as they are", () => {
    const previous = [rect(0, 0)];
    const current = [rect(2, 0), rect(4, 0)];
    expect(Array.from(pairCommands(previous, current))).toEqual([0, -1]);
    expect(interpolateFrame(previous, current, 0.5)).toEqual([rect(1, 0), rect(4, 0)]);
  });

  test("lines pair when both ends moved a little", () => {
    const line = (x1: number, x2: number): DrawCommand => ({ kind: "line", x1, y1: 0, x2, y2: 10, width: 2, color: 0xffffff });
    expect(Array.from(pairCommands([line(0, 10)], [line(4, 14)]))).toEqual([0]);
    expect(Array.from(pairCommands([line(0, 10)], [line(4, 140)]))).toEqual([-1]);
    expect(interpolateFrame([line(0, 10)], [line(4, 14)], 0.5)).toEqual([line(2, 12)]);
  });
});

describe("rotation", () => {
  test("the angle difference is wrapped to (-π, π]", () => {
    expect(angleDelta(0, Math.PI / 2)).toBeCloseTo(Math.PI / 2);
    expect(angleDelta(Math.PI - 0.1, -Math.PI + 0.1)).toBeCloseTo(0.2);
    expect(angleDelta(-Math.PI + 0.1, Math.PI - 0.1)).toBeCloseTo(-0.2);
    expect(angleDelta(0, 3 * Math.PI)).toBeCloseTo(Math.PI);
    expect(angleDelta(0, -Math.PI)).toBeCloseTo(Math.PI);
  });

  test("a sprite turning across ±π blends the short way around", () => {
    const from = sprite("ship", 0, 0, Math.PI - 0.1);
    const to = sprite("ship", 0, 0, -Math.PI + 0.1);
    const [half] = interpolateFrame([from], [to], 0.5);
    expect(half.kind === "sprite" && Math.abs(Math.abs(half.rotation) - Math.PI)).toBeCloseTo(0);
    expect(lerpAngle(Math.PI - 0.1, -Math.PI + 0.1, 0.25)).toBeCloseTo(Math.PI - 0.05);
  });
});

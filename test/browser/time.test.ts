// The page's fixed-tick clock: how many 60 Hz ticks each animation frame runs.

import { describe, expect, test } from "vitest";
import { controlTime, createClock, interpolationAlpha, ticksDue, TICK_MS } from "../../engine/client/time.ts";

function ticksPerFrame(frameMs: number[], speed: 0.25 | 0.5 | 1 | 2 | 4 = 1): number[] {
  const clock = createClock();
  clock.speed = speed;
  return frameMs.map((elapsed) => ticksDue(clock, elapsed));
}

describe("fixed-tick clock", () => {
  test("a 60 Hz display a hair faster than the tick runs one tick every frame, from the first", () => {
    expect(ticksPerFrame(Array(600).fill(16.6))).toEqual(Array(600).fill(1));
  });

  test("frames jittering around the tick length never run zero ticks then two", () => {
    const jitter = Array.from({ length: 600 }, (_, index) => TICK_MS + (index % 2 === 0 ? 0.3 : -0.3));
    expect(ticksPerFrame(jitter)).toEqual(Array(600).fill(1));
  });

  test("a 120 Hz display runs a tick every other frame; 2x speed runs two a frame", () => {
    const fast = ticksPerFrame(Array(120).fill(1000 / 120));
    expect(fast.reduce((sum, ticks) => sum + ticks, 0)).toBe(60);
    expect(Math.max(...fast)).toBe(1);
    expect(ticksPerFrame(Array(60).fill(16.6), 2)).toEqual(Array(60).fill(2));
  });

  test("slow motion accumulates: 0.25x runs a tick every fourth frame", () => {
    const slow = ticksPerFrame(Array(40).fill(TICK_MS), 0.25);
    expect(slow.reduce((sum, ticks) => sum + ticks, 0)).toBe(10);
  });

  test("a stalled tab does not race through the missed ticks; pause runs only single steps", () => {
    const clock = createClock();
    expect(ticksDue(clock, 5_000)).toBe(8);
    expect(ticksDue(clock, TICK_MS)).toBe(1);
    controlTime(clock, { kind: "step" });
    controlTime(clock, { kind: "step" });
    expect(ticksDue(clock, 100)).toBe(2);
    expect(ticksDue(clock, 100)).toBe(0);
    expect(interpolationAlpha(clock)).toBe(1);
  });
});

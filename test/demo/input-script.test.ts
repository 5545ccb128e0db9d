// Input scripts (tools/cli/input-script.ts): entries hold until the next one; pressed and released
// come from changes of `down`; bad files are explained.

import { describe, expect, it } from "vitest";
import { createInputScript, parseInputScript } from "../../tools/cli/input-script.ts";

const sorted = (keys: ReadonlySet<string>) => [...keys].sort();

describe("input scripts", () => {
  const script = parseInputScript(
    JSON.stringify({
      frames: [
        { tick: 2, down: ["up", "left"], pointer: [640, 360], pointerDown: true },
        { tick: 5, down: ["up"] },
        { tick: 6, down: ["up", "space"], pointer: [10, 20] },
      ],
    }),
  );

  it("gives no input before the first entry", () => {
    const frame = script.at(0);
    expect(frame.down.size).toBe(0);
    expect(frame.pointerDown).toBe(false);
  });

  it("holds each entry until the next, with edges on its first tick only", () => {
    expect(sorted(script.at(2).down)).toEqual(["left", "up"]);
    expect(sorted(script.at(2).pressed)).toEqual(["left", "up"]);
    expect(script.at(2).pointerPressed).toBe(true);
    expect(script.at(3).pressed.size).toBe(0);
    expect(script.at(4).pointerPressed).toBe(false);
    expect(sorted(script.at(4).down)).toEqual(["left", "up"]);
    expect(sorted(script.at(5).released)).toEqual(["left"]);
    expect(script.at(5).pressed.size).toBe(0);
    expect(sorted(script.at(6).pressed)).toEqual(["space"]);
    expect(sorted(script.at(100).down)).toEqual(["space", "up"]);
    expect(script.length).toBe(7);
  });

  it("keeps the pointer where it was when an entry leaves it out; the button is up unless held", () => {
    expect(script.at(5).pointer).toEqual({ x: 640, y: 360 });
    expect(script.at(5).pointerDown).toBe(false);
    expect(script.at(6).pointer).toEqual({ x: 10, y: 20 });
  });

  it("reads the same frames in any order", () => {
    const fresh = createInputScript({ frames: [{ tick: 0, down: ["a"] }, { tick: 10, down: ["b"] }] });
    expect(sorted(fresh.at(12).down)).toEqual(["b"]);
    expect(sorted(fresh.at(10).pressed)).toEqual(["b"]);
    expect(sorted(fresh.at(3).down)).toEqual(["a"]);
    expect(sorted(fresh.at(0).pressed)).toEqual(["a"]);
  });

  it("explains what is wrong with a file", () => {
    expect(() => parseInputScript("{ nope")).toThrow(/input script/);
    expect(() => parseInputScript("[]")).toThrow(/frames/);
    expect(() => parseInputScript(JSON.stringify({ frames: [{ tick: -1 }] }))).toThrow(/frames\[0\]\.tick/);
    expect(() => parseInputScript(JSON.stringify({ frames: [{ tick: 3 }, { tick: 3 }] }))).toThrow(/greater/);
    expect(() => parseInputScript(JSON.stringify({ frames: [{ tick: 0, down: "left" }] }))).toThrow(/down/);
    expect(() => parseInputScript(JSON.stringify({ frames: [{ tick: 0, pointer: [1] }] }))).toThrow(/pointer/);
    expect(() => parseInputScript(JSON.stringify({ frames: [{ tick: 0, pointerDown: 1 }] }))).toThrow(/pointerDown/);
  });
});

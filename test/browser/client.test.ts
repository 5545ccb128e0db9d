// The page's game logic in Node (engine/client/game-client.ts) with the transport injected, wired
// to the compiler side (engine/server/compiler-side.ts) the way the dev server wires them: the
// reload is applied at the next frame boundary, the report goes back, rejections open the
// overlay and a fix closes it; time controls pause, step, slow down and speed up.

import { describe, expect, test } from "vitest";
import type { GameClient } from "../../engine/client/game-client.ts";
import { controlTime, TICK_MS } from "../../engine/client/time.ts";
import { NO_INPUT } from "../../engine/runtime/host.ts";
import { MAIN_RIB } from "../server/fixtures.ts";
import { connectClient } from "./client-harness.ts";

function harness() {
  const errors: Array<{ reason: string; details: string } | null> = [];
  const connected = connectClient(MAIN_RIB, 1, { ui: { showErrors: (shown) => errors.push(shown) } });
  const ticks = (count: number) => connected.client.frame(count * TICK_MS + 0.01, () => NO_INPUT);
  return { ...connected, errors, ticks };
}

function ballXs(client: GameClient): number[] {
  const pool = client.world!.byName.main.pools.p_balls;
  const column = pool.layout.columns.findIndex((spec) => spec.path === "x");
  return pool.liveSlots().map((slot) => (pool.cols[column] as Float64Array)[slot]);
}

describe("game client", () => {
  test("a reload applies at the next frame boundary, not when it arrives, and its report goes back", () => {
    const h = harness();
    h.ticks(3);
    expect(h.client.world!.tick).toBe(3);
    expect(ballXs(h.client)).toEqual([23, 63]);
    const id = h.edit(MAIN_RIB.replace("SPEED := 1.0", "SPEED := 10.0"));
    expect(h.sent.filter((message) => message.kind === "report")).toEqual([]);
    h.ticks(1);
    const report = h.sent.find((message) => message.kind === "report");
    expect(report).toMatchObject({ kind: "report", id, report: { outcome: "swapped", modules: ["main"] } });
    expect(h.client.world!.tick).toBe(4);
    expect(ballXs(h.client)).toEqual([33, 73]);
    h.deliver();
    expect(h.side.running!.versions.get("main")).toBe(2);
  });

  test("a syntax error is rejected with the errors shown and the world running on; the fix closes them", () => {
    const h = harness();
    h.ticks(2);
    h.edit(MAIN_RIB.replace("ticks = ticks + 1", "ticks = = ticks + 1"));
    h.ticks(2);
    expect(h.client.stats.lastReport!.outcome).toBe("rejected");
    expect(h.errors.at(-1)!.details).toContain("main.rib:");
    expect(h.client.world!.tick).toBe(4);
    h.deliver();
    h.edit(MAIN_RIB);
    h.ticks(1);
    expect(h.errors.at(-1)).toBeNull();
  });

  test("a rejection's errors show when it arrives, before the frame boundary that applies and reports it", () => {
    const h = harness();
    h.ticks(3);
    h.edit(MAIN_RIB.replace("ticks = ticks + 1", "ticks = = ticks + 1"));
    expect(h.errors.at(-1)!.details).toContain("main.rib:");
    expect(h.sent.filter((message) => message.kind === "report")).toEqual([]);
    h.ticks(1);
    expect(h.client.stats.lastReport!.outcome).toBe("rejected");
    expect(h.sent.filter((message) => message.kind === "report")).toHaveLength(1);
    h.deliver();
    h.edit(MAIN_RIB);
    h.ticks(1);
    expect(h.errors.at(-1)).toBeNull();
  });

  test("time controls: pause, single step, slow motion, fast forward", () => {
    const h = harness();
    controlTime(h.client.clock, { kind: "toggle-pause" });
    h.ticks(5);
    expect(h.client.world!.tick).toBe(0);
    controlTime(h.client.clock, { kind: "step" });
    h.ticks(5);
    expect(h.client.world!.tick).toBe(1);
    controlTime(h.client.clock, { kind: "toggle-pause" });
    controlTime(h.client.clock, { kind: "speed", speed: 0.25 });
    h.ticks(4);
    expect(h.client.world!.tick).toBe(2);
    controlTime(h.client.clock, { kind: "speed", speed: 2 });
    h.ticks(2);
    expect(h.client.world!.tick).toBe(6);
  });
});

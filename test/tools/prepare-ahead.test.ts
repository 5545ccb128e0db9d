// The split `ribbon dev` relies on to compile while a save settles: `session.prepare()` compiles
// and plans without touching the world, `session.apply()` applies at a frame boundary, and a
// reload prepared against an older running program is prepared again instead of applied stale.

import { describe, expect, it } from "vitest";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import { stepWorld } from "../../engine/runtime/world.ts";
import { startDevSession, type DevSession } from "../../engine/reload/session.ts";

function game(step: number): string {
  return `ticks : mut = 0
update := fun (dt: f64).
    ticks = ticks + ${step}
    print ("ticks " + str ticks)
`;
}

function session(): { session: DevSession; host: ReturnType<typeof createMemoryHost>; setSource: (text: string) => void } {
  let text = game(1);
  const host = createMemoryHost();
  const started = startDevSession({ roots: ["game"], provider: (name) => (name === "game" ? { path: "game.rib", text } : null), host });
  if (!started.ok) throw new Error(started.diagnostics);
  return { session: started.session, host, setSource: (next) => (text = next) };
}

describe("prepared reloads", () => {
  it("prepares without touching the world, then applies at the next boundary with state kept", () => {
    const { session: dev, host, setSource } = session();
    stepWorld(dev.world);
    setSource(game(10));
    const prepared = dev.prepare();
    stepWorld(dev.world);
    expect(host.lines).toEqual(["ticks 1", "ticks 2"]);
    const report = dev.apply(prepared);
    expect(report.outcome).toBe("swapped");
    stepWorld(dev.world);
    expect(host.lines.at(-1)).toBe("ticks 12");
  });

  it("prepares again when the running program changed since", () => {
    const { session: dev, host, setSource } = session();
    setSource(game(10));
    const stale = dev.prepare();
    setSource(game(100));
    expect(dev.reload().outcome).toBe("swapped");
    setSource(game(1000));
    expect(dev.apply(stale).outcome).toBe("swapped");
    stepWorld(dev.world);
    expect(host.lines.at(-1)).toBe("ticks 1000");
  });
});

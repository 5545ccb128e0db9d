// A page client (engine/client/game-client.ts, transport injected) wired to the compiler side
// the way the dev server wires them, for Node tests of the page's logic without a browser.

import type { SourceProvider } from "../../engine/compiler/compile.ts";
import { createGameClient, type GameClient, type GameClientOptions } from "../../engine/client/game-client.ts";
import type { ClientMessage } from "../../engine/client/protocol.ts";
import { acknowledge, compileChange, createCompilerSide } from "../../engine/server/compiler-side.ts";

export function connectClient(main: string, seed: number, options: Partial<Omit<GameClientOptions, "send">> = {}) {
  const sources = { main };
  const provider: SourceProvider = (name) => (name === "main" ? { path: "main.rib", text: sources.main } : null);
  const side = createCompilerSide();
  const sent: ClientMessage[] = [];
  const client: GameClient = createGameClient({ send: (message) => sent.push(message), now: () => 0, ...options, ui: options.ui ?? {} });
  const first = compileChange(side, ["main"], provider, () => 0);
  if (first.kind !== "start") throw new Error(first.kind);
  client.receive({ kind: "start", game: { name: "t", seed, roots: ["main"], textures: {} }, modules: first.modules, versions: first.versions });
  /** Compiles the edit and carries the package to the page, as the server does. */
  const edit = (text: string) => {
    sources.main = text;
    const step = compileChange(side, ["main"], provider, () => 0);
    if (step.kind !== "reload") throw new Error(step.kind);
    client.receive({ kind: "reload", id: step.id, pkg: JSON.parse(JSON.stringify(step.pkg)) });
    return step.id;
  };
  /** Delivers the page's reports to the compiler side. */
  const deliver = () => {
    for (const message of sent.splice(0)) if (message.kind === "report") acknowledge(side, message.id, message.report);
  };
  return { client, side, sources, sent, edit, deliver };
}

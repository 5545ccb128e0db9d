// Test harness for hot reload: a live dev session over sources held in memory. Tests edit
// `sources`, call `reload()` and look at the report, the printed lines and the world.

import { createMemoryHost } from "../../engine/runtime/host.ts";
import { startDevSession, type DevSession } from "../../engine/reload/session.ts";
import type { ReloadReport } from "../../engine/reload/report.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { poolKey, stateKey } from "../../engine/runtime/names.ts";
import { stepWorld } from "../../engine/runtime/world.ts";

export interface Harness {
  /** Module name → source; edit, then call `reload()`. The first key is the root. */
  sources: Record<string, string>;
  session: DevSession;
  host: ReturnType<typeof createMemoryHost>;
  /** Every report the session sent, including probation rollbacks. */
  reports: ReloadReport[];
  step(ticks?: number): void;
  /** Replaces a module's source and reloads. */
  edit(source: string, module?: string): ReloadReport;
  /** Lines printed since the last call. */
  take(): string[];
  hash(): number;
  /** Live elements of a pool, each as `field path → value` from its columns. */
  elements(pool: string, module?: string): Array<Record<string, unknown>>;
  state(name: string, module?: string): unknown;
}

export interface HarnessOptions {
  probationTicks?: number;
  seed?: number;
  /** Roots; default: the first module of `sources`. */
  roots?: string[];
  /** Clock for report timings (default: none, every timing 0). */
  now?: () => number;
}

export function startHarness(initial: Record<string, string>, options: HarnessOptions = {}): Harness {
  const sources = { ...initial };
  const host = createMemoryHost();
  const reports: ReloadReport[] = [];
  const started = startDevSession({
    roots: options.roots ?? [Object.keys(initial)[0]],
    provider: (name) => (Object.hasOwn(sources, name) ? { path: `${name}.rib`, text: sources[name] } : null),
    host,
    seed: options.seed,
    probationTicks: options.probationTicks,
    now: options.now,
    onReport: (report) => reports.push(report),
  });
  if (!started.ok) throw new Error(`the first version does not compile:\n${started.diagnostics}`);
  const session = started.session;
  let taken = 0;
  const root = Object.keys(initial)[0];
  const harness: Harness = {
    sources,
    session,
    host,
    reports,
    step(ticks = 1) {
      for (let tick = 0; tick < ticks; tick++) stepWorld(session.world);
    },
    edit(source, module = root) {
      sources[module] = source;
      return session.reload();
    },
    take() {
      const lines = host.lines.slice(taken);
      taken = host.lines.length;
      return lines;
    },
    hash: () => hashWorld(session.world),
    elements(pool, module = root) {
      const live = session.world.byName[module].pools[poolKey(pool)];
      return live.liveSlots().map((slot) => Object.fromEntries(live.layout.columns.map((column, index) => [column.path, live.cols[index][slot]])));
    },
    state: (name, module = root) => session.world.byName[module].state[stateKey(name)],
  };
  return harness;
}

/** Removes the common indentation so programs can be written inline in tests. */
export function rib(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, part, index) => out + part + (index < values.length ? String(values[index]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join("\n");
}

// The page's developer UI, as plain DOM over the canvas: the compile-error overlay (code frames,
// file:line:col, migration skeleton; closes when the code compiles again), one toast per reload,
// the HUD (FPS, tick cost, entities per pool, module versions) and the time-control buttons.

import type { ReloadReport } from "../reload/report.ts";
import type { World } from "../runtime/world.ts";
import type { Clock, TimeCommand } from "./time.ts";

export interface DevUi {
  showErrors(errors: { reason: string; details: string } | null): void;
  toast(text: string, tone: Tone): void;
  updateHud(facts: HudFacts): void;
}

export type Tone = "ok" | "warn" | "error";

export interface HudFacts {
  fps: number;
  tickMs: number;
  world: World | null;
  clock: Clock;
  backend: string;
}

const TOAST_MS = 4000;

export function createDevUi(root: HTMLElement, onTime: (command: TimeCommand) => void): DevUi {
  const overlay = element(root, "div", "ribbon-overlay");
  overlay.hidden = true;
  const title = element(overlay, "h2", "ribbon-overlay-title");
  const details = element(overlay, "pre", "ribbon-overlay-details");
  const toasts = element(root, "div", "ribbon-toasts");
  const hud = element(root, "div", "ribbon-hud");
  const stats = element(hud, "pre", "ribbon-hud-stats");
  const controls = element(hud, "div", "ribbon-time");
  addButton(controls, "ribbon-pause", "⏯ pause", () => onTime({ kind: "toggle-pause" }));
  addButton(controls, "ribbon-step", "⏭ step", () => onTime({ kind: "step" }));
  for (const speed of [0.25, 0.5, 1, 2, 4] as const) {
    addButton(controls, `ribbon-speed-${String(speed).replace(".", "_")}`, `${speed}x`, () => onTime({ kind: "speed", speed }));
  }
  return {
    showErrors(errors) {
      overlay.hidden = errors === null;
      title.textContent = errors?.reason ?? "";
      details.textContent = errors?.details ?? "";
    },
    toast(text, tone) {
      const item = element(toasts, "div", "");
      item.className = `ribbon-toast ribbon-toast-${tone}`;
      item.textContent = text;
      setTimeout(() => item.remove(), TOAST_MS);
    },
    updateHud(facts) {
      stats.textContent = hudText(facts);
    },
  };
}

function element<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, id: string): HTMLElementTagNameMap[K] {
  const child = document.createElement(tag);
  if (id) child.id = id;
  parent.appendChild(child);
  return child;
}

function addButton(parent: HTMLElement, id: string, label: string, onClick: () => void): void {
  const button = element(parent, "button", id);
  button.type = "button";
  button.textContent = label;
  button.addEventListener("click", onClick);
}

/** The reload toast: outcome, reason, milliseconds, entities migrated. */
export function toastText(report: ReloadReport): { text: string; tone: Tone } {
  const ms = report.timings.compile + report.timings.plan + report.timings.migrate + report.timings.commit;
  const migrated = Object.values(report.migrated).reduce((sum, count) => sum + count, 0);
  const parts = [`${report.modules.join(", ") || "reload"}: ${report.outcome}`, `${ms.toFixed(1)} ms`];
  if (migrated > 0) parts.push(`${migrated} migrated`);
  if (report.reason) parts.push(report.reason);
  const tone: Tone = report.outcome === "rejected" || report.outcome === "rolled-back" ? "error" : report.outcome === "restarted" || report.outcome === "reset" ? "warn" : "ok";
  return { text: parts.join(" · "), tone };
}

export function hudText(facts: HudFacts): string {
  const { world, clock } = facts;
  const time = clock.paused ? "paused" : `${clock.speed}x`;
  const lines = [`${facts.fps.toFixed(0)} fps · tick ${facts.tickMs.toFixed(2)} ms · ${time} · ${facts.backend}`];
  if (!world) return lines.concat("waiting for the game to compile").join("\n");
  lines.push(`tick ${world.tick}`);
  for (const instance of world.modules) {
    const pools = Object.values(instance.pools).map((pool) => `${pool.name} ${pool.liveSlots().length}`);
    const halted = world.halted.has(instance.name) ? " (halted)" : "";
    lines.push(`${instance.name} v${instance.version}${halted}${pools.length > 0 ? ` · ${pools.join(", ")}` : ""}`);
  }
  return lines.join("\n");
}

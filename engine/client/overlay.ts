// The page's developer UI, as plain DOM over the canvas: the compile-error overlay (code frames,
// file:line:col, migration skeleton; closes when the code compiles again), one toast per reload,
// the HUD (FPS, tick cost, entities per pool, module versions), the time-control buttons, the
// HUD's recording bar at the bottom left ("Download recording" and the timeline slider, enabled
// while paused; kept off the top-left corner where games draw) and the replay-restart progress bar.

import type { ReloadReport } from "../reload/report.ts";
import type { World } from "../runtime/world.ts";
import type { Progress } from "./game-client.ts";
import type { Clock, TimeCommand } from "./time.ts";

export interface DevUi {
  showErrors(errors: { reason: string; details: string } | null): void;
  toast(text: string, tone: Tone): void;
  updateHud(facts: HudFacts): void;
  /** Called every frame; touches the DOM only when something changed. */
  updateTimeline(view: TimelineView): void;
  /** Replay-restart progress, or null to hide the bar. */
  progress(progress: Progress | null): void;
}

export interface DevUiHandlers {
  onTime(command: TimeCommand): void;
  onDownload(): void;
  /** The timeline slider moved to this session tick. */
  onScrub(tick: number): void;
}

/** What the timeline slider shows: null range when there is nothing to scrub to. */
export interface TimelineView {
  paused: boolean;
  range: { from: number; to: number } | null;
  position: number;
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

export function createDevUi(root: HTMLElement, handlers: DevUiHandlers): DevUi {
  const { onTime } = handlers;
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
  const recording = element(root, "div", "ribbon-hud-recording");
  Object.assign(recording.style, { position: "fixed", left: "8px", bottom: "8px", background: "rgba(0, 0, 0, 0.6)", padding: "6px 8px", borderRadius: "4px", zIndex: "5" });
  addButton(recording, "ribbon-download", "Download recording", () => handlers.onDownload()).title = "save the session so far as a .ribbon-replay.json file for `ribbon replay` (F2)";
  const timeline = createTimelineControl(recording, handlers.onScrub);
  const progress = createProgressBar(root);
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
    updateTimeline: (view) => timeline.update(view),
    progress: (value) => progress.update(value),
  };
}

/** The slider over the recent past, with a label saying where the world is. */
function createTimelineControl(bar: HTMLElement, onScrub: (tick: number) => void): { update(view: TimelineView): void } {
  const box = element(bar, "span", "ribbon-timeline-box");
  box.style.marginLeft = "8px";
  const slider = element(box, "input", "ribbon-timeline");
  slider.type = "range";
  slider.step = "1";
  slider.style.width = "240px";
  slider.style.verticalAlign = "middle";
  slider.title = "timeline: pause, then drag to step through the last seconds; resuming from the past drops the future";
  const label = element(box, "span", "ribbon-timeline-label");
  label.style.marginLeft = "6px";
  slider.addEventListener("input", () => onScrub(Number(slider.value)));
  let shown = "";
  return {
    update(view) {
      const key = JSON.stringify(view);
      if (key === shown) return;
      shown = key;
      const usable = view.paused && view.range !== null && view.range.to > view.range.from;
      slider.disabled = !usable;
      slider.min = String(view.range?.from ?? 0);
      slider.max = String(view.range?.to ?? 0);
      slider.value = String(view.position);
      label.textContent = timelineText(view);
    },
  };
}

export function timelineText(view: TimelineView): string {
  if (!view.range) return `tick ${view.position} · timeline starts at the next snapshot`;
  const back = view.range.to - view.position;
  const where = back === 0 ? "now" : `${back} tick${back === 1 ? "" : "s"} back`;
  return view.paused ? `tick ${view.position} (${where})` : `tick ${view.position} · pause to scrub`;
}

/** The replay-restart progress bar, fixed at the top of the page. */
function createProgressBar(root: HTMLElement): { update(value: Progress | null): void } {
  const panel = element(root, "div", "ribbon-progress");
  panel.hidden = true;
  Object.assign(panel.style, { position: "fixed", left: "50%", top: "40%", transform: "translateX(-50%)", background: "rgba(0, 0, 0, 0.85)", padding: "12px 16px", borderRadius: "6px", zIndex: "30", whiteSpace: "nowrap" });
  const text = element(panel, "div", "ribbon-progress-text");
  const bar = element(panel, "progress", "ribbon-progress-bar");
  bar.style.width = "320px";
  return {
    update(value) {
      panel.hidden = value === null;
      if (!value) return;
      bar.max = Math.max(1, value.total);
      bar.value = value.done;
      text.textContent = `replay restart: re-simulating recorded input, tick ${value.done} of ${value.total}`;
    },
  };
}

function element<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, id: string): HTMLElementTagNameMap[K] {
  const child = document.createElement(tag);
  if (id) child.id = id;
  parent.appendChild(child);
  return child;
}

function addButton(parent: HTMLElement, id: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = element(parent, "button", id);
  button.type = "button";
  button.style.font = "inherit";
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
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

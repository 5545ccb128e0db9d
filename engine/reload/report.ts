// What every reload reports: one terminal line and the same facts as data for the in-game toast.

export type ReloadOutcome = "swapped" | "migrated" | "reset" | "restarted" | "rejected" | "rolled-back";

export interface ReloadTimings {
  compile: number;
  plan: number;
  migrate: number;
  commit: number;
}

export interface ReloadReport {
  outcome: ReloadOutcome;
  modules: string[];
  /** Why, in a sentence. */
  reason: string;
  /** Pool name → live elements carried over by a migration. */
  migrated: Record<string, number>;
  warnings: string[];
  /** Diagnostics with code frames (rejections), ready to print. */
  details: string;
  timings: ReloadTimings;
  /** Tick at whose boundary the reload applied (or was refused). */
  tick: number;
  versions: Record<string, number>;
}

export function emptyTimings(): ReloadTimings {
  return { compile: 0, plan: 0, migrate: 0, commit: 0 };
}

/** `[reload] ai, physics: migrated · agents 1000 · compile 3.1 ms plan 0.2 ms ...` */
export function formatReportLine(report: ReloadReport): string {
  const parts = [`[reload] ${report.modules.join(", ") || "(no module)"}: ${report.outcome}`];
  if (report.reason) parts.push(report.reason);
  const migrated = Object.entries(report.migrated).map(([pool, count]) => `${pool} ${count} migrated`);
  if (migrated.length > 0) parts.push(migrated.join(", "));
  const { compile, plan, migrate, commit } = report.timings;
  parts.push(`compile ${compile.toFixed(1)} ms, plan ${plan.toFixed(1)} ms, migrate ${migrate.toFixed(1)} ms, commit ${commit.toFixed(1)} ms`);
  const line = parts.join(" · ");
  return report.warnings.length > 0 ? `${line}\n${report.warnings.map((text) => `  warning: ${text}`).join("\n")}` : line;
}

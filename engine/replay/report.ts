// Replay results as text: what `ribbon replay` prints and what tests compare against.

import { formatDifference } from "./diff.ts";
import type { Divergence, ReplayResult, UpdateSummary } from "./replay.ts";

export function formatReplayResult(result: ReplayResult, name = "replay"): string {
  switch (result.kind) {
    case "failed":
      return [`${name}: cannot replay: ${result.error.message}`, ...result.warnings.map((text) => `  note: ${text}`)].join("\n");
    case "matched": {
      const { summary } = result;
      const lines = [
        `${name}: ok · ${summary.ticks} ticks${summary.from > 0 ? ` from tick ${summary.from}` : ""} · ${summary.checks} ${summary.mode === "current" ? "tick comparisons with the recorded scripts" : "hash checks"} · ${summary.reloads} reload${summary.reloads === 1 ? "" : "s"} re-applied`,
      ];
      return [...lines, ...(summary.update ? formatUpdate(summary.update) : []), ...summary.warnings.map((text) => `  note: ${text}`)].join("\n");
    }
    case "diverged": {
      const { summary } = result;
      const lines = [`${name}: ${headline(result.divergence)}`, ...formatDivergence(result.divergence)];
      return [...lines, ...(summary.update ? formatUpdate(summary.update) : []), ...summary.warnings.map((text) => `  note: ${text}`)].join("\n");
    }
    default: {
      const never: never = result;
      return never;
    }
  }
}

function headline(divergence: Divergence): string {
  switch (divergence.cause) {
    case "hash":
      return `diverged at tick ${divergence.tick}`;
    case "reload":
      return `diverged at tick ${divergence.tick}: a recorded reload turned out differently`;
    case "behaviour":
      return `behaviour departs from the recording at tick ${divergence.tick}`;
    case "recording":
      return `the recorded scripts no longer replay as recorded (diverged at tick ${divergence.tick}); no behaviour diff is possible`;
    case "checkpoint":
      return `diverged at tick ${divergence.tick}: the world differs from the checkpoint recorded there, though its hash matched`;
    default: {
      const never: never = divergence.cause;
      return never;
    }
  }
}

export function formatDivergence(divergence: Divergence): string[] {
  const lines: string[] = [];
  if (divergence.exact) lines.push(`  first different tick: ${divergence.tick} (compared every tick)`);
  else {
    const since = divergence.lastMatch === null ? "" : ` (hashes still matched at tick ${divergence.lastMatch})`;
    lines.push(`  first failing check: tick ${divergence.tick}${since}`);
  }
  if (divergence.modules.length > 0) lines.push(`  modules: ${divergence.modules.join(", ")}`);
  if (divergence.comparedAt !== null && !divergence.exact) {
    const nearest = divergence.comparedAt === divergence.tick ? "" : " (the nearest recorded state at or after it)";
    lines.push(`  compared with the recorded world at tick ${divergence.comparedAt}${nearest}:`);
  } else if (divergence.comparedAt === null && !divergence.exact) {
    lines.push("  (no recorded world at or after that tick to compare field by field)");
  }
  for (const difference of divergence.differences) lines.push(`    ${formatDifference(difference)}`);
  if (divergence.more > 0) lines.push(`    ... and ${divergence.more} more difference${divergence.more === 1 ? "" : "s"}`);
  return lines;
}

function formatUpdate(update: UpdateSummary): string[] {
  const hashes = update.changed === 0 ? `all ${update.checks} hash checks unchanged` : `${update.changed} of ${update.checks} hash checks changed`;
  return [`  updated: ${hashes}`, ...update.notes.map((text) => `  updated: ${text}`)];
}

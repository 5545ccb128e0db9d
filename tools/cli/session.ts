// `ribbon session NAME.1.rib --ticks-per-version N`: numbered versions of one program run as a
// single live session; each next version is hot-reloaded at a frame boundary.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { formatReportLine, type ReloadReport } from "../../engine/reload/report.ts";
import { startDevSession } from "../../engine/reload/session.ts";
import type { CompiledModule } from "../../engine/runtime/module.ts";
import { stepWorld } from "../../engine/runtime/world.ts";
import { formatRuntimeError } from "../../engine/runtime/format-error.ts";
import { wholeNumberOption } from "./options.ts";
import { fileSourceProvider } from "./sources.ts";

export const SESSION_USAGE = "usage: ribbon session NAME.1.rib [--ticks-per-version N]";

/** NAME.1.rib, NAME.2.rib, ... beside the first one. */
export function versionFiles(first: string): string[] {
  const match = /^(.*)\.1\.rib$/.exec(basename(first));
  if (!match) return [first];
  const files: string[] = [];
  for (let version = 1; existsSync(join(dirname(first), `${match[1]}.${version}.rib`)); version++) {
    files.push(join(dirname(first), `${match[1]}.${version}.rib`));
  }
  return files;
}

export function runSession(args: string[]): number {
  const first = args.find((arg) => arg.endsWith(".rib"));
  if (!first) {
    process.stderr.write(`${SESSION_USAGE}\n`);
    return 1;
  }
  const ticks = wholeNumberOption(args, "--ticks-per-version", 10);
  if (typeof ticks === "string" || !existsSync(first)) {
    process.stderr.write(`ribbon session: ${typeof ticks === "string" ? ticks : `cannot read ${first}: there is no such file`}\n`);
    return 1;
  }
  const files = versionFiles(resolve(first));
  const moduleName = basename(files[0]).replace(/(\.1)?\.rib$/, "");
  let current = files[0];
  const siblings = fileSourceProvider(dirname(files[0]));
  const provider = (name: string) => (name === moduleName ? { path: current, text: readFileSync(current, "utf8") } : siblings(name));
  let modules: CompiledModule[] = [];
  let failures = 0;
  const report = (line: ReloadReport) => {
    process.stderr.write(`${formatReportLine(line)}\n`);
    if (line.details) process.stderr.write(`${line.details}\n`);
  };
  const started = startDevSession({
    roots: [moduleName],
    provider,
    host: {
      log: (line) => process.stdout.write(`${line}\n`),
      runtimeError: (error) => {
        failures++;
        process.stderr.write(`${formatRuntimeError(error, modules)}\n`);
      },
    },
    now: () => performance.now(),
    onReport: report,
  });
  if (!started.ok) {
    process.stderr.write(`${started.diagnostics}\n`);
    return 1;
  }
  const session = started.session;
  modules = session.running.modules;
  for (let tick = 0; tick < ticks; tick++) stepWorld(session.world);
  for (const file of files.slice(1)) {
    current = file;
    session.reload();
    modules = session.running.modules;
    for (let tick = 0; tick < ticks; tick++) stepWorld(session.world);
  }
  return failures > 0 ? 1 : 0;
}

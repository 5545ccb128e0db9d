// Reads Ribbon modules from disk for the compiler: module `ai/boss` is `<root>/ai/boss.rib`.

import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { SourceProvider } from "../../engine/compiler/compile.ts";

export function fileSourceProvider(root: string): SourceProvider {
  return (moduleName) => {
    const path = join(root, `${moduleName}.rib`);
    if (!existsSync(path) || !statSync(path).isFile()) return null;
    return { path: relative(process.cwd(), path) || path, text: readFileSync(path, "utf8") };
  };
}

/** A single .rib file: its folder is the root, its name (without .rib) the module. */
export function fileTarget(file: string): { root: string; module: string } {
  const absolute = resolve(file);
  return { root: dirname(absolute), module: basename(absolute).replace(/\.rib$/, "") };
}

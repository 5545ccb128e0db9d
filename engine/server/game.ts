// A game folder as the dev server sees it: `manifest.json` names the modules (update order), the
// seed, the canvas size (`width`/`height` in pixels, which are also the game's world units; 800x600
// when absent), the assets folder (relative to the game folder) and the textures (name → file in
// assets).

import { readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { createSourceFile, type SourceFile } from "../diagnostics/source.ts";

export interface GameManifest {
  name: string;
  modules: string[];
  seed: number;
  /** Canvas size in pixels (= world units at camera zoom 1). */
  width: number;
  height: number;
  /** Absolute path of the assets folder (defaults to `<game>/assets`). */
  assetsDir: string;
  /** Texture name → file name inside the assets folder. */
  textures: Record<string, string>;
  /** manifest.json as read: where a listed module that does not exist is reported (CompileOptions.rootsFile). */
  file: SourceFile;
}

/** The canvas size of a manifest without `width`/`height`. */
export const DEFAULT_CANVAS = { width: 800, height: 600 } as const;

export type ManifestResult = { ok: true; manifest: GameManifest } | { ok: false; reason: string };

export function readManifest(gameDir: string, text?: string): ManifestResult {
  const root = resolve(gameDir);
  const path = join(root, "manifest.json");
  let parsed: unknown;
  let source: string;
  try {
    source = text ?? readFileSync(path, "utf8");
    parsed = JSON.parse(source);
  } catch (error) {
    return { ok: false, reason: `manifest.json: ${(error as Error).message}` };
  }
  return checkManifest(root, parsed, createSourceFile(shownPath(path), source));
}

/** Relative to the working folder when inside it, as diagnostics show paths. */
function shownPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" || shown.startsWith("..") ? path : shown;
}

function checkManifest(root: string, value: unknown, file: SourceFile): ManifestResult {
  if (typeof value !== "object" || value === null) return { ok: false, reason: "manifest.json must hold an object" };
  const record = value as Record<string, unknown>;
  const modules = record.modules;
  if (!Array.isArray(modules) || modules.length === 0 || modules.some((name) => typeof name !== "string" || name === "")) {
    return { ok: false, reason: `manifest.json needs "modules": ["main", ...] (module names, in update order)` };
  }
  const textures = record.textures ?? {};
  if (typeof textures !== "object" || textures === null || Object.values(textures).some((file) => typeof file !== "string")) {
    return { ok: false, reason: `manifest.json "textures" must map names to file names` };
  }
  const size: Record<"width" | "height", number> = { ...DEFAULT_CANVAS };
  for (const key of ["width", "height"] as const) {
    const given = record[key];
    if (given === undefined) continue;
    if (typeof given !== "number" || !Number.isInteger(given) || given < 16 || given > 8192) {
      return { ok: false, reason: `manifest.json "${key}" must be a whole number of pixels from 16 to 8192 (got ${JSON.stringify(given)})` };
    }
    size[key] = given;
  }
  return {
    ok: true,
    manifest: {
      name: typeof record.name === "string" ? record.name : basename(root),
      modules: modules.map((name: string) => name.replace(/\.rib$/, "")),
      seed: Number.isInteger(record.seed) ? (record.seed as number) : 1,
      width: size.width,
      height: size.height,
      assetsDir: resolve(root, typeof record.assets === "string" ? record.assets : "assets"),
      textures: textures as Record<string, string>,
      file,
    },
  };
}

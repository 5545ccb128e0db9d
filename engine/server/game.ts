// A game folder as the dev server sees it: `manifest.json` names the modules (update order), the
// seed, the canvas size (`width`/`height` in pixels, which are also the game's world units; 800x600
// when absent), the assets folder (relative to the game folder) and the textures (name → file in
// assets).

import { readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { codeFrame } from "../diagnostics/format.ts";
import { createSourceFile, locate, type SourceFile } from "../diagnostics/source.ts";
import { jsonErrorOffset } from "./json-error.ts";

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

/** A manifest that cannot be used says why in one line (file:line:col first when it can) and shows where. */
export type ManifestResult = { ok: true; manifest: GameManifest } | { ok: false; reason: string; details?: string };

export function readManifest(gameDir: string, text?: string): ManifestResult {
  const root = resolve(gameDir);
  const path = join(root, "manifest.json");
  let source: string;
  try {
    source = text ?? readFileSync(path, "utf8");
  } catch (error) {
    return { ok: false, reason: `manifest.json: ${(error as Error).message}` };
  }
  const file = createSourceFile(shownPath(path), source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.text);
  } catch {
    const offset = jsonErrorOffset(file.text) ?? 0;
    const what = offset < file.text.length ? `unexpected ${JSON.stringify(file.text[offset])}` : "the text ends too soon";
    return problemAt(file, offset, `manifest.json is not valid JSON: ${what}`);
  }
  return checkManifest(root, parsed, file);
}

/** Why a manifest cannot be used, for a terminal: the reason line, then the code frame. */
export function manifestProblem(result: Extract<ManifestResult, { ok: false }>): string {
  return result.details ? `${result.reason}\n${result.details}` : result.reason;
}

/** Relative to the working folder when inside it, as diagnostics show paths. */
function shownPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" || shown.startsWith("..") ? path : shown;
}

function problemAt(file: SourceFile, offset: number, message: string): ManifestResult {
  const { line, column } = locate(file, offset);
  const width = Math.max(1, quotedLength(file.text, offset));
  return { ok: false, reason: `${file.path}:${line}:${column}: ${message}`, details: codeFrame(file, { start: offset, end: offset + width }) };
}

/** How long the JSON string starting at `offset` is, quotes included (0 if none starts there). */
function quotedLength(text: string, offset: number): number {
  if (text[offset] !== '"') return 0;
  const end = text.indexOf('"', offset + 1);
  return end < 0 ? 0 : end - offset + 1;
}

/** A field's problem, pointed at its key when the text has it (else at the start). */
function fieldProblem(file: SourceFile, key: string | null, message: string): ManifestResult {
  const offset = key === null ? -1 : file.text.indexOf(`"${key}"`);
  return problemAt(file, Math.max(0, offset), message);
}

function checkManifest(root: string, value: unknown, file: SourceFile): ManifestResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fieldProblem(file, null, "manifest.json must hold an object");
  const record = value as Record<string, unknown>;
  const modules = record.modules;
  if (!Array.isArray(modules) || modules.length === 0 || modules.some((name) => typeof name !== "string" || name === "")) {
    return fieldProblem(file, "modules" in record ? "modules" : null, `manifest.json needs "modules": ["main", ...] (module names, in update order)`);
  }
  const textures = record.textures ?? {};
  if (typeof textures !== "object" || textures === null || Object.values(textures).some((file) => typeof file !== "string")) {
    return fieldProblem(file, "textures", `manifest.json "textures" must map names to file names`);
  }
  const size: Record<"width" | "height", number> = { ...DEFAULT_CANVAS };
  for (const key of ["width", "height"] as const) {
    const given = record[key];
    if (given === undefined) continue;
    if (typeof given !== "number" || !Number.isInteger(given) || given < 16 || given > 8192) {
      return fieldProblem(file, key, `manifest.json "${key}" must be a whole number of pixels from 16 to 8192 (got ${JSON.stringify(given)})`);
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

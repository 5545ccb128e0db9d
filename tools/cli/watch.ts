// Watches a game's source folder with chokidar (fs.watch, no polling) and turns an editor's save,
// whatever its shape, into one settled change: truncate-then-write, write-temp-then-rename-over and
// delete-then-recreate all end as a single "changed". Every event (chokidar's add/change/unlink and
// its raw fs.watch events, which chokidar itself throttles away) restarts a short debounce; when
// the folder has been quiet for it, each touched file is read once and compared with the text we
// already have. A file that is missing or suddenly empty gets one extra grace wait, because it is
// usually a save in progress; if it is still missing after that it counts as removed.

import { watch, type FSWatcher } from "chokidar";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export type SourceChangeKind = "added" | "changed" | "removed";

export interface SourceChange {
  /** Absolute path of the file. */
  path: string;
  kind: SourceChangeKind;
}

/**
 * Quiet time that ends a burst of events. One save's events (open with truncate, write, close)
 * arrive within a millisecond; a save in several steps leaves the file empty or missing in
 * between, which the grace wait covers. So the debounce only has to gather one save's events.
 */
export const DEFAULT_DEBOUNCE_MS = 3;

export interface WatchSourcesOptions {
  /** Quiet time that ends a burst of events (default DEFAULT_DEBOUNCE_MS). */
  debounceMs?: number;
  /** Extra wait when a file is missing or empty at the end of a burst (default 40 ms). */
  graceMs?: number;
  /** Files that matter (default: `.rib` files and `manifest.json`). */
  isSource?: (path: string) => boolean;
  /** Told about every event on a source file, before the burst settles (to start work early). */
  onActivity?: (path: string) => void;
  /** One call per settled burst, with every file whose text really changed. */
  onSettled: (changes: SourceChange[]) => void;
  onError?: (error: unknown) => void;
}

export interface SourceWatcher {
  /** Absolute path → text, as of the last settled burst: what the compiler should see. */
  readonly sources: Map<string, string>;
  close(): Promise<void>;
}

/** `.rib` modules and `manifest.json`; not editors' hidden companions such as Emacs's `.#main.rib`. */
export function isGameSource(path: string): boolean {
  const name = basename(path);
  if (name.startsWith(".") || name.startsWith("#")) return false;
  return name.endsWith(".rib") || name === "manifest.json";
}

/** Folders that never hold game sources (dot folders, node_modules). */
function isSkippedFolder(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** Every source file under `root` with its text, read once at start. */
export function readSourceTree(root: string, isSource: (path: string) => boolean = isGameSource): Map<string, string> {
  const sources = new Map<string, string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && !isSkippedFolder(entry.name)) visit(path);
      else if (entry.isFile() && isSource(path)) sources.set(path, readFileSync(path, "utf8"));
    }
  };
  visit(root);
  return sources;
}

/** The file's text, or null when it does not exist (or is not a file) right now. */
export function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Starts watching `root`; resolves once chokidar has seen the whole tree. */
export async function watchSources(root: string, options: WatchSourcesOptions): Promise<SourceWatcher> {
  const folder = resolve(root);
  const isSource = options.isSource ?? isGameSource;
  const sources = readSourceTree(folder, isSource);
  const settler = createSettler(sources, options);
  const watcher = watch(folder, {
    ignoreInitial: true,
    ignored: (path, stats) => path !== folder && (isSkippedFolder(basename(path)) || (stats?.isFile() === true && !isSource(path))),
  });
  // Raw fs.watch events arrive first and unthrottled, so they time the burst. Chokidar's own
  // add/change/unlink come after an asynchronous stat (late when the process is busy compiling):
  // they only join a burst already under way, but alone (a file in a new sub-folder) start one.
  const touched = (path: string, timesBurst: boolean) => {
    if (isSource(path)) settler.touch(resolve(path), timesBurst);
  };
  const normalized = (path: string) => touched(path, false);
  watcher.on("add", normalized).on("change", normalized).on("unlink", normalized);
  watcher.on("raw", (_event, eventPath, details) => touched(rawEventPath(eventPath, (details as { watchedPath?: string }).watchedPath, isSource), true));
  watcher.on("error", (error) => options.onError?.(error));
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return { sources, close: () => closeAll(watcher, settler) };
}

/** A raw fs.watch event names a file relative to the watched folder, or the watched file itself. */
function rawEventPath(eventPath: string, watchedPath: string | undefined, isSource: (path: string) => boolean): string {
  if (!watchedPath) return eventPath;
  if (!eventPath || isSource(watchedPath)) return watchedPath;
  return join(watchedPath, eventPath);
}

async function closeAll(watcher: FSWatcher, settler: Settler): Promise<void> {
  settler.cancel();
  await watcher.close();
}

// ---------------------------------------------------------------- debounce and settle

interface Settler {
  /** `timesBurst` false: only starts a burst, never makes a pending one wait longer. */
  touch(path: string, timesBurst: boolean): void;
  cancel(): void;
}

/** Collects touched paths; when the burst is quiet, reads them and reports real changes once. */
function createSettler(sources: Map<string, string>, options: WatchSourcesOptions): Settler {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const graceMs = options.graceMs ?? 40;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let graceUntil = 0;
  let graced = false;

  const schedule = (delay: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(settle, delay);
  };
  const settle = () => {
    timer = null;
    const texts = new Map([...pending].map((path) => [path, readIfPresent(path)]));
    if (!graced && [...texts].some(([path, text]) => looksMidSave(sources.get(path), text))) {
      graced = true;
      graceUntil = performance.now() + graceMs;
      schedule(graceMs);
      return;
    }
    pending.clear();
    graced = false;
    const changes = applyTexts(sources, texts);
    if (changes.length > 0) report(options, changes);
  };
  return {
    touch(path, timesBurst) {
      const pendingAlready = pending.has(path);
      pending.add(path);
      if (timesBurst || !pendingAlready) schedule(Math.max(debounceMs, graceUntil - performance.now()));
      options.onActivity?.(path);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

/** A known file that is now missing or empty is most likely half-way through a save. */
function looksMidSave(previous: string | undefined, text: string | null): boolean {
  return previous !== undefined && previous !== "" && (text === null || text === "");
}

/** Updates `sources` with what is on disk now and lists the files whose text really changed. */
function applyTexts(sources: Map<string, string>, texts: Map<string, string | null>): SourceChange[] {
  const changes: SourceChange[] = [];
  for (const [path, text] of texts) {
    const previous = sources.get(path);
    if (text === null) {
      if (previous === undefined) continue;
      sources.delete(path);
      changes.push({ path, kind: "removed" });
    } else if (text !== previous) {
      sources.set(path, text);
      changes.push({ path, kind: previous === undefined ? "added" : "changed" });
    }
  }
  return changes;
}

function report(options: WatchSourcesOptions, changes: SourceChange[]): void {
  try {
    options.onSettled(changes);
  } catch (error) {
    if (options.onError) options.onError(error);
    else throw error;
  }
}

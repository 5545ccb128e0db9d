// `ribbon dev --headless`: the real CLI in a child process, a real temp game folder and real
// saves in the shapes editors use (plain, truncate-then-write, rename-over, delete-then-recreate,
// a syntax error and its fix). Each save must give exactly one reload report, and the game's
// state (a tick counter it prints) must survive every reload.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryRoot } from "../helpers/ribbon.ts";

const WAIT_MS = 10_000;
/** How long a save may keep producing reports after its first one (debounce + grace + margin). */
const QUIET_MS = 400;

/** Prints `tick N step S` every 6 ticks; `ticks` is module state, so it survives reloads. */
function gameSource(step: number | string): string {
  return `;; dev test game: a tick counter (state) and a step constant (code)
STEP := ${step}
ticks : mut = 0

update := fun (dt: f64).
    ticks = ticks + 1
    if ticks % 6 == 0.
        print ("tick " + str ticks + " step " + str STEP)
`;
}

interface RunningDev {
  child: ChildProcessWithoutNullStreams;
  folder: string;
  file: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

const running: RunningDev[] = [];

afterEach(async () => {
  for (const dev of running.splice(0)) {
    dev.child.kill("SIGKILL");
    await dev.exited;
    rmSync(dev.folder, { recursive: true, force: true });
  }
});

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    into.push(...lines);
  });
}

interface StartOptions {
  extraArgs?: string[];
  /** Other files of the game folder, by name. */
  files?: Record<string, string>;
  readyLine?: string;
  /** Whether to wait for the game to print (false for a game that does not compile yet). */
  printing?: boolean;
}

async function startDev(source: string, options: StartOptions = {}): Promise<RunningDev> {
  const folder = mkdtempSync(join(tmpdir(), "ribbon-dev-"));
  const file = join(folder, "game.rib");
  writeFileSync(file, source);
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(folder, name), text);
  const child = spawn(process.execPath, ["tools/bin/ribbon.mjs", "dev", "--headless", folder, ...(options.extraArgs ?? [])], { cwd: repositoryRoot });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const dev: RunningDev = { child, folder, file, stdout: [], stderr: [], exited };
  running.push(dev);
  collectLines(child.stdout, dev.stdout);
  collectLines(child.stderr, dev.stderr);
  const readyLine = options.readyLine ?? "[dev] watching 1 module";
  await waitFor(dev, "the ready line", () => dev.stderr.some((line) => line.startsWith(readyLine)));
  if (options.printing !== false) await waitFor(dev, "the game printing", () => dev.stdout.length >= 2);
  return dev;
}

async function waitFor(dev: RunningDev, what: string, ready: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${dev.stdout.slice(-10).join("\n")}\nstderr:\n${dev.stderr.join("\n")}`);
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function reports(dev: RunningDev): string[] {
  return dev.stderr.filter((line) => line.startsWith("[reload]"));
}

/** The last printed `tick N step S`. */
function lastPrinted(dev: RunningDev): { tick: number; step: string } {
  const match = /^tick (\d+) step (\S+)$/.exec(dev.stdout[dev.stdout.length - 1] ?? "");
  if (!match) throw new Error(`unexpected output: ${dev.stdout[dev.stdout.length - 1]}`);
  return { tick: Number(match[1]), step: match[2] };
}

/** Saves with `save`, waits for the first new report, then makes sure no second one follows. */
async function saveAndCollect(dev: RunningDev, save: () => Promise<void> | void): Promise<string[]> {
  const before = reports(dev).length;
  await save();
  await waitFor(dev, "a reload report", () => reports(dev).length > before);
  await sleep(QUIET_MS);
  return reports(dev).slice(before);
}

async function waitForStep(dev: RunningDev, step: string): Promise<void> {
  await waitFor(dev, `printing step ${step}`, () => dev.stdout.length > 0 && lastPrinted(dev).step === step);
}

describe("ribbon dev --headless", () => {
  it("swaps an edited constant and keeps the game's state", async () => {
    const dev = await startDev(gameSource(1));
    await sleep(200);
    const tickBefore = lastPrinted(dev).tick;
    const saved = await saveAndCollect(dev, () => writeFileSync(dev.file, gameSource(2)));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^\[reload\] game: swapped/);
    await waitForStep(dev, "2");
    const linesAfterSwap = dev.stdout.slice(dev.stdout.findIndex((line) => line.endsWith("step 2")));
    const ticksAfter = linesAfterSwap.map((line) => Number(/^tick (\d+)/.exec(line)![1]));
    expect(ticksAfter[0]).toBeGreaterThan(tickBefore);
    expect(ticksAfter).toEqual([...ticksAfter].sort((left, right) => left - right));
    expect(linesAfterSwap.every((line) => line.endsWith("step 2"))).toBe(true);
  });

  it("treats truncate-then-write as one save, even with a pause between the two", async () => {
    const dev = await startDev(gameSource(1));
    const quick = await saveAndCollect(dev, async () => {
      writeFileSync(dev.file, "");
      await sleep(1);
      writeFileSync(dev.file, gameSource(2));
    });
    expect(quick).toHaveLength(1);
    expect(quick[0]).toMatch(/swapped/);
    await waitForStep(dev, "2");
    const slow = await saveAndCollect(dev, async () => {
      writeFileSync(dev.file, "");
      await sleep(25);
      writeFileSync(dev.file, gameSource(3));
    });
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatch(/swapped/);
    await waitForStep(dev, "3");
  });

  it("treats an atomic save (write a temp file, rename it over) as one save", async () => {
    const dev = await startDev(gameSource(1));
    const saved = await saveAndCollect(dev, () => {
      const temporary = join(dev.folder, "game.rib.tmp-save");
      writeFileSync(temporary, gameSource(5));
      renameSync(temporary, dev.file);
    });
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^\[reload\] game: swapped/);
    await waitForStep(dev, "5");
  });

  it("treats delete-then-recreate as one save, never as a removal", async () => {
    const dev = await startDev(gameSource(1));
    const saved = await saveAndCollect(dev, async () => {
      unlinkSync(dev.file);
      await sleep(3);
      writeFileSync(dev.file, gameSource(7));
    });
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/swapped/);
    expect(dev.stderr.some((line) => line.includes("rejected") || line.includes("was removed"))).toBe(false);
    await waitForStep(dev, "7");
  });

  it("rejects a syntax error with its position, keeps running the old code, then swaps the fix", async () => {
    const dev = await startDev(gameSource(1));
    const broken = await saveAndCollect(dev, () => writeFileSync(dev.file, gameSource("3 +")));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/rejected/);
    expect(broken[0]).toMatch(/game\.rib:2:\d+/);
    expect(dev.stderr.join("\n")).toMatch(/> 2 \| STEP := 3 \+/);
    const printedBefore = dev.stdout.length;
    const tickBefore = lastPrinted(dev).tick;
    await waitFor(dev, "the old code printing on", () => dev.stdout.length >= printedBefore + 3);
    expect(lastPrinted(dev)).toEqual({ tick: expect.any(Number), step: "1" });
    expect(lastPrinted(dev).tick).toBeGreaterThan(tickBefore);
    const fixed = await saveAndCollect(dev, () => writeFileSync(dev.file, gameSource(4)));
    expect(fixed).toHaveLength(1);
    expect(fixed[0]).toMatch(/^\[reload\] game: swapped/);
    await waitForStep(dev, "4");
  });

  it("waits for a game that does not compile yet, and starts it once fixed", async () => {
    const dev = await startDev(gameSource("1 +"), { printing: false });
    expect(dev.stderr.join("\n")).toMatch(/game\.rib:2:\d+: error/);
    expect(dev.stderr.some((line) => line.includes("waiting for a fix"))).toBe(true);
    writeFileSync(dev.file, gameSource(8));
    await waitFor(dev, "the start line", () => dev.stderr.includes("[dev] started: game"));
    await waitForStep(dev, "8");
  });

  it("follows manifest.json: reloads an imported module, ignores .rib files outside the program", async () => {
    const main = `import physics
ticks : mut = 0
update := fun (dt: f64).
    ticks = ticks + 1
    if ticks % 6 == 0.
        print ("tick " + str ticks + " step " + str physics/GRAVITY)
`;
    const dev = await startDev(main, {
      files: { "manifest.json": JSON.stringify({ modules: ["game"] }), "physics.rib": "GRAVITY := 10\n", "stray.rib": "oops := 1\n" },
      readyLine: "[dev] watching 2 modules",
    });
    await waitForStep(dev, "10");
    const saved = await saveAndCollect(dev, () => writeFileSync(join(dev.folder, "physics.rib"), "GRAVITY := 20\n"));
    expect(saved).toHaveLength(1);
    // game uses physics/GRAVITY, which it compiles as its value: it is swapped at the same reload.
    expect(saved[0]).toMatch(/^\[reload\] physics, game: swapped/);
    await waitForStep(dev, "20");
    const before = reports(dev).length;
    writeFileSync(join(dev.folder, "stray.rib"), "oops := 2\n");
    await sleep(QUIET_MS);
    expect(reports(dev).length).toBe(before);
  });

  it("stops cleanly on Ctrl-C", async () => {
    const dev = await startDev(gameSource(1));
    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
    await waitFor(dev, "the stop line", () => dev.stderr.some((line) => /^\[dev\] stopped after \d+ ticks$/.test(line)));
  });

  it("stops by itself after --ticks N", async () => {
    const dev = await startDev(gameSource(1), { extraArgs: ["--ticks", "30"] });
    expect(await dev.exited).toBe(0);
    expect(dev.stdout.at(-1)).toBe("tick 30 step 1");
    await waitFor(dev, "the stop line", () => dev.stderr.includes("[dev] stopped after 30 ticks"));
  });
});

// The designer's tour (README.md, "Designer's tour"): its six edits applied in order to a running
// headless demo game, with the outcome each one reports and the state the tour says is kept.
// The edits below are the README's, character for character: a test checks that the README holds
// every `find` and `replace`, so the tour cannot drift from what is tested.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReloadReport } from "../../engine/reload/report.ts";
import { startDevSession, type DevSession } from "../../engine/reload/session.ts";
import { createMemoryHost } from "../../engine/runtime/host.ts";
import { poolKey } from "../../engine/runtime/names.ts";
import { hashWorld } from "../../engine/runtime/snapshot.ts";
import { stepWorld } from "../../engine/runtime/world.ts";
import { repositoryRoot } from "../helpers/ribbon.ts";
import { blindPlayer, gameSources, live, manifest, scriptFor, state } from "./game.ts";

/** One save: in `file`, replace `find` (its first occurrence, or every one with `all`) by `replace`. */
interface Edit {
  file: string;
  find: string;
  replace: string;
  all?: boolean;
}

/** A tour step: one or more saves, each with the outcome it reports. */
interface Step {
  title: string;
  saves: Array<{ edits: Edit[]; outcome: ReloadReport["outcome"] }>;
}

/** The migration function the rejection of step 4 hands over (ai is at version 3 by then). */
const SKELETON =
  "enemy-from-v3 := fun (prev: old Enemy) -> Enemy.\n" +
  "    Enemy { body = prev.body, type = prev.type, mode = prev.mode, accel = prev.accel, max-health = prev.max-hp, points = prev.points, timer = prev.timer, heading = prev.heading, post = prev.post, target = prev.target, reload = prev.reload, fire = prev.fire, tint = prev.tint }";

export const TOUR: Step[] = [
  {
    title: "Tweak a constant",
    saves: [{ edits: [{ file: "combat.rib", find: "FIRE-DELAY := 0.14", replace: "FIRE-DELAY := 0.05" }], outcome: "swapped" }],
  },
  {
    title: "Change an AI rule",
    saves: [{ edits: [{ file: "ai.rib", find: "if hp < e.max-hp * FLEE-BELOW or", replace: "if hp < e.max-hp or" }], outcome: "swapped" }],
  },
  {
    title: "Add a field with a default",
    saves: [
      {
        edits: [
          { file: "ai.rib", find: "    fire: i32 = 0\n}", replace: "    fire: i32 = 0,\n    tint: i32 = 0x80c0ff\n}" },
          { file: "ai.rib", find: "then HIT-TINT else 0xffffff", replace: "then HIT-TINT else e.tint" },
        ],
        outcome: "migrated",
      },
    ],
  },
  {
    title: "Rename a field and write its migration",
    saves: [
      { edits: [{ file: "ai.rib", find: "max-hp", replace: "max-health", all: true }], outcome: "rejected" },
      {
        edits: [
          {
            file: "ai.rib",
            find: "enemies := pool Enemy\n",
            replace: `enemies := pool Enemy\n\n${SKELETON}\n`,
          },
        ],
        outcome: "migrated",
      },
      // It is checked against the running version, which has no max-hp any more: delete it.
      { edits: [{ file: "ai.rib", find: `\n${SKELETON}\n`, replace: "" }], outcome: "swapped" },
    ],
  },
  {
    title: "Make a syntax error, then fix it",
    saves: [
      { edits: [{ file: "combat.rib", find: "if spread > 0.0.", replace: "if spread >= 0.0" }], outcome: "rejected" },
      { edits: [{ file: "combat.rib", find: "if spread >= 0.0", replace: "if spread >= 0.0." }], outcome: "swapped" },
    ],
  },
  {
    title: "Edit a module while a fiber is suspended in it",
    saves: [{ edits: [{ file: "patrol.rib", find: "SIZE := 130.0", replace: "SIZE := 200.0" }], outcome: "restarted" }],
  },
];

function applyEdits(sources: Record<string, string>, edits: Edit[]): void {
  for (const { file, find, replace, all } of edits) {
    const module = file.replace(/\.rib$/, "");
    const text = sources[module];
    if (!text?.includes(find)) throw new Error(`${file} has no ${JSON.stringify(find)}`);
    sources[module] = all ? text.split(find).join(replace) : text.replace(find, replace);
  }
}

/** The demo game in a dev session over in-memory sources, played by the blind player. */
function startTour() {
  const sources = gameSources();
  const host = createMemoryHost();
  const started = startDevSession({
    roots: manifest().modules,
    provider: (name) => (Object.hasOwn(sources, name) ? { path: `demo-game/${name}.rib`, text: sources[name] } : null),
    host,
    seed: manifest().seed,
  });
  if (!started.ok) throw new Error(started.diagnostics);
  const session: DevSession = started.session;
  const script = scriptFor(blindPlayer(20_000));
  return {
    sources,
    session,
    host,
    get world() {
      return session.world;
    },
    step(ticks: number, until?: () => boolean) {
      for (let index = 0; index < ticks; index++) {
        stepWorld(session.world, script.at(session.world.tick));
        if (until?.()) return;
      }
    },
    save(edits: Edit[]) {
      applyEdits(sources, edits);
      return session.reload();
    },
  };
}

/** A pool's live elements as `field path → value`, with their slots. */
function elements(world: DevSession["world"], module: string, pool: string): Array<Record<string, unknown>> {
  const live = world.byName[module].pools[poolKey(pool)];
  return live.liveSlots().map((slot) => ({ slot, ...Object.fromEntries(live.layout.columns.map((column, index) => [column.path, live.cols[index][slot]])) }));
}

function version(world: DevSession["world"], module: string): number {
  return world.modules.find((instance) => instance.name === module)!.version;
}

const TINT = 0x80c0ff;

describe("the designer's tour", () => {
  it("the README shows every edit of the tour, in order, with the text this test applies", () => {
    const readme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Designer's tour"), readme.indexOf("\n## ", readme.indexOf("## Designer's tour") + 1));
    expect(section.length).toBeGreaterThan(100);
    let from = 0;
    for (const [index, step] of TOUR.entries()) {
      const heading = section.indexOf(`### ${index + 1}. ${step.title}`);
      expect(heading, `step ${index + 1} heading`).toBeGreaterThanOrEqual(from);
      from = heading;
      const end = index + 1 < TOUR.length ? section.indexOf(`### ${index + 2}.`) : section.length;
      const text = section.slice(heading, end);
      for (const save of step.saves) {
        expect(text, `step ${index + 1} outcome`).toContain(`\`${save.outcome}\``);
        for (const edit of save.edits) {
          expect(text, `step ${index + 1} file`).toContain(`demo-game/${edit.file}`);
          expect(text, `step ${index + 1} find`).toContain(edit.find);
          expect(text, `step ${index + 1} replace`).toContain(edit.replace);
        }
      }
    }
  });

  it("applies the six edits in order to a running game, each with its outcome, keeping the state the tour says", () => {
    const tour = startTour();
    const world = () => tour.world;
    const score = () => state<number>(world(), "combat", "score");
    const enemies = () => live(world(), "ai", "enemies");
    const errors = () => tour.host.errors.map((error) => error.message);
    const outcomes: string[] = [];
    const save = (edits: Edit[]) => {
      const report = tour.save(edits);
      outcomes.push(report.outcome);
      return report;
    };

    // Mid-wave: enemies on the field, some already shot.
    tour.step(1300);
    expect(state<number>(world(), "spawner", "wave")).toBe(1);
    expect(enemies()).toBeGreaterThan(0);
    expect(score()).toBeGreaterThan(0);

    // 1. A constant: swapped; nothing about the world changes, the game carries on from this tick.
    {
      const [tick, points, count, hash] = [world().tick, score(), enemies(), hashWorld(world())];
      const report = save(TOUR[0].saves[0].edits);
      expect(report.outcome).toBe(TOUR[0].saves[0].outcome);
      expect(report.modules).toContain("combat");
      expect(report.tick).toBe(tick);
      expect([world().tick, score(), enemies(), hashWorld(world())]).toEqual([tick, points, count, hash]);
      expect(version(world(), "combat")).toBe(2);
      tour.step(120);
      expect(world().tick).toBe(tick + 120);
      expect(score()).toBeGreaterThanOrEqual(points);
    }

    // 2. An AI rule: swapped, state untouched; grunts hit once now flee.
    {
      const [tick, points, count, hash] = [world().tick, score(), enemies(), hashWorld(world())];
      const report = save(TOUR[1].saves[0].edits);
      expect(report.outcome).toBe(TOUR[1].saves[0].outcome);
      expect(report.modules).toContain("ai");
      expect([world().tick, score(), enemies(), hashWorld(world())]).toEqual([tick, points, count, hash]);
      expect(version(world(), "ai")).toBe(2);
    }

    // 3. A field with a default: migrated; every live enemy has the default, nothing else moved.
    {
      const [tick, points, count, fibers] = [world().tick, score(), enemies(), world().fibers.length];
      const before = elements(world(), "ai", "enemies");
      const report = save(TOUR[2].saves[0].edits);
      expect(report.outcome).toBe(TOUR[2].saves[0].outcome);
      expect(report.migrated).toEqual({ enemies: count });
      expect([world().tick, score(), enemies(), world().fibers.length]).toEqual([tick, points, count, fibers]);
      const after = elements(world(), "ai", "enemies");
      expect(after.map((enemy) => enemy.tint)).toEqual(before.map(() => TINT));
      expect(after.map(({ tint, ...rest }) => rest)).toEqual(before);
      tour.step(300);
      expect(elements(world(), "ai", "enemies").every((enemy) => enemy.tint === TINT)).toBe(true);
    }

    // 4. A rename: rejected with the migration function to paste (the game keeps running the old
    //    code); pasted: migrated, every enemy's max-health is its old max-hp.
    {
      const [rename, migration] = TOUR[3].saves;
      const hash = hashWorld(world());
      const rejected = save(rename.edits);
      expect(rejected.outcome).toBe(rename.outcome);
      expect(rejected.details).toContain("E0401");
      for (const line of SKELETON.split("\n")) expect(rejected.details).toContain(line);
      expect(hashWorld(world())).toBe(hash);
      expect(version(world(), "ai")).toBe(3);
      tour.step(60);

      const [tick, points, count, fibers] = [world().tick, score(), enemies(), world().fibers.length];
      const before = elements(world(), "ai", "enemies");
      const report = save(migration.edits);
      expect(report.outcome).toBe(migration.outcome);
      expect(report.migrated).toEqual({ enemies: count });
      expect([world().tick, score(), enemies(), world().fibers.length]).toEqual([tick, points, count, fibers]);
      const after = elements(world(), "ai", "enemies");
      expect(after.map((enemy) => [enemy.slot, enemy["max-health"]])).toEqual(before.map((enemy) => [enemy.slot, enemy["max-hp"]]));
      expect(after.every((enemy) => !("max-hp" in enemy))).toBe(true);
      expect(after.map(({ "max-health": _, ...rest }) => rest)).toEqual(before.map(({ "max-hp": _, ...rest }) => rest));
      expect(version(world(), "ai")).toBe(4);
      tour.step(120);

      const hashAfter = hashWorld(world());
      const cleanup = TOUR[3].saves[2];
      const cleaned = save(cleanup.edits);
      expect(cleaned.outcome).toBe(cleanup.outcome);
      expect(hashWorld(world())).toBe(hashAfter);
      tour.step(60);
    }

    // 5. A syntax error: rejected, the old code keeps running; fixed: swapped.
    {
      const [broken, fixed] = TOUR[4].saves;
      const [hash, combat] = [hashWorld(world()), version(world(), "combat")];
      const rejected = save(broken.edits);
      expect(rejected.outcome).toBe(broken.outcome);
      expect(rejected.reason).toContain("expected `then` or `.`");
      expect(rejected.details).toContain("demo-game/combat.rib:");
      expect(hashWorld(world())).toBe(hash);
      expect(version(world(), "combat")).toBe(combat);
      const tick = world().tick;
      tour.step(120);
      expect(world().tick).toBe(tick + 120);
      expect(version(world(), "combat")).toBe(combat);

      const [points, count] = [score(), enemies()];
      const report = save(fixed.edits);
      expect(report.outcome).toBe(fixed.outcome);
      expect(report.modules).toContain("combat");
      expect([world().tick, score(), enemies()]).toEqual([tick + 120, points, count]);
      expect(version(world(), "combat")).toBe(combat + 1);
      tour.step(60);
    }

    // 6. patrol.rib while sentinels patrol: restarted; the world starts over with the new code.
    {
      const versions = world().modules.map((instance) => [instance.name, instance.version]);
      tour.step(6000, () => world().fibers.length > 0);
      expect(world().fibers.length).toBeGreaterThan(0);
      expect(world().tick).toBeGreaterThan(1000);
      const report = save(TOUR[5].saves[0].edits);
      expect(report.outcome).toBe(TOUR[5].saves[0].outcome);
      expect(report.reason).toContain("a suspended fiber has a frame in patrol");
      expect(world().tick).toBe(0);
      expect([score(), enemies(), world().fibers.length, state<number>(world(), "spawner", "wave")]).toEqual([0, 0, 0, 0]);
      // The new patrol code, and every earlier edit still in the code it restarted with.
      for (const [name, before] of versions as Array<[string, number]>) expect(version(world(), name), name).toBeGreaterThanOrEqual(name === "patrol" ? before + 1 : before);
      tour.step(6000, () => world().fibers.length > 0 && world().tick % 30 === 0);
      expect(world().fibers.length).toBeGreaterThan(0);
      // The sentinels walk the larger square: corners 200 from their post (or pressed against a wall).
      const patrolling = elements(world(), "ai", "enemies").filter((enemy) => enemy["target.x"] !== enemy["post.x"] || enemy["target.y"] !== enemy["post.y"]);
      expect(patrolling.length).toBeGreaterThan(0);
      for (const enemy of patrolling) {
        const dx = Math.abs((enemy["target.x"] as number) - (enemy["post.x"] as number));
        const dy = Math.abs((enemy["target.y"] as number) - (enemy["post.y"] as number));
        expect(dx === 200 || enemy["target.x"] === 40 || enemy["target.x"] === 1240).toBe(true);
        expect(dy === 200 || enemy["target.y"] === 40 || enemy["target.y"] === 680).toBe(true);
      }
    }

    expect(outcomes).toEqual(TOUR.flatMap((step) => step.saves.map((save) => save.outcome)));
    expect(errors()).toEqual([]);
  });
});

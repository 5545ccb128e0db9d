// Applies a reload package to a running world at a frame boundary: stop-the-world check, the
// game's `hot/Reload` policy, new pools built beside the old ones, then an all-or-nothing commit
// and a probation during which a runtime error rolls everything back. Runs in Node and the page.

import { asRuntimeError, type RibbonRuntimeError } from "../runtime/errors.ts";
import { createFactory, createInstance, instantiate } from "../runtime/load.ts";
import type { CompiledModule, ModuleInstance } from "../runtime/module.ts";
import { effectKey, fieldKey, operationKey, poolKey, stateKey } from "../runtime/names.ts";
import type { Pool } from "../runtime/pool.ts";
import { restoreWorld, snapshotWorld } from "../runtime/snapshot.ts";
import type { HandlerValue } from "../runtime/support.ts";
import { Cancel } from "../runtime/support.ts";
import { modulesOnFiberStacks, restartWorld, startWorld, type World } from "../runtime/world.ts";
import { droppedValues, migrateGenerated, migrateWritten, poolBeside, removedVariantUses, type MigrationContext } from "./migrate.ts";
import type { ModulePlan, ReloadPackage } from "./plan-types.ts";
import { emptyTimings, type ReloadOutcome, type ReloadReport } from "./report.ts";

export interface ApplyOptions {
  /** Ticks after a reload during which a runtime error rolls it back (default 30). */
  probationTicks?: number;
  /** Milliseconds for the report's timings; injected so the runtime reads no clock itself. */
  now?: () => number;
  /** Told when probation rolls a reload back, some ticks after `applyReload` returned. */
  onRollback?: (report: ReloadReport) => void;
}

interface Staged {
  plan: ModulePlan;
  instance: ModuleInstance;
  decision: "auto" | "reset";
  pools: Record<string, Pool>;
  state: Record<string, unknown>;
  migrated: Record<string, number>;
  /** Known only on the world side, where the live values are: e.g. how many lost a dropped field. */
  warnings: string[];
}

class Refusal extends Error {
  constructor(
    readonly outcome: ReloadOutcome,
    message: string,
    /** Diagnostics with code frames, when there are any to show. */
    readonly details = "",
  ) {
    super(message);
  }
}

export function applyReload(world: World, pkg: ReloadPackage, options: ApplyOptions = {}): ReloadReport {
  const now = options.now ?? (() => 0);
  const report = baseReport(world, pkg);
  if (pkg.rejection) return finish(report, "rejected", pkg.rejection.reason, pkg.rejection.details);
  if (pkg.plans.length === 0) return finish(report, "swapped", "nothing changed", "");
  const busy = pkg.plans.map((plan) => plan.module).filter((name) => modulesOnFiberStacks(world).has(name));
  if (busy.length > 0) {
    const versions = new Map(world.modules.map((instance) => [instance.name, instance.version]));
    restartWorld(world, pkg.modules);
    for (const instance of world.modules) {
      instance.version = pkg.plans.find((plan) => plan.module === instance.name)?.toVersion ?? versions.get(instance.name) ?? 1;
    }
    return finish(report, "restarted", `a suspended fiber has a frame in ${busy.join(", ")}; migrating live stacks is unsafe, so the world restarted with the new code`, "");
  }
  let staged: Staged[];
  const migrateStart = now();
  try {
    staged = stageAll(world, pkg);
  } catch (thrown) {
    if (thrown instanceof Refusal) return finish(report, thrown.outcome, thrown.message, thrown.details);
    throw thrown;
  }
  report.timings.migrate = now() - migrateStart;
  const commitStart = now();
  const outcome = commit(world, pkg, staged, report, options);
  report.timings.commit = now() - commitStart;
  for (const entry of staged) {
    Object.assign(report.migrated, entry.migrated);
    report.warnings.push(...entry.warnings);
  }
  return finish(report, outcome, describeChanges(staged), "");
}

function baseReport(world: World, pkg: ReloadPackage): ReloadReport {
  return {
    outcome: "swapped",
    modules: pkg.plans.length > 0 ? pkg.plans.map((plan) => plan.module) : (pkg.rejection?.modules ?? []),
    reason: "",
    migrated: {},
    warnings: [...pkg.warnings],
    details: "",
    timings: { ...emptyTimings(), compile: pkg.timings.compile, plan: pkg.timings.plan },
    tick: world.tick,
    versions: Object.fromEntries(world.modules.map((instance) => [instance.name, instance.version])),
  };
}

function finish(report: ReloadReport, outcome: ReloadOutcome, reason: string, details: string): ReloadReport {
  report.outcome = outcome;
  report.reason = reason;
  report.details = details;
  return report;
}

function describeChanges(staged: Staged[]): string {
  const changes = staged.flatMap((entry) => entry.plan.changes.map((change) => `${change.change} ${change.detail}`));
  const resets = staged.filter((entry) => entry.decision === "reset").map((entry) => `${entry.plan.module} reset by the game's reload policy`);
  // A plain swap still says why: the code changed and no data needed migrating.
  return [...resets, ...changes].join("; ") || "code changed; no data to migrate";
}

// ---------------------------------------------------------------- staging

function stageAll(world: World, pkg: ReloadPackage): Staged[] {
  const staged = new Map<string, { instance: ModuleInstance }>();
  const modules: Record<string, ModuleInstance> = { ...world.byName };
  for (const plan of pkg.plans) {
    const compiled = pkg.modules.find((module) => module.name === plan.module)!;
    const instance = createInstance(compiled, plan.toVersion);
    staged.set(plan.module, { instance });
    modules[plan.module] = instance;
  }
  for (const { instance } of staged.values()) {
    instantiate(world.rt, instance, modules, createFactory(instance.compiled, world.factories));
  }
  const context: MigrationContext = { staged, running: world.byName };
  return pkg.plans.map((plan) => stageModule(world, context, plan, staged.get(plan.module)!.instance));
}

function stageModule(world: World, context: MigrationContext, plan: ModulePlan, instance: ModuleInstance): Staged {
  const decision = plan.added ? "auto" : askPolicy(world, plan);
  if (decision === "auto" && plan.problem) throw new Refusal("rejected", plan.problem.reason, plan.problem.details);
  const entry: Staged = { plan, instance, decision, pools: {}, state: {}, migrated: {}, warnings: [] };
  const running = world.byName[plan.module];
  if (decision === "reset" || !running) {
    entry.pools = instance.pools;
    return entry;
  }
  stagePools(world, context, entry, running);
  stageState(world, context, entry, running);
  return entry;
}

function stagePools(world: World, context: MigrationContext, entry: Staged, running: ModuleInstance): void {
  for (const poolPlan of entry.plan.pools) {
    const key = poolKey(poolPlan.pool);
    const old = running.pools[key];
    const layoutSource = entry.instance.pools[key];
    switch (poolPlan.kind) {
      case "removed":
        continue;
      case "added":
        entry.pools[key] = layoutSource;
        continue;
      case "unchanged":
        entry.pools[key] = old;
        continue;
      case "generated": {
        const uses = removedVariantUses(old, poolPlan.removedVariants);
        if (uses.length > 0) {
          const listed = uses.map((use) => `${use.typeName}/${use.name} (${use.count} live value${use.count === 1 ? "" : "s"})`).join(", ");
          throw new Refusal("rejected", `removed variant still in use: ${listed}; write a migration function \`(old ${uses[0].typeName}) -> ${uses[0].typeName}\``);
        }
        for (const { name, count } of droppedValues(old, poolPlan.droppedFields)) {
          entry.warnings.push(`field ${name} was removed: dropped from ${count} live value${count === 1 ? "" : "s"} of pool ${poolPlan.pool}`);
        }
        const fresh = poolBeside(old, layoutSource);
        migrateGenerated(context, old, fresh, poolPlan);
        entry.pools[key] = fresh;
        entry.migrated[poolPlan.pool] = old.live;
        continue;
      }
      case "written": {
        const fresh = poolBeside(old, layoutSource);
        const owner = context.staged.get(poolPlan.module)?.instance ?? world.byName[poolPlan.module];
        const migration = owner.table[poolPlan.exportKey] as (value: Record<string, unknown>) => Record<string, unknown>;
        runMigration(world, poolPlan.functionName, () => migrateWritten(running.entry, entry.instance.entry, migration, old, fresh));
        entry.pools[key] = fresh;
        entry.migrated[poolPlan.pool] = old.live;
        continue;
      }
      default: {
        const never: never = poolPlan;
        return never;
      }
    }
  }
}

/** A migration function that throws or cancels aborts the whole reload, before any commit. */
function runMigration(world: World, name: string, body: () => void): void {
  world.rt.budget.left = world.loopBudget;
  try {
    body();
  } catch (thrown) {
    if (thrown instanceof Cancel) throw new Refusal("rolled-back", `migration function ${name} cancelled the reload`);
    const error = asRuntimeError(thrown, null);
    throw new Refusal("rolled-back", `migration function ${name} failed: ${error.message}`);
  }
}

function stageState(world: World, context: MigrationContext, entry: Staged, running: ModuleInstance): void {
  for (const statePlan of entry.plan.states) {
    const key = stateKey(statePlan.name);
    switch (statePlan.kind) {
      case "kept":
      case "initializer-changed":
        entry.state[key] = running.state[key];
        continue;
      case "written": {
        // The function may live in another module of the reload, like a pool's migration function.
        const owner = context.staged.get(statePlan.module)?.instance ?? world.byName[statePlan.module];
        const migration = owner.table[statePlan.exportKey] as (value: unknown) => unknown;
        runMigration(world, statePlan.functionName, () => {
          entry.state[key] = migration(running.state[key]);
        });
        continue;
      }
      case "new":
      case "retyped":
      case "removed":
        continue;
      default: {
        const never: never = statePlan;
        return never;
      }
    }
  }
}

/** The game's top-level `handler hot/Reload.` (in the running code) decides; none means auto. */
function askPolicy(world: World, plan: ModulePlan): "auto" | "reset" {
  const policy = findPolicy(world);
  if (!policy) return "auto";
  const planValue = {
    [fieldKey("module")]: plan.module,
    [fieldKey("from-version")]: plan.fromVersion,
    [fieldKey("to-version")]: plan.toVersion,
    [fieldKey("live-values")]: liveValues(world.byName[plan.module]),
    [fieldKey("changes")]: plan.changes.length,
  };
  try {
    const decision = policy.clauses[operationKey("migrate")](planValue) as { tag: number };
    return decision.tag === 1 ? "reset" : "auto";
  } catch (thrown) {
    if (thrown instanceof Cancel) throw new Refusal("rejected", `the game's reload policy refused the reload of ${plan.module}`);
    throw new Refusal("rejected", `the game's reload policy failed: ${asRuntimeError(thrown, null).message}`);
  }
}

/** Elements alive in a module's pools: what a reset of that module would throw away. */
function liveValues(instance: ModuleInstance | undefined): number {
  return Object.values(instance?.pools ?? {}).reduce((sum, pool) => sum + pool.live, 0);
}

function findPolicy(world: World): HandlerValue | null {
  const key = effectKey("hot/Reload");
  for (const instance of world.modules) {
    for (const value of Object.values(instance.table)) {
      if (value && typeof value === "object" && (value as HandlerValue).key === key) return value as HandlerValue;
    }
  }
  return null;
}

// ---------------------------------------------------------------- commit and rollback

function commit(world: World, pkg: ReloadPackage, staged: Staged[], report: ReloadReport, options: ApplyOptions): ReloadOutcome {
  const before: BeforeReload = {
    snapshot: snapshotWorld(world),
    modules: world.modules.map((instance) => ({ instance, compiled: instance.compiled, version: instance.version })),
    nextFiberId: world.nextFiberId,
    halted: new Map(world.halted),
  };
  for (const entry of staged) commitModule(world, entry);
  orderModules(world, pkg.modules);
  for (const entry of staged) startModule(world, entry);
  world.probation = {
    untilTick: world.tick + (options.probationTicks ?? 30),
    onError: (error) => rollback(world, before, report, error, options),
  };
  const reset = staged.some((entry) => entry.decision === "reset");
  const migrated = staged.some((entry) => Object.keys(entry.migrated).length > 0 || entry.plan.states.some((state) => state.kind === "written"));
  return reset ? "reset" : migrated ? "migrated" : "swapped";
}

function commitModule(world: World, entry: Staged): void {
  let instance = world.byName[entry.plan.module];
  if (!instance) {
    instance = createInstance(entry.instance.compiled, entry.plan.toVersion);
    world.modules.push(instance);
    world.byName[instance.name] = instance;
  }
  instance.compiled = entry.instance.compiled;
  instance.version = entry.plan.toVersion;
  replaceContents(instance.pools, entry.pools);
  replaceContents(instance.state, entry.state);
  for (const key of Object.keys(instance.table)) delete instance.table[key];
  instantiate(world.rt, instance, world.byName, createFactory(instance.compiled, world.factories));
  world.halted.delete(instance.name);
}

/** New state starts from its initializer; a reset or new module also runs its `init`. */
function startModule(world: World, entry: Staged): void {
  const instance = world.byName[entry.plan.module];
  instance.entry.initState();
  if ((entry.decision === "reset" || entry.plan.added) && instance.entry.init) instance.entry.init();
}

function replaceContents<T>(target: Record<string, T>, source: Record<string, T>): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

function orderModules(world: World, compiled: CompiledModule[]): void {
  const order = new Map(compiled.map((module, index) => [module.name, index]));
  world.modules.sort((left, right) => (order.get(left.name) ?? 0) - (order.get(right.name) ?? 0));
}

/** What probation needs to put the world back exactly as it was before the commit. */
interface BeforeReload {
  snapshot: ReturnType<typeof snapshotWorld>;
  modules: Array<{ instance: ModuleInstance; compiled: CompiledModule; version: number }>;
  /** Fibers with this id or higher were spawned by the new code. */
  nextFiberId: number;
  /** Modules halted by an earlier failure stay halted: the old code would still fail there. */
  halted: Map<string, RibbonRuntimeError>;
}

function rollback(world: World, before: BeforeReload, applied: ReloadReport, error: RibbonRuntimeError, options: ApplyOptions): void {
  const { snapshot, modules: previous } = before;
  world.modules = previous.map((entry) => entry.instance);
  world.byName = Object.fromEntries(world.modules.map((instance) => [instance.name, instance]));
  for (const entry of previous) {
    entry.instance.compiled = entry.compiled;
    entry.instance.version = entry.version;
    for (const key of Object.keys(entry.instance.table)) delete entry.instance.table[key];
    instantiate(world.rt, entry.instance, world.byName, createFactory(entry.compiled, world.factories));
  }
  restoreWorld(world, snapshot);
  world.fibers = world.fibers.filter((fiber) => fiber.id < before.nextFiberId);
  world.halted = new Map(before.halted);
  options.onRollback?.({
    ...applied,
    outcome: "rolled-back",
    reason: `the new code failed during probation: ${error.message}; the world is back at tick ${snapshot.tick} with the old code`,
    migrated: {},
    tick: world.tick,
  });
}

export { startWorld };

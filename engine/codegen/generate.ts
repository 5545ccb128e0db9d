// Entry point of code generation: one checked module becomes a CompiledModule whose code is the
// body of a factory `(rt, instance, modules) => entry`. The factory binds aliases for the state,
// pools and imported tables, defines functions and constants, and publishes them in its table.

import type { CheckedProgram, ModuleInfo } from "../checker/program.ts";
import { resolve } from "../checker/types.ts";
import { exportKey, fieldKey, poolKey, stateKey } from "../runtime/names.ts";
import type { CompiledModule } from "../runtime/module.ts";
import type * as Ast from "../syntax/ast.ts";
import { createFunctionGen, emit, nested, type ModuleGen } from "./emitter.ts";
import { compile } from "./expressions.ts";
import { compileFunction } from "./functions.ts";
import { layoutOf } from "./layout.ts";
import { hasQuietTwin, quietTwinName } from "./quiet-draw.ts";
import { elementAccessors } from "./pools.ts";
import { constantName, functionName, importAlias, referencedModules } from "./values.ts";
import { someExpression } from "./walk.ts";

export interface GenerateOptions {
  /** Compile small same-module calls in place (inline.ts). */
  inline: boolean;
}

export function generateModule(program: CheckedProgram, module: ModuleInfo, options: GenerateOptions = { inline: true }): CompiledModule {
  const moduleGen: ModuleGen = {
    program,
    module,
    sites: [],
    helpers: [],
    helperNames: new Map(),
    nextTemp: 0,
    cancelNames: new Map(),
    poolEffects: new Map(),
    layouts: new Map(),
    bodyEffects: new Map(),
    quietBodyEffects: new Map(),
    quietTwins: new Map(),
    facts: new Map(),
    referenced: new Set(referencedModules(module)),
    functionName: "",
    inline: options.inline,
    foldImportedConstants: !canHoldFiberFrames(program, module),
    inlinable: new Map(),
    callSites: null,
    inlinedScalarUnions: new Map(),
    lambdas: [],
    resumeEntries: [],
  };
  const body = [...functionDeclarations(moduleGen), ...constantDefinitions(moduleGen), initStateFunction(moduleGen), ...exports(moduleGen)];
  const access = [poolAccessObject(moduleGen), defaultsObject(moduleGen), resumeObject(moduleGen)];
  // The header comes last: it binds every module the code turned out to read.
  const code = [header(moduleGen), ...moduleGen.helpers, ...moduleGen.lambdas, ...body, ...access, entryReturn(module)].join("\n");
  return {
    name: module.name,
    path: module.file.path,
    source: module.file.text,
    code,
    sites: moduleGen.sites,
    pools: [...module.pools.values()].flatMap((pool) => {
      const element = resolve(pool.element);
      return element.kind === "Struct" ? [{ name: pool.name, layout: layoutOf(element.struct) }] : [];
    }),
    states: [...module.states.keys()],
    imports: [...moduleGen.referenced],
    hasInit: module.functions.has("init"),
    hasUpdate: module.functions.has("update"),
  };
}

/**
 * Whether a fiber can wait in this module: one of its functions or lambdas can `wait`. A reload
 * that changes the code of a module a fiber waits in falls back to a restart (HOT-RELOAD.md), so
 * such a module reads imported constants from their tables: editing one then leaves its code,
 * and so its fibers, as they were.
 */
function canHoldFiberFrames(program: CheckedProgram, module: ModuleInfo): boolean {
  const waits = (expr: Ast.Expr) => expr.kind === "FunExpr" && (program.rows.get(expr)?.has("Wait") ?? false);
  for (const fn of module.functions.values()) if (someExpression(fn.node, waits)) return true;
  for (const constant of module.constants.values()) if (someExpression(constant.value, waits)) return true;
  for (const state of module.states.values()) if (someExpression(state.initializer, waits)) return true;
  return false;
}

function header(moduleGen: ModuleGen): string {
  const module = moduleGen.module;
  const lines = [
    `"use strict";`,
    `// module ${module.name}`,
    "const S = instance.state, POOLS = instance.pools, TABLE = instance.table, SITES = instance.compiled.sites;",
    "const B = rt.budget, M = rt.math, CS = rt.cosSin;",
  ];
  for (const name of moduleGen.referenced) {
    const target = `modules[${JSON.stringify(name)}]`;
    lines.push(`const ${importAlias("T", name)} = ${target}.table, ${importAlias("S", name)} = ${target}.state, ${importAlias("P", name)} = ${target}.pools;`);
  }
  return lines.join("\n");
}

function functionDeclarations(moduleGen: ModuleGen): string[] {
  const declarations: string[] = [];
  for (const fn of moduleGen.module.functions.values()) {
    moduleGen.functionName = fn.name;
    if (fn.uncheckedMigration) {
      declarations.push(`function ${functionName(fn.name)}() { throw new Error("migration function ${fn.name} needs a running version"); }`);
      continue;
    }
    const name = functionName(fn.name);
    if (!hasQuietTwin(moduleGen, fn)) {
      declarations.push(compileFunction(moduleGen, fn.node, name, "", fn.type));
      continue;
    }
    declarations.push(compileFunction(moduleGen, fn.node, name, "", fn.type, undefined, "dispatch"));
    declarations.push(compileFunction(moduleGen, fn.node, quietTwinName(name), "", fn.type, undefined, "quiet"));
  }
  moduleGen.functionName = "";
  return declarations;
}

/** Constants are evaluated at every instantiation, so a reload applies new values at once. */
function constantDefinitions(moduleGen: ModuleGen): string[] {
  const gen = createFunctionGen(moduleGen, false, "");
  for (const name of moduleGen.module.constantOrder) {
    const constant = moduleGen.module.constants.get(name)!;
    moduleGen.functionName = name;
    emit(gen, `const ${constantName(name)} = ${compile(gen, constant.value)};`);
  }
  moduleGen.functionName = "";
  return gen.lines;
}

/** State keeps its value across reloads: only bindings not there yet get their initializer. */
function initStateFunction(moduleGen: ModuleGen): string {
  const gen = createFunctionGen(moduleGen, false, "  ");
  for (const state of moduleGen.module.states.values()) {
    const key = stateKey(state.name);
    emit(gen, `if (!(${JSON.stringify(key)} in S)) {`);
    nested(gen, () => emit(gen, `S.${key} = ${compile(gen, state.initializer)};`));
    emit(gen, "}");
  }
  return `function initState() {\n${gen.lines.join("\n")}\n}`;
}

function exports(moduleGen: ModuleGen): string[] {
  const lines: string[] = [];
  for (const name of moduleGen.module.functions.keys()) lines.push(`TABLE.${exportKey(name)} = ${functionName(name)};`);
  for (const name of moduleGen.module.constantOrder) lines.push(`TABLE.${exportKey(name)} = ${constantName(name)};`);
  return lines;
}

/** Per pool: whole-element reader and writer, used by data migration and snapshots. */
function poolAccessObject(moduleGen: ModuleGen): string {
  const gen = createFunctionGen(moduleGen, false, "  ");
  const entries: string[] = [];
  for (const pool of moduleGen.module.pools.values()) {
    if (resolve(pool.element).kind !== "Struct") continue;
    const { read, write } = elementAccessors(gen, pool);
    entries.push(`  ${poolKey(pool.name)}: { read: ${read}, write: ${write} },`);
  }
  return `const POOL_ACCESS = {\n${entries.join("\n")}\n};`;
}

/**
 * Field defaults of every struct and union variant, as values: a migration fills fields added
 * to a live type from here. Keys are `Name` and `Union/Variant`.
 */
function defaultsObject(moduleGen: ModuleGen): string {
  const owners = [
    ...[...moduleGen.module.structs.values()].map((struct) => ({ key: struct.name, fields: struct.fields })),
    ...[...moduleGen.module.unions.values()].flatMap((union) => union.variants.map((variant) => ({ key: `${union.name}/${variant.name}`, fields: variant.fields }))),
  ];
  const entries = owners.map((owner) => {
    const gen = createFunctionGen(moduleGen, false, "    ");
    const fields = owner.fields.filter((field) => field.defaultValue).map((field) => `${fieldKey(field.name)}: ${compile(gen, field.defaultValue!)}`);
    return `  ${JSON.stringify(owner.key)}: function () {\n${[...gen.lines, `    return { ${fields.join(", ")} };`].join("\n")}\n  },`;
  });
  return `const DEFAULTS = {\n${entries.join("\n")}\n};`;
}

/** The restore entries of resumable functions that saved fiber frames can re-enter. */
function resumeObject(moduleGen: ModuleGen): string {
  return `const RESUME = {\n${moduleGen.resumeEntries.map((entry) => `  ${entry},`).join("\n")}\n};`;
}

function entryReturn(module: ModuleInfo): string {
  const init = module.functions.has("init") ? functionName("init") : "null";
  const update = module.functions.has("update") ? functionName("update") : "null";
  return `return { init: ${init}, update: ${update}, initState, pools: POOL_ACCESS, defaults: DEFAULTS, resume: RESUME };`;
}

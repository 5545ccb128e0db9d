// Name resolution: what `x`, `physics/bodies`, `Mode/Chase` or `hot/auto` refers to from inside
// a function, with did-you-mean hints (including the `x-1` read-as-one-name case).

import { PRELUDE_FUNCTIONS } from "./builtins.ts";
import { lookupLocal, report, type FunctionScope } from "./context.ts";
import type { ModuleInfo, NameExpr, Resolution } from "./program.ts";
import { suggestName, suggestSpacedOperators } from "./suggest.ts";
import type { UnionInfo } from "./types.ts";

export function resolveName(scope: FunctionScope, expr: NameExpr, options: { quiet?: boolean } = {}): Resolution | null {
  const segments = expr.path.segments;
  const found = segments.length === 1 ? resolveSimple(scope, segments[0]) : resolveQualified(scope.moduleScope.module, segments);
  if (!found && !options.quiet) reportUnknown(scope, expr);
  return found;
}

function resolveSimple(scope: FunctionScope, name: string): Resolution | null {
  const local = lookupLocal(scope, name);
  if (local) return { kind: "Local", binding: local };
  const module = scope.moduleScope.module;
  const own = memberOf(module, name);
  if (own) return own;
  const imported = module.importedNames.get(name);
  if (imported) return memberOf(imported.module, imported.name);
  if (PRELUDE_FUNCTIONS.has(name)) return { kind: "Builtin", name };
  return null;
}

/** A top-level value of a module: function, constant, state, pool or effect operation. */
export function memberOf(module: ModuleInfo, name: string): Resolution | null {
  const fn = module.functions.get(name);
  if (fn) return { kind: "Function", function: fn };
  const constant = module.constants.get(name);
  if (constant) return { kind: "Constant", constant };
  const state = module.states.get(name);
  if (state) return { kind: "State", state };
  const pool = module.pools.get(name);
  if (pool) return { kind: "Pool", pool };
  const operation = module.operations.get(name);
  if (operation) return { kind: "Operation", operation };
  return null;
}

function resolveQualified(module: ModuleInfo, segments: string[]): Resolution | null {
  const last = segments[segments.length - 1];
  const owner = segments.slice(0, -1);
  const target = owner.length === 1 ? module.imports.get(owner[0]) : undefined;
  if (target) {
    const member = memberOf(target, last);
    if (member) return member;
  }
  const union = lookupUnion(module, owner);
  if (!union) return null;
  const index = union.variants.findIndex((variant) => variant.name === last);
  return index < 0 ? null : { kind: "Variant", union, index };
}

export function lookupUnion(module: ModuleInfo, path: string[]): UnionInfo | null {
  if (path.length === 1) {
    const own = module.unions.get(path[0]);
    if (own) return own;
    const imported = module.importedNames.get(path[0]);
    return imported ? (imported.module.unions.get(imported.name) ?? null) : null;
  }
  if (path.length === 2) return module.imports.get(path[0])?.unions.get(path[1]) ?? null;
  return null;
}

function visibleNames(scope: FunctionScope): string[] {
  const module = scope.moduleScope.module;
  const names = scope.locals.flatMap((locals) => [...locals.keys()]);
  names.push(...module.functions.keys(), ...module.constants.keys(), ...module.states.keys());
  names.push(...module.pools.keys(), ...module.operations.keys(), ...module.importedNames.keys(), ...PRELUDE_FUNCTIONS);
  return names;
}

function reportUnknown(scope: FunctionScope, expr: NameExpr): void {
  const segments = expr.path.segments;
  const written = segments.join("/");
  const spaced = suggestSpacedOperators(written, (part) => resolveSimple(scope, part) !== null);
  if (spaced) {
    report(scope.moduleScope, expr.span, "E0130", `unknown name ${written}`, [
      { message: `Ribbon reads \`${written}\` as one name; operators need spaces: \`${spaced}\`` },
    ]);
    return;
  }
  if (segments.length > 1 && !scope.moduleScope.module.imports.has(segments[0]) && !lookupUnion(scope.moduleScope.module, segments.slice(0, -1))) {
    // An import that failed was reported where it is written; "import it first" would be wrong.
    if (failedImport(scope.moduleScope.module, segments[0])) return;
    report(scope.moduleScope, expr.span, "E0131", `unknown module or union ${segments.slice(0, -1).join("/")}`, [
      { message: `import it first: \`import ${segments.slice(0, -1).join("/")}\`` },
    ]);
    return;
  }
  const hint = segments.length === 1 ? suggestName(segments[0], visibleNames(scope)) : suggestQualified(scope.moduleScope.module, segments);
  report(scope.moduleScope, expr.span, "E0132", `unknown name ${written}${hint ? `; did you mean ${hint}?` : ""}`);
}

/** Whether `import .../name` is written but brought in neither a module nor a member. */
function failedImport(module: ModuleInfo, name: string): boolean {
  if (module.imports.has(name) || module.importedNames.has(name)) return false;
  return module.ast.items.some((item) => item.kind === "ImportItem" && item.path.segments[item.path.segments.length - 1] === name);
}

/** `physics/stepp` → `physics/step`: the closest member of the named module, or variant of the named union. */
function suggestQualified(module: ModuleInfo, segments: string[]): string | null {
  const owner = segments.slice(0, -1);
  const target = owner.length === 1 ? module.imports.get(owner[0]) : undefined;
  const candidates = target
    ? [...target.functions.keys(), ...target.constants.keys(), ...target.states.keys(), ...target.pools.keys(), ...target.operations.keys()]
    : (lookupUnion(module, owner)?.variants.map((variant) => variant.name) ?? []);
  const best = suggestName(segments[segments.length - 1], candidates);
  return best ? `${owner.join("/")}/${best}` : null;
}

export function describeResolution(resolution: Resolution): string {
  switch (resolution.kind) {
    case "Builtin":
      return `prelude function ${resolution.name}`;
    case "Operation":
      return `operation ${resolution.operation.name}`;
    case "Function":
      return `function ${resolution.function.name}`;
    case "Local":
      return `local ${resolution.binding.name}`;
    case "Constant":
      return `constant ${resolution.constant.name}`;
    case "State":
      return `state ${resolution.state.name}`;
    case "Pool":
      return `pool ${resolution.pool.name}`;
    case "Variant":
      return `variant ${resolution.union.variants[resolution.index].name}`;
    default: {
      const never: never = resolution;
      return never;
    }
  }
}

// Shared facts for code generation: the checked type of a node, JavaScript names of locals and
// module members, and how a value of each type is represented.
//
// Representation: numbers, booleans and strings are themselves (a Symbol is its name); a pointer
// is a number handle; a struct is an object with `f_` fields; a union is `{ tag, f_... }`; a tuple
// an array; Vec2 is `{ x, y }` when stored, but split into two scalars in locals, parameters and
// arithmetic, so vector math allocates nothing.

import type { LocalBinding, ModuleInfo, Resolution } from "../checker/program.ts";
import { BOOL, ERROR, FLOAT, INT, resolve, type PoolInfo, type Type } from "../checker/types.ts";
import type * as Ast from "../syntax/ast.ts";
import { exportKey, mangle, poolKey, stateKey } from "../runtime/names.ts";
import type { FunctionGen } from "./emitter.ts";

/** A literal or a name: its JavaScript is a value already, with no statements and no effect. */
export function isLiteralOrName(expr: Ast.Expr): boolean {
  switch (expr.kind) {
    case "IntLiteral":
    case "FloatLiteral":
    case "StringLiteral":
    case "SymbolLiteral":
    case "BoolLiteral":
    case "UnitLiteral":
    case "NameExpr":
      return true;
    default:
      return false;
  }
}

export function typeOf(gen: FunctionGen, expr: Ast.Expr): Type {
  // Literals always have their own type: no side-table lookup (the most frequent query here).
  switch (expr.kind) {
    case "IntLiteral":
      return INT;
    case "FloatLiteral":
      return FLOAT;
    case "BoolLiteral":
      return BOOL;
    default:
      return resolve(gen.module.program.types.get(expr) ?? ERROR);
  }
}

export function isVec(type: Type): boolean {
  return resolve(type).kind === "Vec2";
}

export function localName(binding: LocalBinding): string {
  return `l_${mangle(binding.name)}_${binding.id}`;
}

/** JavaScript names a local occupies: two for a Vec2 (x then y), else one. */
export function localNames(binding: LocalBinding): string[] {
  const base = localName(binding);
  return isVec(binding.type) ? [`${base}_x`, `${base}_y`] : [base];
}

export function functionName(name: string): string {
  return `F_${mangle(name)}`;
}

export function constantName(name: string): string {
  return `C_${mangle(name)}`;
}

/** Module-level alias of another module's table, state or pools record. */
export function importAlias(kind: "T" | "S" | "P", module: string): string {
  return `${kind}_${mangle(module)}`;
}

/** The alias of another module's record, noting that the module header must bind it. */
function otherModule(gen: FunctionGen, kind: "T" | "S" | "P", module: string): string {
  gen.module.referenced.add(module);
  return importAlias(kind, module);
}

export function poolExpression(gen: FunctionGen, pool: PoolInfo): string {
  const owner = pool.module === gen.module.module.name ? "POOLS" : otherModule(gen, "P", pool.module);
  return `${owner}.${poolKey(pool.name)}`;
}

/** The JavaScript expression reading a module-level name (not a local). */
export function memberExpression(gen: FunctionGen, resolution: Resolution): string {
  const here = gen.module.module.name;
  switch (resolution.kind) {
    case "Function":
      return resolution.function.module === here
        ? functionName(resolution.function.name)
        : `${otherModule(gen, "T", resolution.function.module)}.${exportKey(resolution.function.name)}`;
    case "Constant":
      return resolution.constant.module === here
        ? constantName(resolution.constant.name)
        : `${otherModule(gen, "T", resolution.constant.module)}.${exportKey(resolution.constant.name)}`;
    case "State": {
      const owner = resolution.state.module === here ? "S" : otherModule(gen, "S", resolution.state.module);
      return `${owner}.${stateKey(resolution.state.name)}`;
    }
    case "Pool":
      return poolExpression(gen, resolution.pool);
    default:
      throw new Error(`internal: ${resolution.kind} is not a module member`);
  }
}

/** Imported modules a module's code refers to (aliases are bound once at instantiation). */
export function referencedModules(module: ModuleInfo): string[] {
  const names = new Set<string>();
  for (const target of module.imports.values()) names.add(target.name);
  for (const imported of module.importedNames.values()) names.add(imported.module.name);
  names.delete(module.name);
  return [...names];
}

/** Whether a function value of this type compiles to a generator (its row contains Wait). */
export function isResumableType(type: Type): boolean {
  const resolved = resolve(type);
  return resolved.kind === "Function" && resolved.effects.has("Wait");
}

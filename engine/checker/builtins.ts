// The prelude (names every module sees without an import) and the engine's built-in modules,
// whose effects the host handles: Log and Wait here, Input, Rand, Draw and hot/Reload in Ribbon source.

import type { EffectInfo, OperationInfo, Type } from "./types.ts";
import { FLOAT, STR, UNIT } from "./types.ts";

/** Functions of the prelude; each is checked and compiled specially. */
export const PRELUDE_FUNCTIONS = new Set([
  "print",
  "vec2",
  "length",
  "normalize",
  "dot",
  "alloc",
  "free",
  "alive",
  "count",
  "spawn",
  "wait",
  "next-frame",
  "sqrt",
  "sin",
  "cos",
  "tan",
  "atan2",
  "floor",
  "ceil",
  "round",
  "abs",
  "min",
  "max",
  "clamp",
  "float",
  "int",
  "str",
]);

function hostEffect(name: string, operations: Array<[string, Type[], Type]>): EffectInfo {
  const effect: EffectInfo = { qualifiedName: name, name, module: "prelude", operations: new Map(), host: true };
  for (const [operationName, params, result] of operations) {
    const operation: OperationInfo = { name: operationName, params, result, effect };
    effect.operations.set(operationName, operation);
  }
  return effect;
}

export interface PreludeEffects {
  log: EffectInfo;
  wait: EffectInfo;
}

/** Fresh objects per compilation: the checker keeps no module-level state. */
export function createPreludeEffects(): PreludeEffects {
  return {
    log: hostEffect("Log", [["print-line", [STR], UNIT]]),
    wait: hostEffect("Wait", [["wait", [FLOAT], UNIT]]),
  };
}

/** Effects whose handlers the engine installs at the root of every fiber. */
export const HOST_EFFECT_NAMES = new Set([
  "Log",
  "Wait",
  "engine/input/Input",
  "engine/rand/Rand",
  "engine/draw/Draw",
  "hot/Reload",
]);

/** Whether `name` is an engine module; own keys only, so `import constructor` is not one. */
export function isBuiltinModule(name: string): boolean {
  return Object.hasOwn(BUILTIN_MODULE_SOURCES, name);
}

/** Ribbon source of the engine modules a game may import. */
export const BUILTIN_MODULE_SOURCES: Record<string, string> = {
  "engine/input": `;; Keyboard and pointer state of the current tick, recorded for replays.
Input := effect
    down : Symbol -> bool
    pressed : Symbol -> bool
    released : Symbol -> bool
    pointer : () -> Vec2
    pointer-down : () -> bool
    pointer-pressed : () -> bool
`,
  "engine/rand": `;; Seeded randomness; its state is part of the world, so replays are exact.
Rand := effect
    float : () -> f64
    range : (f64, f64) -> f64
    int : (i32, i32) -> i32
    chance : f64 -> bool
`,
  "engine/draw": `;; Draw commands collected into the frame's list; headless runs ignore them.
Draw := effect
    sprite : (Str, Vec2, f64, f64) -> ()
    tinted : (Str, Vec2, f64, f64, i32) -> ()
    circle : (Vec2, f64, i32) -> ()
    rect : (Vec2, Vec2, i32) -> ()
    line : (Vec2, Vec2, f64, i32) -> ()
    text : (Str, Vec2, f64, i32) -> ()
    camera : (Vec2, f64) -> ()
`,
  hot: `;; The reload protocol: the engine prompts Reload once per reloading module.
TypeChange := struct { type-name: Str, change: Symbol, detail: Str }
Plan := struct { module: Str, from-version: i32, to-version: i32, live-values: i32, changes: i32 }
Decision := union { Auto, Reset }
auto := Decision/Auto
reset := Decision/Reset
Reload := effect
    migrate : Plan -> Decision
`,
};

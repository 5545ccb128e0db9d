// The compile cache of a dev session (or of a process, shared by its sessions and replays):
// unchanged modules are neither parsed nor generated again, yet every compile gives the same code
// as a compile from nothing, and errors are never stale.

import { describe, expect, test } from "vitest";
import { compileProgram, createCompileCache, type CompileCache, type CompileResult } from "../../engine/compiler/compile.ts";

const BASE: Record<string, string> = {
  main: ["import physics", "import ai", "update := fun (dt: f64).", "    physics/step dt", "    ai/think ()"].join("\n"),
  physics: ["SPEED := 2.0", "x : mut = 0.0", "step := fun (dt: f64). x = x + SPEED * dt"].join("\n"),
  ai: ["import physics", "think := fun (). if physics/x > 10.0 then print \"far\""].join("\n"),
};

function compile(sources: Record<string, string>, cache?: CompileCache): CompileResult {
  return compileProgram(["main"], (name) => (Object.hasOwn(sources, name) ? { path: `${name}.rib`, text: sources[name] } : null), { cache });
}

function moduleNamed(result: CompileResult, name: string) {
  return result.modules.find((module) => module.name === name)!;
}

describe("compile cache", () => {
  test("an edit regenerates the edited module and its importers only, with the code of a compile from nothing", () => {
    const cache = createCompileCache();
    const first = compile(BASE, cache);
    const edited = { ...BASE, ai: BASE.ai.replace("10.0", "20.0") };
    const second = compile(edited, cache);
    expect(second.ok).toBe(true);
    expect(moduleNamed(second, "physics")).toBe(moduleNamed(first, "physics"));
    expect(moduleNamed(second, "ai")).not.toBe(moduleNamed(first, "ai"));
    expect(moduleNamed(second, "ai").code).toContain("20");
    expect(second.modules.map((module) => module.code)).toEqual(compile(edited).modules.map((module) => module.code));
  });

  test("an edit to a dependency regenerates every module that reaches it", () => {
    const cache = createCompileCache();
    const first = compile(BASE, cache);
    const edited = { ...BASE, physics: BASE.physics.replace("x : mut = 0.0", "x : mut = 0.0\ny : mut = 1.0") };
    const second = compile(edited, cache);
    for (const name of ["physics", "ai", "main"]) expect(moduleNamed(second, name), name).not.toBe(moduleNamed(first, name));
    expect(second.modules.map((module) => module.code)).toEqual(compile(edited).modules.map((module) => module.code));
  });

  test("errors are reported again on every compile, and the fix compiles", () => {
    const cache = createCompileCache();
    compile(BASE, cache);
    const broken = { ...BASE, ai: BASE.ai.replace("physics/x", "physics/z") };
    expect(compile(broken, cache).ok).toBe(false);
    const again = compile(broken, cache);
    expect(again.ok).toBe(false);
    expect(again.diagnostics.some((diagnostic) => diagnostic.file.path === "ai.rib" && diagnostic.severity === "error")).toBe(true);
    const syntax = { ...BASE, physics: BASE.physics.replace("x + SPEED", "x + + SPEED") };
    expect(compile(syntax, cache).ok).toBe(false);
    expect(compile(syntax, cache).diagnostics.filter((diagnostic) => diagnostic.severity === "error")).toHaveLength(compile(syntax).diagnostics.filter((diagnostic) => diagnostic.severity === "error").length);
    expect(compile(BASE, cache).ok).toBe(true);
  });

  test("compiles with and without calls compiled in place, sharing one cache, each get their own code", () => {
    const cache = createCompileCache();
    const sources: Record<string, string> = { ...BASE, physics: BASE.physics + "\nhalf := fun (v: f64) -> f64. v * 0.5\ntick := fun (). x = half x" };
    const provider = (name: string) => (Object.hasOwn(sources, name) ? { path: `${name}.rib`, text: sources[name] } : null);
    const inlined = compileProgram(["main"], provider, { cache });
    const plain = compileProgram(["main"], provider, { cache, inline: false });
    expect(moduleNamed(plain, "physics").code).toEqual(moduleNamed(compileProgram(["main"], provider, { inline: false }), "physics").code);
    expect(moduleNamed(plain, "physics").code).not.toEqual(moduleNamed(inlined, "physics").code);
    expect(moduleNamed(compileProgram(["main"], provider, { cache }), "physics").code).toEqual(moduleNamed(inlined, "physics").code);
  });
});

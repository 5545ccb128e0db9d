// Shared helpers for the syntax tests: parsing snippets and reaching into the resulting tree.

import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createSourceFile, locate, type SourceFile } from "../../engine/diagnostics/source.ts";
import type { Diagnostic } from "../../engine/diagnostics/diagnostic.ts";
import type { Expr, ModuleAst, Statement, TopItem } from "../../engine/syntax/ast.ts";
import { parseModule } from "../../engine/syntax/parser.ts";

export interface Parsed {
  file: SourceFile;
  ast: ModuleAst;
  diagnostics: Diagnostic[];
}

export function parseText(text: string, path = "test.rib"): Parsed {
  const file = createSourceFile(path, text);
  return { file, ...parseModule(file) };
}

/** Parses a module that must have no syntax errors. */
export function parseClean(text: string): ModuleAst {
  const { diagnostics, ast } = parseText(text);
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${diagnostics.map((d) => d.message).join("; ")}`);
  return ast;
}

/** The value of `x := EXPR`. */
export function parseExpr(source: string): Expr {
  return binding(parseClean(`x := ${source}\n`), "x").value;
}

export function item<K extends TopItem["kind"]>(ast: ModuleAst, kind: K, name?: string): Extract<TopItem, { kind: K }> {
  const found = ast.items.find((candidate) => candidate.kind === kind && (name === undefined || ("name" in candidate && candidate.name === name)));
  if (found === undefined) throw new Error(`no ${kind} ${name ?? ""}`);
  return found as Extract<TopItem, { kind: K }>;
}

export function binding(ast: ModuleAst, name: string): Extract<TopItem, { kind: "BindingItem" }> {
  return item(ast, "BindingItem", name);
}

/** Narrows an expression or statement to one kind, failing the test otherwise. */
export function as<K extends Expr["kind"]>(expr: Expr, kind: K): Extract<Expr, { kind: K }> {
  if (expr.kind !== kind) throw new Error(`expected ${kind}, got ${expr.kind}`);
  return expr as Extract<Expr, { kind: K }>;
}

export function asStatement<K extends Statement["kind"]>(statement: Statement, kind: K): Extract<Statement, { kind: K }> {
  if (statement.kind !== kind) throw new Error(`expected ${kind}, got ${statement.kind}`);
  return statement as Extract<Statement, { kind: K }>;
}

/** The statements of a function body that is an indented block. */
export function bodyStatements(fun: Expr): Statement[] {
  return as(as(fun, "FunExpr").body, "BlockExpr").items;
}

/** `[line, code]` of every diagnostic, for compact assertions. */
export function linesAndCodes(parsed: Parsed): [number, string][] {
  return parsed.diagnostics.map((diagnostic) => [locate(parsed.file, diagnostic.span.start).line, diagnostic.code]);
}

/** The shared conformance examples, beside the repository. */
export const EXAMPLES = path.resolve(__dirname, "../../../shared/ribbon/examples");

/** Every `.rib` file under a directory, recursively. */
export function exampleFiles(directory = EXAMPLES): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return exampleFiles(full);
    return name.endsWith(".rib") ? [full] : [];
  });
}

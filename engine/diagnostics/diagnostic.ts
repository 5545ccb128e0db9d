// Diagnostics as data: every user error the compiler or runtime finds is one of these,
// never a thrown exception. Formatting to text (with a code frame) is a separate step.

import { locate, type SourceFile } from "./source.ts";

export interface Span {
  start: number;
  end: number;
}

export type Severity = "error" | "warning" | "note";

export interface DiagnosticNote {
  message: string;
  /** Where the note points, when it points anywhere. */
  file?: SourceFile;
  span?: Span;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. "E0101". */
  code: string;
  message: string;
  file: SourceFile;
  span: Span;
  notes: DiagnosticNote[];
  /** Text the user can paste, e.g. a migration skeleton or a corrected spelling. */
  suggestion?: string;
}

export function error(
  file: SourceFile,
  span: Span,
  code: string,
  message: string,
  notes: DiagnosticNote[] = [],
): Diagnostic {
  return { severity: "error", code, message, file, span, notes };
}

export function warning(file: SourceFile, span: Span, code: string, message: string): Diagnostic {
  return { severity: "warning", code, message, file, span, notes: [] };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === "error");
}

/** "file:line:col" of the diagnostic's start. */
export function positionOf(diagnostic: Diagnostic): string {
  const { line, column } = locate(diagnostic.file, diagnostic.span.start);
  return `${diagnostic.file.path}:${line}:${column}`;
}

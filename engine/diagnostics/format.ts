// Renders diagnostics as text with a code frame, the way a terminal or overlay shows them.

import { positionOf, type Diagnostic } from "./diagnostic.ts";
import { lineText, locate, type SourceFile } from "./source.ts";
import type { Span } from "./diagnostic.ts";

export function codeFrame(file: SourceFile, span: Span, contextLines = 1): string {
  const start = locate(file, span.start);
  const end = locate(file, Math.max(span.start, span.end - 1));
  const first = Math.max(1, start.line - contextLines);
  const last = Math.min(file.lineStarts.length, start.line + contextLines);
  const gutterWidth = String(last).length;
  const lines: string[] = [];
  for (let line = first; line <= last; line++) {
    const marker = line === start.line ? ">" : " ";
    lines.push(`${marker} ${String(line).padStart(gutterWidth)} | ${lineText(file, line)}`);
    if (line === start.line) {
      const width = end.line === start.line ? Math.max(1, end.column - start.column + 1) : 1;
      lines.push(`  ${" ".repeat(gutterWidth)} | ${" ".repeat(start.column - 1)}${"^".repeat(width)}`);
    }
  }
  return lines.join("\n");
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const parts = [
    `${positionOf(diagnostic)}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`,
    codeFrame(diagnostic.file, diagnostic.span),
  ];
  for (const note of diagnostic.notes) {
    const where = note.file && note.span ? `${note.file.path}:${locate(note.file, note.span.start).line}: ` : "";
    parts.push(`  note: ${where}${note.message}`);
  }
  if (diagnostic.suggestion) parts.push(indent(diagnostic.suggestion));
  return parts.join("\n");
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join("\n\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

// A source file and the mapping from character offsets to 1-based line:column.

export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly lineStarts: readonly number[];
}

export interface Location {
  line: number;
  column: number;
}

/**
 * A leading byte-order mark (editors on Windows may write one) is not part of the text: the
 * lexer would call it an unexpected character, and columns on line 1 would be one off from the
 * editor's.
 */
export function createSourceFile(path: string, raw: string): SourceFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === 10) lineStarts.push(index + 1);
  }
  return { path, text, lineStarts };
}

/** Binary search for the line holding `offset`; columns count UTF-16 units from 1. */
export function locate(file: SourceFile, offset: number): Location {
  const starts = file.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

export function lineText(file: SourceFile, line: number): string {
  const start = file.lineStarts[line - 1] ?? file.text.length;
  const next = file.lineStarts[line];
  const end = next === undefined ? file.text.length : next - 1;
  return file.text.slice(start, end).replace(/\r$/, "");
}

// The Ribbon lexer: source text to tokens, including the NEWLINE / INDENT / DEDENT layout tokens.

import type { Diagnostic, Span } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../diagnostics/source.ts";
import { isKeyword, isOperator, SyntaxCode, SyntaxDiagnostics, type PlainTokenKind, type Token } from "./tokens.ts";

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

export function lex(file: SourceFile): LexResult {
  const sink = new SyntaxDiagnostics(file);
  const tokens = new Lexer(file, sink).run();
  return { tokens, diagnostics: sink.sorted() };
}

/** Tokens that, at the end of a line, make a deeper next line a block instead of a continuation. */
function isBlockOpener(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.kind === "BlockDot") return true;
  if (token.kind === "Operator") return token.text === "=>";
  if (token.kind !== "Keyword") return false;
  return token.text === "do" || token.text === "effect" || token.text === "then" || token.text === "else";
}

const PUNCTUATION: Readonly<Record<string, PlainTokenKind>> = {
  "(": "LParen",
  ")": "RParen",
  "{": "LBrace",
  "}": "RBrace",
  "[": "LBracket",
  "]": "RBracket",
  ",": "Comma",
  "\\": "Backslash",
};

const CLOSER_OF: Readonly<Record<string, string>> = { "(": ")", "{": "}", "[": "]" };
const CLOSER_KIND: Readonly<Record<string, PlainTokenKind>> = { "(": "RParen", "{": "RBrace", "[": "RBracket" };

const OPERATOR_CHARS = "+-*/%=!<>:|";
const TAB_WIDTH = 4;

function isWhitespace(char: string): boolean {
  return isWhitespaceCode(char.charCodeAt(0));
}

/** Space, tab, \v, \f, \r. */
function isWhitespaceCode(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 13;
}

const DOT = 46;

/** Punctuation and quotes end a sequence: ( ) { } [ ] , \ . ; " ' */
function isSequenceBreaker(code: number): boolean {
  switch (code) {
    case 40: case 41: case 123: case 125: case 91: case 93: case 44: case 92: case 46: case 59: case 34: case 39:
      return true;
    default:
      return false;
  }
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

function isLetter(char: string): boolean {
  return (char >= "a" && char <= "z") || (char >= "A" && char <= "Z");
}

export function isIdentifierStart(char: string | undefined): boolean {
  return char !== undefined && (isLetter(char) || char === "_");
}

function isIdentifierChar(char: string): boolean {
  return isLetter(char) || isDigit(char) || "_-/?!".includes(char);
}

function isOperatorChar(char: string): boolean {
  return OPERATOR_CHARS.includes(char);
}

/** `x-1`, `physics/bodies`, `alive?`: a letter or `_`, then letters, digits and `_ - / ? !`. */
export function isIdentifierText(text: string): boolean {
  if (!isIdentifierStart(text[0])) return false;
  for (let index = 1; index < text.length; index++) if (!isIdentifierChar(text[index])) return false;
  return true;
}

const INT_PATTERN = /^-?(0[xX][0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*)$/;
const FLOAT_PATTERN = /^-?[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?$/;
const BARE_INT_PATTERN = /^-?[0-9][0-9_]*$/;

/** The value of a numeric literal, or null when the text is not one. */
function numberValue(text: string): { kind: "Int" | "Float"; value: number } | null {
  const digits = text.replace(/_/g, "");
  if (INT_PATTERN.test(text)) return { kind: "Int", value: parseIntegerText(digits) };
  if (FLOAT_PATTERN.test(text)) return { kind: "Float", value: Number(digits) };
  return null;
}

function parseIntegerText(digits: string): number {
  const negative = digits.startsWith("-");
  const magnitude = negative ? digits.slice(1) : digits;
  const value = /^0[xX]/.test(magnitude) ? parseInt(magnitude.slice(2), 16) : Number(magnitude);
  return negative ? -value : value;
}

/** `x+1` → `x + 1`: the form a designer probably meant when operators are glued to a name or number. */
function spacedForm(text: string, operators: RegExp): string {
  const rest = text.slice(1).replace(operators, " $1 ");
  return (text[0] + rest).replace(/\s+/g, " ").trim();
}

/** Operator characters that cannot appear in a name (`-`, `/` and `!` can). */
const NON_NAME_OPERATORS = /([+*%=<>:|]+)/g;
const ALL_OPERATORS = /([+\-*/%=<>!:|]+)/g;

/** An open block: its indentation, plus those of misaligned lines that were attached to it. */
interface Level {
  indent: number;
  /** The deepest accepted indentation: a line deeper than this is a continuation or opens a block. */
  deepest: number;
  accepted: number[];
}

function newLevel(indent: number): Level {
  return { indent, deepest: indent, accepted: [indent] };
}

interface OpenBracket {
  char: string;
  span: Span;
  lineIndent: number;
}

class Lexer {
  private readonly text: string;
  private readonly tokens: Token[] = [];
  private readonly levels: Level[] = [newLevel(0)];
  private readonly brackets: OpenBracket[] = [];
  private lastEnd = 0;
  private lineIndent = 0;
  private seenFirstLine = false;
  private tabReport: { diagnostic: Diagnostic | null; extraLines: number } | null = null;

  constructor(
    private readonly file: SourceFile,
    private readonly sink: SyntaxDiagnostics,
  ) {
    this.text = file.text;
  }

  run(): Token[] {
    const starts = this.file.lineStarts;
    for (let line = 0; line < starts.length; line++) {
      const end = line + 1 < starts.length ? starts[line + 1] - 1 : this.text.length;
      this.lexLine(starts[line], end);
    }
    this.finish();
    return this.tokens;
  }

  // ------------------------------------------------------------ lines and layout

  private lexLine(start: number, end: number): void {
    let first = start;
    while (first < end && isWhitespace(this.text[first])) first++;
    if (first >= end || this.text.startsWith(";;", first)) return;
    this.checkTabs(start, first);
    this.lineIndent = this.measureIndent(start, first);
    const continued = this.beginLine(first);
    const firstToken = this.tokens.length;
    this.scanTokens(first, end);
    if (continued && firstToken < this.tokens.length) this.tokens[firstToken].continuesLine = true;
  }

  private measureIndent(start: number, first: number): number {
    let width = 0;
    for (let index = start; index < first; index++) {
      const char = this.text[index];
      if (char === "\t") width = (Math.floor(width / TAB_WIDTH) + 1) * TAB_WIDTH;
      else if (char !== "\r") width++;
    }
    return width;
  }

  /** Reports the first tab-indented line; later ones only add to a count in a note. */
  private checkTabs(start: number, first: number): void {
    const tab = this.text.slice(start, first).indexOf("\t");
    if (tab < 0) return;
    if (this.tabReport !== null) {
      this.tabReport.extraLines++;
      return;
    }
    const message = "tabs are not allowed for indentation; use spaces";
    const span = { start: start + tab, end: start + tab + 1 };
    const diagnostic = this.sink.report(span, SyntaxCode.tabIndentation, message);
    this.tabReport = { diagnostic, extraLines: 0 };
  }

  /** Emits the layout tokens a line starts with; true when the line continues the previous one. */
  private beginLine(first: number): boolean {
    if (this.brackets.length > 0) {
      if (!this.bracketsLeftOpen(first)) return false;
      this.closeOpenBrackets();
    }
    if (this.seenFirstLine) return this.applyLayout(first);
    this.beginFirstLine(first);
    return false;
  }

  /** Inside brackets, a line back at (or left of) the opening line's depth means a bracket was never closed. */
  private bracketsLeftOpen(first: number): boolean {
    const outermost = this.brackets[0];
    return this.lineIndent <= outermost.lineIndent && !")}]".includes(this.text[first]);
  }

  private beginFirstLine(first: number): void {
    this.seenFirstLine = true;
    if (this.lineIndent === 0) return;
    const message = "unexpected indentation: the first line of a file must not be indented";
    this.sink.report({ start: first, end: first }, SyntaxCode.unexpectedIndentation, message);
  }

  private applyLayout(first: number): boolean {
    const top = this.levels[this.levels.length - 1];
    if (this.lineIndent > top.deepest) {
      if (!isBlockOpener(this.tokens[this.tokens.length - 1])) return true;
      this.levels.push(newLevel(this.lineIndent));
      this.pushLayout("Indent", first);
      return false;
    }
    this.dedentTo(first);
    this.tokens.push({ kind: "Newline", text: "\n", span: { start: this.lastEnd, end: this.lastEnd } });
    return false;
  }

  private dedentTo(first: number): void {
    const target = this.levelIndexFor(this.lineIndent, first);
    while (this.levels.length - 1 > target) {
      this.levels.pop();
      this.pushLayout("Dedent", first);
    }
  }

  /**
   * The index of the open block a line at `indent` belongs to. A misaligned line is reported and joins the
   * nearest block (the deeper one on a tie), whose indentation it then also accepts, so it does not cascade.
   */
  private levelIndexFor(indent: number, first: number): number {
    for (let index = this.levels.length - 1; index >= 0; index--) {
      if (this.levels[index].accepted.includes(indent)) return index;
    }
    const target = this.nearestLevelIndex(indent);
    this.reportDedent(first);
    const level = this.levels[target];
    level.accepted.push(indent);
    level.deepest = Math.max(level.deepest, indent);
    return target;
  }

  private nearestLevelIndex(indent: number): number {
    let best = this.levels.length - 1;
    let bestDistance = Infinity;
    for (let index = this.levels.length - 1; index >= 0; index--) {
      for (const accepted of this.levels[index].accepted) {
        const distance = Math.abs(accepted - indent);
        if (distance < bestDistance) [best, bestDistance] = [index, distance];
      }
    }
    return best;
  }

  private reportDedent(first: number): void {
    const levels = this.levels.map((level) => level.indent).join(" or ");
    const message = `inconsistent dedent: this line is indented by ${this.lineIndent} spaces, but the enclosing blocks are indented by ${levels}`;
    this.sink.report({ start: first, end: first + 1 }, SyntaxCode.inconsistentDedent, message);
  }

  private pushLayout(kind: "Indent" | "Dedent", at: number): void {
    this.tokens.push({ kind, text: "", span: { start: at, end: at } });
  }

  private finish(): void {
    if (this.brackets.length > 0) this.closeOpenBrackets();
    while (this.levels.length > 1) {
      this.levels.pop();
      this.pushLayout("Dedent", this.text.length);
    }
    if (this.tabReport?.diagnostic && this.tabReport.extraLines > 0) {
      const count = this.tabReport.extraLines;
      this.tabReport.diagnostic.notes.push({ message: `${count} more line${count === 1 ? " is" : "s are"} indented with tabs` });
    }
    this.tokens.push({ kind: "End", text: "", span: { start: this.text.length, end: this.text.length } });
  }

  // ------------------------------------------------------------ brackets

  private openBracket(char: string, start: number): void {
    this.brackets.push({ char, span: { start, end: start + 1 }, lineIndent: this.lineIndent });
    this.pushToken(PUNCTUATION[char], start, start + 1);
  }

  /** Closing brackets always match in the token stream: a stray one is dropped, a wrong one is replaced. */
  private closeBracket(char: string, start: number): void {
    const open = this.brackets.pop();
    const span = { start, end: start + 1 };
    if (open === undefined) {
      this.sink.report(span, SyntaxCode.unmatchedBracket, `this \`${char}\` closes nothing`);
      return;
    }
    const expected = CLOSER_OF[open.char];
    if (expected !== char) {
      const message = `expected \`${expected}\` to close the \`${open.char}\`, found \`${char}\``;
      this.sink.report(span, SyntaxCode.unmatchedBracket, message, [{ message: `the \`${open.char}\` is here`, file: this.file, span: open.span }]);
    }
    this.tokens.push({ kind: CLOSER_KIND[open.char], text: expected, span });
    this.lastEnd = span.end;
  }

  /** Reports the innermost unclosed bracket and closes all of them with zero-width tokens. */
  private closeOpenBrackets(): void {
    const innermost = this.brackets[this.brackets.length - 1];
    this.sink.report(innermost.span, SyntaxCode.unclosedBracket, `this \`${innermost.char}\` is never closed`);
    while (this.brackets.length > 0) {
      const open = this.brackets.pop()!;
      this.tokens.push({ kind: CLOSER_KIND[open.char], text: CLOSER_OF[open.char], span: { start: this.lastEnd, end: this.lastEnd } });
    }
  }

  // ------------------------------------------------------------ tokens within a line

  private scanTokens(start: number, end: number): void {
    let position = start;
    while (position < end) {
      if (isWhitespaceCode(this.text.charCodeAt(position))) position++;
      else position = this.scanToken(position, end);
    }
  }

  /** Scans one token (or skips a comment) at a non-blank position and returns the position after it. */
  private scanToken(position: number, end: number): number {
    const char = this.text[position];
    if (char === ";") return this.scanSemicolon(position, end);
    if (char === '"') return this.scanString(position, end);
    if (char === "'") return this.scanSymbol(position, end);
    if (char === ".") return this.scanDot(position);
    if (char === "(" || char === "{" || char === "[") this.openBracket(char, position);
    else if (char === ")" || char === "}" || char === "]") this.closeBracket(char, position);
    else if (char in PUNCTUATION) this.pushToken(PUNCTUATION[char], position, position + 1);
    else return this.scanSequence(position, end);
    return position + 1;
  }

  private scanSemicolon(position: number, end: number): number {
    if (this.text[position + 1] === ";") return end; // a comment
    this.tokens.push({ kind: "Newline", text: ";", span: { start: position, end: position + 1 } });
    return position + 1;
  }

  /** `..` is the range operator; `.` before a name is field access; any other `.` opens a block. */
  private scanDot(position: number): number {
    const next = this.text[position + 1];
    if (next === ".") {
      this.pushToken("Operator", position, position + 2);
      return position + 2;
    }
    this.pushToken(isIdentifierStart(next) ? "FieldDot" : "BlockDot", position, position + 1);
    return position + 1;
  }

  private scanString(start: number, end: number): number {
    let value = "";
    let position = start + 1;
    while (position < end) {
      const char = this.text[position];
      if (char === '"') {
        this.tokens.push({ kind: "String", text: this.text.slice(start, position + 1), value, span: { start, end: position + 1 } });
        this.lastEnd = position + 1;
        return position + 1;
      }
      if (char === "\\" && position + 1 < end) {
        value += this.escape(position);
        position += 2;
      } else {
        value += char;
        position++;
      }
    }
    return this.unterminatedString(start, end, value);
  }

  private unterminatedString(start: number, end: number, value: string): number {
    const stop = this.text[end - 1] === "\r" ? end - 1 : end;
    const span = { start, end: Math.max(stop, start + 1) };
    this.sink.report(span, SyntaxCode.unterminatedString, 'unterminated string: add a closing `"` on the same line');
    this.tokens.push({ kind: "String", text: this.text.slice(start, stop), value, span });
    this.lastEnd = span.end;
    return end;
  }

  private escape(position: number): string {
    const char = this.text[position + 1];
    switch (char) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case '"':
      case "\\":
        return char;
      default: {
        const message = `unknown escape \`\\${char}\` in a string; use \\n, \\t, \\" or \\\\`;
        this.sink.report({ start: position, end: position + 2 }, SyntaxCode.unknownEscape, message);
        return char;
      }
    }
  }

  private scanSymbol(start: number, end: number): number {
    const stop = this.sequenceEnd(start + 1, end);
    if (isIdentifierText(this.text.slice(start + 1, stop))) {
      this.pushToken("Symbol", start, stop);
    } else {
      const message = "expected a name after `'`, as in `'chase`";
      this.sink.report({ start, end: Math.max(stop, start + 1) }, SyntaxCode.badSymbol, message);
      this.pushToken("Error", start, Math.max(stop, start + 1));
    }
    return Math.max(stop, start + 1);
  }

  // ------------------------------------------------------------ sequences: numbers, names, operators

  /** Where a sequence starting at `start` ends; a number keeps one `.` followed by a digit (`60.0`). */
  private sequenceEnd(start: number, end: number): number {
    let position = start;
    while (position < end) {
      const code = this.text.charCodeAt(position);
      if (code === DOT && this.isDecimalPoint(start, position)) {
        position++;
        continue;
      }
      if (isWhitespaceCode(code) || isSequenceBreaker(code)) break;
      position++;
    }
    return position;
  }

  private isDecimalPoint(start: number, position: number): boolean {
    return isDigit(this.text[position + 1]) && BARE_INT_PATTERN.test(this.text.slice(start, position));
  }

  private scanSequence(start: number, end: number): number {
    const stop = this.sequenceEnd(start, end);
    this.classifySequence(start, stop);
    return stop;
  }

  private classifySequence(start: number, stop: number): void {
    const first = this.text[start];
    if (isDigit(first) || (first === "-" && isDigit(this.text[start + 1]))) this.emitNumber(start, stop);
    else if (isIdentifierStart(first)) this.emitNameSequence(start, stop);
    else if (isOperatorChar(first)) this.emitOperatorSequence(start, stop);
    else this.emitError(start, stop, SyntaxCode.unexpectedCharacter, `unexpected character \`${first}\``);
  }

  private emitNumber(start: number, stop: number): void {
    const text = this.text.slice(start, stop);
    const number = numberValue(text);
    if (number === null) {
      this.emitMalformed(start, stop, SyntaxCode.badNumber, `\`${text}\` is not a valid number`, ALL_OPERATORS);
      return;
    }
    this.tokens.push({ kind: number.kind, text, value: number.value, span: { start, end: stop } });
    this.lastEnd = stop;
  }

  /** A name, possibly followed by a glued `:` (`pos:` in `{ pos: Vec2 }`). */
  private emitNameSequence(start: number, stop: number): void {
    let position = start;
    while (position < stop && isIdentifierChar(this.text[position])) position++;
    const rest = this.text.slice(position, stop);
    if (rest !== "" && rest !== ":") {
      const text = this.text.slice(start, stop);
      this.emitMalformed(start, stop, SyntaxCode.needsSpaces, `\`${text}\` is not a valid name`, NON_NAME_OPERATORS);
      return;
    }
    this.pushToken(isKeyword(this.text.slice(start, position)) ? "Keyword" : "Identifier", start, position);
    if (rest === ":") this.pushToken("Operator", position, stop);
  }

  /** Operator characters, then whatever follows them (`-x` is `-` then `x`). */
  private emitOperatorSequence(start: number, stop: number): void {
    let position = start;
    while (position < stop && isOperatorChar(this.text[position])) position++;
    const operator = this.text.slice(start, position);
    if (isOperator(operator)) this.pushToken("Operator", start, position);
    else this.emitError(start, position, SyntaxCode.unknownOperator, `unknown operator \`${operator}\``);
    if (position < stop) this.classifySequence(position, stop);
  }

  /** Reports a malformed sequence, suggesting spaces when operators are glued to it. */
  private emitMalformed(start: number, stop: number, code: string, message: string, operators: RegExp): void {
    const text = this.text.slice(start, stop);
    const spaced = spacedForm(text, operators);
    const hint = spaced !== text ? `; operators need spaces around them, as in \`${spaced}\`` : "";
    this.emitError(start, stop, hint ? SyntaxCode.needsSpaces : code, message + hint);
  }

  private emitError(start: number, stop: number, code: string, message: string): void {
    this.sink.report({ start, end: stop }, code, message);
    this.pushToken("Error", start, stop);
  }

  private pushToken(kind: PlainTokenKind, start: number, end: number): void {
    this.tokens.push({ kind, text: this.text.slice(start, end), span: { start, end } });
    this.lastEnd = end;
  }
}

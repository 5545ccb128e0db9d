// Parsing machinery shared by the Ribbon grammar: the token cursor with error recovery, and the
// small sub-grammars for names, literals, types and patterns.

import type { DiagnosticNote } from "../diagnostics/diagnostic.ts";
import type { FieldPattern, LiteralExpr, Path, Pattern, Span, TypeExpr } from "./ast.ts";
import { isIdentifierText } from "./lexer.ts";
import {
  describeToken,
  isKeywordToken,
  isLayout,
  isLineEnd,
  isOperatorToken,
  SyntaxCode,
  type Keyword,
  type Operator,
  type SyntaxDiagnostics,
  type Token,
  type TokenKind,
} from "./tokens.ts";

type CloserKind = "RParen" | "RBrace" | "RBracket";

/** Deeper nesting than this is reported instead of parsed, so no input can overflow the stack. */
const MAX_NESTING = 200;

const CLOSER_TEXT: Readonly<Record<CloserKind, string>> = { RParen: ")", RBrace: "}", RBracket: "]" };

/** A position in the token list plus the diagnostics sink; every parse function takes one. */
export class Cursor {
  private index = 0;
  /** End offset of the last consumed non-layout token: where "missing X" errors point. */
  private lastEnd = 0;
  private depth = 0;
  /** Whether the current line already has an error: further errors on it are likely consequences. */
  private lineHasError = false;
  private previousLineHadError = false;

  constructor(
    private readonly tokens: readonly Token[],
    readonly diagnostics: SyntaxDiagnostics,
  ) {}

  // ------------------------------------------------------------ navigation

  get token(): Token {
    return this.tokens[this.index];
  }

  /** The index of the current token, to pass to `finishLine`. */
  get position(): number {
    return this.index;
  }

  peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  advance(): Token {
    const token = this.token;
    if (token.kind !== "End") this.index++;
    if (!isLayout(token)) this.lastEnd = token.span.end;
    return token;
  }

  at(kind: TokenKind): boolean {
    return this.token.kind === kind;
  }

  atKeyword(keyword: Keyword): boolean {
    return isKeywordToken(this.token, keyword);
  }

  atOperator(operator: Operator): boolean {
    return isOperatorToken(this.token, operator);
  }

  atLineEnd(): boolean {
    return isLineEnd(this.token);
  }

  accept(kind: TokenKind): Token | null {
    return this.at(kind) ? this.advance() : null;
  }

  acceptKeyword(keyword: Keyword): Token | null {
    return this.atKeyword(keyword) ? this.advance() : null;
  }

  acceptOperator(operator: Operator): Token | null {
    return this.atOperator(operator) ? this.advance() : null;
  }

  /** Consumes a NEWLINE when the next line starts with `keyword` (`else`, `do`) at the same depth. */
  continuesWith(keyword: Keyword): boolean {
    if (this.at("Newline") && this.token.text !== ";" && isKeywordToken(this.peek(), keyword)) this.advance();
    return this.atKeyword(keyword);
  }

  /** Span from `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  /**
   * Enters one level of nesting; past MAX_NESTING levels, reports and returns false, and the caller
   * returns a placeholder without consuming anything. Pair every successful `enter` with `leave`.
   */
  enter(): boolean {
    if (this.depth < MAX_NESTING) {
      this.depth++;
      return true;
    }
    this.error(this.errorSpan(), SyntaxCode.nestedTooDeeply, "this is nested too deeply; split it into smaller definitions");
    return false;
  }

  leave(): void {
    this.depth--;
  }

  // ------------------------------------------------------------ errors

  /** Where the current token is; for a layout token, just after the previous token (the line it ends). */
  errorSpan(): Span {
    if (isLayout(this.token)) return { start: this.lastEnd, end: this.lastEnd };
    return this.token.span;
  }

  error(span: Span, code: string, message: string, notes: DiagnosticNote[] = []): void {
    this.lineHasError = true;
    this.diagnostics.report(span, code, message, notes);
  }

  /**
   * Reports "expected WHAT, found TOKEN" at the current token, without consuming it — unless the line
   * already has an error. Given the start of the construct that needed WHAT: when a deeper line was read
   * as its continuation (its first line lacked a block opener), the error points at the end of that line.
   */
  expected(code: string, what: string, constructStart?: number): void {
    if (this.lineHasError) return;
    if (this.at("Error")) {
      this.lineHasError = true; // the lexer already explained this token
      return;
    }
    const lineEnd = constructStart === undefined ? null : this.continuedLineEnd(constructStart);
    if (lineEnd === null) {
      this.error(this.errorSpan(), code, `expected ${what}, found ${describeToken(this.token)}`);
      return;
    }
    const note = { message: "the next line is indented more, so it was read as a continuation of this one" };
    this.error({ start: lineEnd, end: lineEnd }, code, `expected ${what}; add it at the end of this line`, [note]);
  }

  /** Whether the current token is on the line where offset `start` is. */
  onLineOf(start: number): boolean {
    return !this.diagnostics.file.text.slice(start, this.token.span.start).includes("\n");
  }

  /** The end of the last token on the line of `start`, when the cursor has moved past that line. */
  private continuedLineEnd(start: number): number | null {
    const newline = this.diagnostics.file.text.indexOf("\n", start);
    if (newline < 0 || this.errorSpan().start <= newline) return null;
    for (let index = this.index - 1; index >= 0; index--) {
      const token = this.tokens[index];
      if (!isLayout(token) && token.span.end <= newline) return token.span.end;
    }
    return null;
  }

  /** Consumes a malformed token the lexer already reported. */
  skipErrorToken(): Token {
    this.lineHasError = true;
    return this.advance();
  }

  // ------------------------------------------------------------ recovery

  /** Consumes the closer of a bracketed list, or reports and skips to it (brackets always balance). */
  expectCloser(kind: CloserKind, what: string): void {
    if (this.accept(kind)) return;
    this.expected(SyntaxCode.expectedCloser, what);
    this.skipToCloser();
  }

  /** Skips past the closer matching an already consumed opener. */
  skipToCloser(): void {
    let depth = 0;
    while (!this.at("End")) {
      const token = this.advance();
      if (token.kind === "LParen" || token.kind === "LBrace" || token.kind === "LBracket") depth++;
      else if (token.kind === "RParen" || token.kind === "RBrace" || token.kind === "RBracket") {
        if (depth === 0) return;
        depth--;
      }
    }
  }

  /** Skips the rest of the current line, including blocks nested under it, stopping before its end. */
  synchronize(): void {
    let depth = 0;
    while (!this.at("End")) {
      if (this.at("Indent")) depth++;
      else if (this.at("Dedent")) {
        if (depth === 0) return;
        depth--;
      } else if (this.at("Newline") && depth === 0) return;
      this.advance();
    }
  }

  /**
   * Ends a statement or item that began at token `fromIndex`: anything left on its line is reported
   * (unless the line already has an error) and skipped.
   */
  finishLine(fromIndex: number): void {
    if (!this.atLineEnd()) {
      if (!this.lineHasError) this.reportLeftover(fromIndex);
      this.synchronize();
    }
    this.previousLineHadError = this.lineHasError;
    this.lineHasError = false;
  }

  private reportLeftover(fromIndex: number): void {
    if (this.at("Error")) return;
    const message = `expected the end of the line, found ${describeToken(this.token)}`;
    this.error(this.errorSpan(), SyntaxCode.unexpectedToken, message, this.continuationNotes(fromIndex));
  }

  /** A note when the line being finished took in a continuation line, which is often a layout mistake. */
  private continuationNotes(fromIndex: number): DiagnosticNote[] {
    for (let index = fromIndex; index <= this.index; index++) {
      const token = this.tokens[index];
      if (!token.continuesLine) continue;
      const message =
        "this line is indented more than the one before it, so it continues that line; only a line ending with `.`, `=>`, `do`, `then`, `else` or `effect` opens a block";
      return [{ message, file: this.diagnostics.file, span: token.span }];
    }
    return [];
  }

  /**
   * True (and the line is marked as already in error) when it starts with `else` or `do` right after a
   * line with an error: the construct they continue failed to parse, so they are skipped without a new error.
   */
  atOrphanContinuation(): boolean {
    if (!this.previousLineHadError || !(this.atKeyword("else") || this.atKeyword("do"))) return false;
    this.lineHasError = true;
    return true;
  }
}

// ---------------------------------------------------------------- lists

/**
 * list := OPEN (item (',' item)* ','?)? CLOSE    (the opener is the current token)
 * A malformed item (null) makes the rest of the list be skipped.
 */
export function parseList<T>(p: Cursor, close: CloserKind, parseItem: (p: Cursor) => T | null): T[] {
  p.advance();
  const items: T[] = [];
  while (!p.at(close) && !p.at("End")) {
    const item = parseItem(p);
    if (item === null) {
      p.skipToCloser();
      return items;
    }
    items.push(item);
    if (!p.accept("Comma")) break;
  }
  p.expectCloser(close, `\`,\` or \`${CLOSER_TEXT[close]}\``);
  return items;
}

// ---------------------------------------------------------------- names

/** path := IDENTIFIER, split on `/`: `physics/bodies`, `Mode/Chase`. */
export function pathOf(p: Cursor, token: Token): Path {
  if (!token.text.includes("/")) return { segments: [token.text], span: token.span };
  const segments = token.text.split("/");
  if (!segments.every((segment) => isIdentifierText(segment))) {
    p.error(token.span, SyntaxCode.badName, `\`${token.text}\` is not a valid name: each part between \`/\` must be a name`);
  }
  return { segments, span: token.span };
}

/** The pool path of a symbol token: `'physics/bodies` → physics, bodies. */
export function pathOfSymbol(token: Token): Path {
  return { segments: token.text.slice(1).split("/"), span: { start: token.span.start + 1, end: token.span.end } };
}

/** name := IDENTIFIER without `/` — a binder, field, parameter or operation name. Null (reported) otherwise. */
export function parsePlainName(p: Cursor, what: string): Token | null {
  if (!p.at("Identifier")) {
    p.expected(SyntaxCode.expectedName, what);
    return null;
  }
  const token = p.advance();
  if (token.text.includes("/")) {
    p.error(token.span, SyntaxCode.badName, `\`${token.text}\` cannot be used here: ${what} cannot contain \`/\``);
  }
  return token;
}

/** A path names a type or variant when its last segment starts with an uppercase letter. */
export function isTypeLikePath(path: Path): boolean {
  const last = path.segments[path.segments.length - 1];
  return last.length > 0 && last[0] >= "A" && last[0] <= "Z";
}

// ---------------------------------------------------------------- literals

/** literal := INT | FLOAT | STRING | SYMBOL | 'true' | 'false' — null when the token is none of these. */
export function literalOf(token: Token): LiteralExpr | null {
  const span = token.span;
  switch (token.kind) {
    case "Int":
      return { kind: "IntLiteral", value: token.value, span };
    case "Float":
      return { kind: "FloatLiteral", value: token.value, span };
    case "String":
      return { kind: "StringLiteral", value: token.value, span };
    case "Symbol":
      return { kind: "SymbolLiteral", name: token.text.slice(1), span };
    case "Keyword":
      if (token.text === "true" || token.text === "false") return { kind: "BoolLiteral", value: token.text === "true", span };
      return null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------- types

/** The operand left of `->`, with the parameter list it stands for: `(A, B)` → [A, B], `()` → [], `A` → [A]. */
interface TypeOperand {
  type: TypeExpr;
  params: TypeExpr[];
}

/** type := typeOperand ('->' type effectRow?)? */
export function parseType(p: Cursor): TypeExpr {
  if (!p.enter()) return { kind: "HoleType", span: p.errorSpan() };
  const type = parseTypeUnguarded(p);
  p.leave();
  return type;
}

function parseTypeUnguarded(p: Cursor): TypeExpr {
  const start = p.token.span.start;
  const operand = parseTypeOperand(p);
  if (!p.acceptOperator("->")) return operand.type;
  const result = parseType(p);
  const effects = parseEffectRow(p);
  return { kind: "FunctionType", params: operand.params, result, effects, span: p.spanFrom(start) };
}

/** effectRow := '|' '{' (path (',' path)*)? '}' */
function parseEffectRow(p: Cursor): Path[] | null {
  if (!p.acceptOperator("|")) return null;
  if (!p.at("LBrace")) {
    p.expected(SyntaxCode.expectedToken, "`{` and the effects after `|`, as in `| { Rand, Wait }`");
    return [];
  }
  return parseList(p, "RBrace", parseEffectName);
}

function parseEffectName(p: Cursor): Path | null {
  if (!p.at("Identifier")) {
    p.expected(SyntaxCode.expectedName, "the name of an effect");
    return null;
  }
  return pathOf(p, p.advance());
}

/** typeOperand := '(' (type (',' type)*)? ')' | '!' | '_' | 'old' typeOperand | '*' SYMBOL typeOperand | path */
function parseTypeOperand(p: Cursor): TypeOperand {
  if (!p.enter()) return { type: { kind: "HoleType", span: p.errorSpan() }, params: [] };
  const operand = parseTypeOperandUnguarded(p);
  p.leave();
  return operand;
}

function parseTypeOperandUnguarded(p: Cursor): TypeOperand {
  const token = p.token;
  if (token.kind === "LParen") return parseParenthesizedType(p);
  const single = (type: TypeExpr): TypeOperand => ({ type, params: [type] });
  if (isOperatorToken(token, "!")) return single({ kind: "NeverType", span: p.advance().span });
  if (isOperatorToken(token, "*")) return single(parsePointerType(p));
  if (isKeywordToken(token, "old")) return single(parseOldType(p));
  if (token.kind === "Identifier" && token.text === "_") return single({ kind: "HoleType", span: p.advance().span });
  if (token.kind === "Identifier") return single({ kind: "NamedType", path: pathOf(p, token), span: p.advance().span });
  p.expected(SyntaxCode.expectedType, "a type");
  return single({ kind: "HoleType", span: p.errorSpan() }); // placeholder; the error is reported
}

function parseParenthesizedType(p: Cursor): TypeOperand {
  const start = p.token.span.start;
  const items = parseList(p, "RParen", parseType);
  const span = p.spanFrom(start);
  if (items.length === 0) return { type: { kind: "UnitType", span }, params: [] };
  if (items.length === 1) return { type: items[0], params: items };
  return { type: { kind: "TupleType", items, span }, params: items };
}

/** pointer := '*' SYMBOL typeOperand   — `*'bodies Body` */
function parsePointerType(p: Cursor): TypeExpr {
  const start = p.advance().span.start;
  if (!p.at("Symbol")) {
    p.expected(SyntaxCode.expectedType, "the pool after `*`, as in `*'bodies Body`");
    return { kind: "HoleType", span: p.spanFrom(start) };
  }
  const pool = pathOfSymbol(p.advance());
  const target = parseTypeOperand(p).type;
  return { kind: "PointerType", pool, target, span: p.spanFrom(start) };
}

/** old := 'old' typeOperand */
function parseOldType(p: Cursor): TypeExpr {
  const start = p.advance().span.start;
  const inner = parseTypeOperand(p).type;
  return { kind: "OldType", inner, span: p.spanFrom(start) };
}

// ---------------------------------------------------------------- patterns

/** pattern := '_' | name | literal | variant | '(' ')' | '(' pattern (',' pattern)* ')' — null when reported. */
export function parsePattern(p: Cursor): Pattern | null {
  if (!p.enter()) return null;
  const pattern = parsePatternUnguarded(p);
  p.leave();
  return pattern;
}

function parsePatternUnguarded(p: Cursor): Pattern | null {
  const token = p.token;
  const literal = literalOf(token);
  if (literal !== null) {
    p.advance();
    return { kind: "LiteralPattern", value: literal, span: literal.span };
  }
  if (token.kind === "Identifier") return parseNamePattern(p);
  if (token.kind === "LParen") return parseTuplePattern(p);
  p.expected(SyntaxCode.expectedPattern, "a pattern (a name, `_`, a literal or a variant such as `Mode/Chase`)");
  return null;
}

/** namePattern := '_' | name | variant ; variant := Path ('{' fieldPattern (',' fieldPattern)* '}')? */
function parseNamePattern(p: Cursor): Pattern | null {
  const token = p.advance();
  if (token.text === "_") return { kind: "WildcardPattern", span: token.span };
  const path = pathOf(p, token);
  if (isTypeLikePath(path)) {
    const fields = p.at("LBrace") ? parseList(p, "RBrace", parseFieldPattern) : null;
    return { kind: "VariantPattern", path, fields, span: p.spanFrom(token.span.start) };
  }
  if (path.segments.length === 1) return { kind: "BindPattern", name: token.text, span: token.span };
  const message = `\`${token.text}\` cannot be a pattern: a qualified name in a pattern must be a union variant, such as \`Mode/Chase\``;
  p.error(token.span, SyntaxCode.expectedPattern, message);
  return null;
}

/** fieldPattern := name ('=' pattern)? */
function parseFieldPattern(p: Cursor): FieldPattern | null {
  const name = parsePlainName(p, "a field name");
  if (name === null) return null;
  if (!p.acceptOperator("=")) return { name: name.text, pattern: null, span: name.span };
  const pattern = parsePattern(p);
  if (pattern === null) return null;
  return { name: name.text, pattern, span: p.spanFrom(name.span.start) };
}

/** tuplePattern := '(' ')' | '(' pattern ')' | '(' pattern (',' pattern)+ ')' */
function parseTuplePattern(p: Cursor): Pattern | null {
  const start = p.token.span.start;
  const items = parseList(p, "RParen", parsePattern);
  const span = p.spanFrom(start);
  if (items.length === 0) return { kind: "UnitPattern", span };
  if (items.length === 1) return items[0];
  return { kind: "TuplePattern", items, span };
}

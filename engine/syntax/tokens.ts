// Tokens of Ribbon source, the syntax error codes, and the diagnostic collector shared by lexer and parser.

import { error, type Diagnostic, type DiagnosticNote, type Span } from "../diagnostics/diagnostic.ts";
import { locate, type SourceFile } from "../diagnostics/source.ts";

export const KEYWORDS = [
  "fun", "if", "then", "else", "match", "with", "handler", "do", "cancel", "return", "break",
  "continue", "while", "for", "in", "not", "and", "or", "true", "false", "struct", "union",
  "effect", "pool", "import", "mut", "old",
] as const;

export type Keyword = (typeof KEYWORDS)[number];

/** Operators made of operator characters, plus `..` (made of two dots). */
export const OPERATORS = [
  "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=", ":=", "->", "=>", "..", ":", "|", "!",
] as const;

export type Operator = (typeof OPERATORS)[number];

export type TokenKind =
  | "Identifier" // x, max-speed, physics/bodies, Mode/Chase (the parser splits on `/`)
  | "Keyword"
  | "Operator"
  | "Int"
  | "Float"
  | "String"
  | "Symbol" // 'chase, 'physics/bodies (text keeps the quote)
  | "LParen"
  | "RParen"
  | "LBrace"
  | "RBrace"
  | "LBracket"
  | "RBracket"
  | "Comma"
  | "Backslash"
  | "FieldDot" // `.` directly followed by a name: b.pos
  | "BlockDot" // `.` that opens a block: fun (). / if c. / else.
  | "Newline" // end of a line at the current depth, or `;`
  | "Indent"
  | "Dedent"
  | "Error" // a malformed sequence, already reported by the lexer
  | "End";

/** Kinds whose token carries no value beyond its text. */
export type PlainTokenKind = Exclude<TokenKind, "Int" | "Float" | "String">;

export type Token = (
  | { kind: "Int" | "Float"; text: string; value: number; span: Span }
  | { kind: "String"; text: string; value: string; span: Span }
  | { kind: PlainTokenKind; text: string; span: Span }
) & {
  /** Set on the first token of a deeper line that continues the previous one (no block opener before it). */
  continuesLine?: true;
};

/** Stable codes of lexical (E0001–E0019) and syntax (E0020–E0099) errors. */
export const SyntaxCode = {
  tabIndentation: "E0001",
  inconsistentDedent: "E0002",
  unterminatedString: "E0003",
  unknownEscape: "E0004",
  badSymbol: "E0005",
  badNumber: "E0006",
  needsSpaces: "E0007",
  unknownOperator: "E0008",
  unexpectedCharacter: "E0009",
  unclosedBracket: "E0010",
  unmatchedBracket: "E0011",
  unexpectedIndentation: "E0012",
  expectedDeclaration: "E0020",
  unexpectedToken: "E0021",
  expectedExpression: "E0022",
  expectedArrow: "E0023",
  expectedPattern: "E0024",
  expectedType: "E0025",
  expectedThen: "E0026",
  expectedBody: "E0027",
  expectedDo: "E0028",
  expectedCloser: "E0029",
  badAssignTarget: "E0030",
  chainedComparison: "E0031",
  badName: "E0032",
  expectedName: "E0033",
  operationNotFunction: "E0034",
  expectedEquals: "E0035",
  lowercaseVariant: "E0036",
  expectedClauses: "E0037",
  expectedBlockDot: "E0038",
  expectedIn: "E0039",
  expectedToken: "E0040",
  nestedTooDeeply: "E0041",
  internalError: "E0099",
} as const;

/** Collects syntax diagnostics, keeping at most one per line so one mistake does not cascade. */
export class SyntaxDiagnostics {
  readonly list: Diagnostic[] = [];
  private readonly linesWithErrors = new Set<number>();

  constructor(readonly file: SourceFile) {}

  /** Records an error unless its line already has one; returns the diagnostic when recorded. */
  report(span: Span, code: string, message: string, notes: DiagnosticNote[] = []): Diagnostic | null {
    return this.add(error(this.file, span, code, message, notes));
  }

  add(diagnostic: Diagnostic): Diagnostic | null {
    const line = locate(this.file, diagnostic.span.start).line;
    if (this.linesWithErrors.has(line)) return null;
    this.linesWithErrors.add(line);
    this.list.push(diagnostic);
    return diagnostic;
  }

  /** The diagnostics in source order. */
  sorted(): Diagnostic[] {
    return [...this.list].sort((a, b) => a.span.start - b.span.start);
  }
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

export function isKeyword(text: string): text is Keyword {
  return KEYWORD_SET.has(text);
}

export function isOperator(text: string): text is Operator {
  return OPERATOR_SET.has(text);
}

export function isKeywordToken(token: Token, keyword: Keyword): boolean {
  return token.kind === "Keyword" && token.text === keyword;
}

export function isOperatorToken(token: Token, operator: Operator): boolean {
  return token.kind === "Operator" && token.text === operator;
}

/** A token that ends a line: the parser never consumes these while recovering from an error. */
export function isLineEnd(token: Token): boolean {
  return token.kind === "Newline" || token.kind === "Dedent" || token.kind === "End";
}

export function isLayout(token: Token): boolean {
  return isLineEnd(token) || token.kind === "Indent";
}

/** How a token is named in a message: "`=>`", "the end of the line", ... */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "Newline":
      return token.text === ";" ? "`;`" : "the end of the line";
    case "Indent":
      return "an indented block";
    case "Dedent":
      return "the end of the block";
    case "End":
      return "the end of the file";
    case "String":
      return "a string";
    case "Int":
    case "Float":
      return `the number \`${token.text}\``;
    case "Keyword":
      return `the keyword \`${token.text}\``;
    case "Identifier":
    case "Operator":
    case "Symbol":
    case "LParen":
    case "RParen":
    case "LBrace":
    case "RBrace":
    case "LBracket":
    case "RBracket":
    case "Comma":
    case "Backslash":
    case "FieldDot":
    case "BlockDot":
    case "Error":
      return `\`${token.text}\``;
  }
}

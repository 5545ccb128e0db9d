// The Ribbon parser: tokens to the syntax tree of ast.ts; syntax errors become diagnostics, never exceptions.

import { error, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { SourceFile } from "../diagnostics/source.ts";
import type {
  BinaryOperator,
  Expr,
  FieldInit,
  HandlerClause,
  MatchArm,
  ModuleAst,
  OperationDecl,
  Param,
  Span,
  Statement,
  StructField,
  TopItem,
  TypeExpr,
  Variant,
} from "./ast.ts";
import { lex } from "./lexer.ts";
import { Cursor, isTypeLikePath, literalOf, parseList, parsePattern, parsePlainName, parseType, pathOf } from "./parse.ts";
import { isKeywordToken, isOperatorToken, SyntaxCode, SyntaxDiagnostics, type Token } from "./tokens.ts";

export interface ParseResult {
  ast: ModuleAst;
  diagnostics: Diagnostic[];
}

export function parseModule(file: SourceFile): ParseResult {
  const sink = new SyntaxDiagnostics(file);
  try {
    const lexed = lex(file);
    for (const diagnostic of lexed.diagnostics) sink.add(diagnostic);
    const ast = parseItems(new Cursor(lexed.tokens, sink));
    return { ast, diagnostics: sink.sorted() };
  } catch (caught) {
    // A backstop: a parser bug must not crash the engine. Tests assert this never happens.
    const reason = caught instanceof Error ? caught.message : String(caught);
    const internal = error(file, { start: 0, end: 0 }, SyntaxCode.internalError, `internal error in the parser: ${reason}`);
    return { ast: { items: [] }, diagnostics: [...sink.sorted(), internal] };
  }
}

// ---------------------------------------------------------------- module and items

/** module := (item (NEWLINE item)*)? END */
function parseItems(p: Cursor): ModuleAst {
  const items: TopItem[] = [];
  while (skipSeparators(p)) {
    const lineStart = p.position;
    const item = parseItem(p);
    if (item !== null) items.push(item);
    p.finishLine(lineStart);
  }
  return { items };
}

/** Skips NEWLINEs (and stray DEDENTs at the top level); false at the end of the file. */
function skipSeparators(p: Cursor): boolean {
  while (p.at("Newline") || p.at("Dedent")) p.advance();
  return !p.at("End");
}

/** item := 'import' PATH | declarationHead (typeDefinition | expr) */
function parseItem(p: Cursor): TopItem | null {
  if (p.atOrphanContinuation()) return null;
  if (p.atKeyword("import")) return parseImport(p);
  if (!startsDeclaration(p)) {
    p.expected(SyntaxCode.expectedDeclaration, "a declaration such as `name := value` or `import module`");
    return null;
  }
  const head = parseDeclarationHead(p);
  if (head === null) return null;
  const definition = head.annotated ? null : parseTypeDefinition(p, head);
  if (definition !== null) return definition;
  const value = parseExpr(p);
  const { name, nameSpan, mutable, type } = head;
  return { kind: "BindingItem", name, nameSpan, mutable, type, value, span: p.spanFrom(head.start) };
}

/** import := 'import' PATH */
function parseImport(p: Cursor): TopItem | null {
  const start = p.advance().span.start;
  if (!p.at("Identifier")) {
    p.expected(SyntaxCode.expectedName, "a module name after `import`, such as `engine/input`");
    return null;
  }
  const path = pathOf(p, p.advance());
  return { kind: "ImportItem", path, span: p.spanFrom(start) };
}

interface DeclarationHead {
  name: string;
  nameSpan: Span;
  mutable: boolean;
  type: TypeExpr | null;
  /** Declared with `:` (a type or `mut`) rather than `:=`. */
  annotated: boolean;
  start: number;
}

function startsDeclaration(p: Cursor): boolean {
  return p.at("Identifier") && (isOperatorToken(p.peek(), ":=") || isOperatorToken(p.peek(), ":"));
}

/** declarationHead := NAME ':=' | NAME ':' 'mut'? type? '=' */
function parseDeclarationHead(p: Cursor): DeclarationHead | null {
  const name = parsePlainName(p, "the name being declared");
  if (name === null) return null;
  const head = { name: name.text, nameSpan: name.span, mutable: false, type: null, annotated: false, start: name.span.start };
  if (p.acceptOperator(":=")) return head;
  p.advance(); // `:`
  const mutable = p.acceptKeyword("mut") !== null;
  const type = mutable && p.atOperator("=") ? null : parseType(p);
  if (!p.acceptOperator("=")) {
    p.expected(SyntaxCode.expectedEquals, "`=` and the value");
    return null;
  }
  return { ...head, mutable, type, annotated: true };
}

/** typeDefinition := struct | union | effect | pool — null when none of these follows `:=`. */
function parseTypeDefinition(p: Cursor, head: DeclarationHead): TopItem | null {
  const token = p.token;
  if (token.kind !== "Keyword") return null;
  switch (token.text) {
    case "struct":
      return parseStruct(p, head);
    case "union":
      return parseUnion(p, head);
    case "effect":
      return parseEffect(p, head);
    case "pool":
      return parsePool(p, head);
    default:
      return null;
  }
}

/** struct := 'struct' '{' (field (',' field)* ','?)? '}' */
function parseStruct(p: Cursor, head: DeclarationHead): TopItem {
  p.advance();
  const fields = parseFieldDeclarations(p, "`{` and the fields after `struct`, as in `struct { hp: f64 }`");
  return { kind: "StructItem", name: head.name, nameSpan: head.nameSpan, fields, span: p.spanFrom(head.start) };
}

function parseFieldDeclarations(p: Cursor, what: string): StructField[] {
  if (p.at("LBrace")) return parseList(p, "RBrace", parseStructField);
  p.expected(SyntaxCode.expectedToken, what);
  return [];
}

/** field := NAME ':' type ('=' expr)? */
function parseStructField(p: Cursor): StructField | null {
  const name = parsePlainName(p, "a field name");
  if (name === null) return null;
  if (!p.acceptOperator(":")) {
    p.expected(SyntaxCode.expectedToken, `\`:\` and the type of the field \`${name.text}\``);
    return null;
  }
  const type = parseType(p);
  const defaultValue = p.acceptOperator("=") ? parseExpr(p) : null;
  return { name: name.text, type, defaultValue, span: p.spanFrom(name.span.start) };
}

/** union := 'union' '{' variant (',' variant)* ','? '}' */
function parseUnion(p: Cursor, head: DeclarationHead): TopItem {
  p.advance();
  let variants: Variant[] = [];
  if (p.at("LBrace")) variants = parseList(p, "RBrace", parseVariant);
  else p.expected(SyntaxCode.expectedToken, "`{` and the variants after `union`, as in `union { Idle, Walk { speed: f64 } }`");
  return { kind: "UnionItem", name: head.name, nameSpan: head.nameSpan, variants, span: p.spanFrom(head.start) };
}

/** variant := NAME ('{' (field (',' field)*)? '}')? */
function parseVariant(p: Cursor): Variant | null {
  const name = parsePlainName(p, "a variant name");
  if (name === null) return null;
  if (!/^[A-Z]/.test(name.text)) {
    const suggestion = name.text[0].toUpperCase() + name.text.slice(1);
    p.error(name.span, SyntaxCode.lowercaseVariant, `variant names start with an uppercase letter, as in \`${suggestion}\``);
  }
  const fields = p.at("LBrace") ? parseList(p, "RBrace", parseStructField) : [];
  return { name: name.text, fields, span: p.spanFrom(name.span.start) };
}

/** effect := 'effect' clauses(operation) */
function parseEffect(p: Cursor, head: DeclarationHead): TopItem {
  p.advance();
  const operations = parseClauses(p, parseOperation, "the effect's operations, such as `number : () -> i32`,");
  return { kind: "EffectItem", name: head.name, nameSpan: head.nameSpan, operations, span: p.spanFrom(head.start) };
}

/** operation := NAME ':' functionType */
function parseOperation(p: Cursor): OperationDecl | null {
  const name = parsePlainName(p, "an operation name");
  if (name === null) return null;
  if (!p.acceptOperator(":")) {
    p.expected(SyntaxCode.expectedToken, `\`:\` and the type of the operation \`${name.text}\``);
    return null;
  }
  const type = parseType(p);
  if (type.kind !== "FunctionType") {
    const message = "the type of an operation must be a function type, such as `() -> i32` or `Str -> !`";
    p.error(type.span, SyntaxCode.operationNotFunction, message);
  }
  return { name: name.text, type, span: p.spanFrom(name.span.start) };
}

/** pool := 'pool' type */
function parsePool(p: Cursor, head: DeclarationHead): TopItem {
  p.advance();
  const element = parseType(p);
  return { kind: "PoolItem", name: head.name, nameSpan: head.nameSpan, element, span: p.spanFrom(head.start) };
}

// ---------------------------------------------------------------- blocks and statements

/** clauses(c) := INDENT c (NEWLINE c)* DEDENT | c   (after a block opener: match arms, handler clauses, operations) */
function parseClauses<T>(p: Cursor, parseClause: (p: Cursor) => T | null, what: string): T[] {
  if (p.at("Indent")) return parseIndentedClauses(p, parseClause);
  if (p.atLineEnd()) {
    p.expected(SyntaxCode.expectedClauses, `${what} on the following lines, indented`);
    return [];
  }
  const clause = parseClause(p);
  return clause === null ? [] : [clause];
}

function parseIndentedClauses<T>(p: Cursor, parseClause: (p: Cursor) => T | null): T[] {
  p.advance();
  const clauses: T[] = [];
  while (skipNewlines(p)) {
    const lineStart = p.position;
    const clause = parseClause(p);
    if (clause !== null) clauses.push(clause);
    p.finishLine(lineStart);
  }
  p.accept("Dedent");
  return clauses;
}

/** Skips NEWLINEs; false at the end of the block or file. */
function skipNewlines(p: Cursor): boolean {
  while (p.at("Newline")) p.advance();
  return !p.at("Dedent") && !p.at("End");
}

/**
 * body := INDENT statement (NEWLINE statement)* DEDENT | statement
 * What follows a block opener. An indented block is always a BlockExpr; an inline expression is returned as is.
 */
function parseBody(p: Cursor, opener: string): Expr {
  if (p.at("Indent")) return parseIndentedBlock(p);
  if (p.atLineEnd()) {
    p.expected(SyntaxCode.expectedBody, `an expression or an indented block after \`${opener}\``);
    return errorExpr(p.errorSpan());
  }
  const statement = parseStatement(p);
  if (statement.kind === "ExprStatement") return statement.expr;
  return { kind: "BlockExpr", items: [statement], span: statement.span };
}

function parseIndentedBlock(p: Cursor): Expr {
  const start = p.advance().span.start;
  const items: Statement[] = [];
  while (skipNewlines(p)) {
    const lineStart = p.position;
    items.push(parseStatement(p));
    p.finishLine(lineStart);
  }
  p.accept("Dedent");
  if (items.length === 0) p.error({ start, end: start }, SyntaxCode.expectedBody, "this block is empty; write at least one expression in it");
  return { kind: "BlockExpr", items, span: p.spanFrom(start) };
}

/** statement := declarationHead expr | expr ('=' expr)? */
function parseStatement(p: Cursor): Statement {
  if (p.atOrphanContinuation()) return { kind: "ExprStatement", expr: errorExpr(p.token.span), span: p.token.span };
  if (startsDeclaration(p)) return parseLet(p);
  const expr = parseExpr(p);
  if (p.atOperator("=")) return parseAssignment(p, expr);
  return { kind: "ExprStatement", expr, span: expr.span };
}

function parseLet(p: Cursor): Statement {
  const start = p.token.span.start;
  const head = parseDeclarationHead(p);
  if (head === null) return { kind: "ExprStatement", expr: errorExpr(p.spanFrom(start)), span: p.spanFrom(start) };
  const value = parseExpr(p);
  const { name, nameSpan, mutable, type } = head;
  return { kind: "LetStatement", name, nameSpan, mutable, type, value, span: p.spanFrom(start) };
}

/** assignment := (NAME | expr '.' NAME) '=' expr */
function parseAssignment(p: Cursor, target: Expr): Statement {
  p.advance();
  if (target.kind !== "NameExpr" && target.kind !== "FieldExpr" && target.kind !== "ErrorExpr") {
    const message = "only a name or a field can be assigned, as in `x = 1` or `b.pos = p`; to compare, use `==`";
    p.error(target.span, SyntaxCode.badAssignTarget, message);
  }
  const value = parseExpr(p);
  return { kind: "AssignStatement", target, value, span: p.spanFrom(target.span.start) };
}

// ---------------------------------------------------------------- operators

const OR_OPERATORS: readonly BinaryOperator[] = ["or"];
const AND_OPERATORS: readonly BinaryOperator[] = ["and"];
const COMPARISON_OPERATORS: readonly BinaryOperator[] = ["==", "!=", "<", "<=", ">", ">="];
const SUM_OPERATORS: readonly BinaryOperator[] = ["+", "-"];
const PRODUCT_OPERATORS: readonly BinaryOperator[] = ["*", "/", "%"];

/** expr := orExpr */
function parseExpr(p: Cursor): Expr {
  if (!p.enter()) return errorExpr(p.errorSpan());
  const expr = parseOr(p);
  p.leave();
  return expr;
}

/** orExpr := andExpr ('or' andExpr)* */
function parseOr(p: Cursor): Expr {
  return parseLeftAssociative(p, OR_OPERATORS, parseAnd);
}

/** andExpr := notExpr ('and' notExpr)* */
function parseAnd(p: Cursor): Expr {
  return parseLeftAssociative(p, AND_OPERATORS, parseNot);
}

/** notExpr := 'not' notExpr | comparison */
function parseNot(p: Cursor): Expr {
  if (!p.atKeyword("not")) return parseComparison(p);
  const start = p.advance().span.start;
  const operand = nestedOperand(p, parseNot);
  return { kind: "UnaryExpr", operator: "not", operand, span: p.spanFrom(start) };
}

/** comparison := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum)?   — not associative */
function parseComparison(p: Cursor): Expr {
  let left = parseSum(p);
  for (let count = 0; ; count++) {
    const operator = binaryOperatorAt(p, COMPARISON_OPERATORS);
    if (operator === null) return left;
    if (count === 1) {
      const message = "comparisons cannot be chained; combine them with `and`, as in `a < b and b < c`";
      p.error(p.token.span, SyntaxCode.chainedComparison, message);
    }
    p.advance();
    left = binary(p, operator, left, parseSum(p));
  }
}

/** sum := product (('+' | '-') product)* */
function parseSum(p: Cursor): Expr {
  return parseLeftAssociative(p, SUM_OPERATORS, parseProduct);
}

/** product := unary (('*' | '/' | '%') unary)* */
function parseProduct(p: Cursor): Expr {
  return parseLeftAssociative(p, PRODUCT_OPERATORS, parseUnary);
}

function parseLeftAssociative(p: Cursor, operators: readonly BinaryOperator[], parseOperand: (p: Cursor) => Expr): Expr {
  let left = parseOperand(p);
  for (let operator = binaryOperatorAt(p, operators); operator !== null; operator = binaryOperatorAt(p, operators)) {
    p.advance();
    left = binary(p, operator, left, parseOperand(p));
  }
  return left;
}

/** Parses a self-nested operand (`not not x`, `- - x`, `else if`) within the nesting limit. */
function nestedOperand(p: Cursor, parse: (p: Cursor) => Expr): Expr {
  if (!p.enter()) return errorExpr(p.errorSpan());
  const operand = parse(p);
  p.leave();
  return operand;
}

function binaryOperatorAt(p: Cursor, operators: readonly BinaryOperator[]): BinaryOperator | null {
  const token = p.token;
  if (token.kind !== "Operator" && token.kind !== "Keyword") return null;
  return operators.find((operator) => operator === token.text) ?? null;
}

function binary(p: Cursor, operator: BinaryOperator, left: Expr, right: Expr): Expr {
  return { kind: "BinaryExpr", operator, left, right, span: p.spanFrom(left.span.start) };
}

/** unary := '-' unary | application */
function parseUnary(p: Cursor): Expr {
  if (!p.atOperator("-")) return parseApplication(p);
  const start = p.advance().span.start;
  const operand = nestedOperand(p, parseUnary);
  return { kind: "UnaryExpr", operator: "-", operand, span: p.spanFrom(start) };
}

// ---------------------------------------------------------------- application and atoms

/** application := prefixForm | postfix postfix* funExpr?   — `f x y`, `f (a, b)`, `spawn fun (). body` */
function parseApplication(p: Cursor): Expr {
  const prefixForm = prefixFormAt(p.token);
  if (prefixForm !== null) return prefixForm(p);
  const callee = parsePostfix(p);
  const args: Expr[] = [];
  while (startsArgument(p.token)) args.push(parsePostfix(p));
  if (p.atKeyword("fun")) args.push(parseFun(p));
  if (args.length === 0) return callee;
  return { kind: "CallExpr", callee, args, span: p.spanFrom(callee.span.start) };
}

function startsArgument(token: Token): boolean {
  switch (token.kind) {
    case "Int":
    case "Float":
    case "String":
    case "Symbol":
    case "Identifier":
    case "LParen":
    case "LBrace":
    case "Error":
      return true;
    case "Keyword":
      return token.text === "true" || token.text === "false";
    default:
      return false;
  }
}

function startsExpression(token: Token): boolean {
  return startsArgument(token) || prefixFormAt(token) !== null || isKeywordToken(token, "not") || isOperatorToken(token, "-");
}

/** postfix := atom ('.' NAME)* */
function parsePostfix(p: Cursor): Expr {
  let expr = parseAtom(p);
  while (p.at("FieldDot")) expr = parseFieldAccess(p, expr);
  return expr;
}

function parseFieldAccess(p: Cursor, target: Expr): Expr {
  p.advance();
  const name = p.token;
  if (name.kind !== "Identifier" && name.kind !== "Keyword") {
    p.expected(SyntaxCode.expectedName, "a field name after `.`");
    return target;
  }
  p.advance();
  if (name.text.includes("/")) {
    p.error(name.span, SyntaxCode.badName, `\`${name.text}\` is not a field name: a field name cannot contain \`/\``);
  }
  return { kind: "FieldExpr", target, name: name.text, nameSpan: name.span, span: p.spanFrom(target.span.start) };
}

/** atom := literal | '(' ... ')' | record | PATH | construct */
function parseAtom(p: Cursor): Expr {
  const token = p.token;
  const literal = literalOf(token);
  if (literal !== null) {
    p.advance();
    return literal;
  }
  switch (token.kind) {
    case "Identifier":
      return parseNameOrConstruct(p);
    case "LParen":
      return parseParenthesized(p);
    case "LBrace":
      return parseRecord(p);
    case "Error":
      p.skipErrorToken();
      return errorExpr(token.span);
    default:
      p.expected(SyntaxCode.expectedExpression, "an expression");
      return errorExpr(p.errorSpan());
  }
}

/** name := PATH ; construct := PATH '{' fieldInits '}'   (when the last segment is capitalized: `Mode/Chase { speed = 1.0 }`) */
function parseNameOrConstruct(p: Cursor): Expr {
  const token = p.advance();
  const path = pathOf(p, token);
  if (!isTypeLikePath(path) || !p.at("LBrace")) return { kind: "NameExpr", path, span: token.span };
  const fields = parseList(p, "RBrace", parseFieldInit);
  return { kind: "ConstructExpr", type: path, fields, span: p.spanFrom(token.span.start) };
}

/** parens := '(' ')' | '(' expr ')' | '(' expr (',' expr)+ ','? ')' */
function parseParenthesized(p: Cursor): Expr {
  const start = p.token.span.start;
  const items = parseList(p, "RParen", parseExpr);
  const span = p.spanFrom(start);
  if (items.length === 0) return { kind: "UnitLiteral", span };
  if (items.length === 1) return items[0];
  return { kind: "TupleExpr", items, span };
}

/** record := '{' (fieldInit (',' fieldInit)* ','?)? '}' */
function parseRecord(p: Cursor): Expr {
  const start = p.token.span.start;
  const fields = parseList(p, "RBrace", parseFieldInit);
  return { kind: "RecordExpr", fields, span: p.spanFrom(start) };
}

/** fieldInit := NAME '=' expr */
function parseFieldInit(p: Cursor): FieldInit | null {
  const name = parsePlainName(p, "a field name");
  if (name === null) return null;
  if (!p.acceptOperator("=")) {
    p.expected(SyntaxCode.expectedEquals, `\`=\` and a value for the field \`${name.text}\``);
    return null;
  }
  const value = parseExpr(p);
  return { name: name.text, nameSpan: name.span, value, span: p.spanFrom(name.span.start) };
}

function errorExpr(span: Span): Expr {
  return { kind: "ErrorExpr", span };
}

// ---------------------------------------------------------------- prefix forms

type PrefixKeyword = "if" | "match" | "fun" | "with" | "handler" | "cancel" | "return" | "break" | "continue" | "while" | "for";

const PREFIX_FORMS: Readonly<Record<PrefixKeyword, (p: Cursor) => Expr>> = {
  if: parseIf,
  match: parseMatch,
  fun: parseFun,
  with: parseWith,
  handler: parseHandler,
  cancel: parseCancel,
  return: parseReturn,
  break: parseBreak,
  continue: parseContinue,
  while: parseWhile,
  for: parseFor,
};

function prefixFormAt(token: Token): ((p: Cursor) => Expr) | null {
  if (token.kind !== "Keyword" || !(token.text in PREFIX_FORMS)) return null;
  return PREFIX_FORMS[token.text as PrefixKeyword];
}

/** Consumes a block dot, or reports what it should have followed (the construct began at `start`). */
function expectBlockDot(p: Cursor, start: number, context: string): boolean {
  if (p.accept("BlockDot")) return true;
  p.expected(SyntaxCode.expectedBlockDot, `\`.\` ${context}`, start);
  return false;
}

/** if := 'if' expr ('then' body | '.' body) (NEWLINE? 'else' (if | '.' body | body))? */
function parseIf(p: Cursor): Expr {
  const start = p.advance().span.start;
  const condition = parseExpr(p);
  const thenBranch = parseThenBranch(p, start);
  // Without its `.` the body was read into the condition (as arguments): checking what was read
  // would only add errors that are not the user's, so the whole `if` is an error node.
  if (thenBranch === null) {
    p.synchronize();
    return { kind: "IfExpr", condition: errorExpr(condition.span), then: errorExpr(p.errorSpan()), else: null, span: p.spanFrom(start) };
  }
  const elseBranch = parseElseBranch(p);
  return { kind: "IfExpr", condition, then: thenBranch, else: elseBranch, span: p.spanFrom(start) };
}

/** Null when neither `then` nor `.` follows the condition. */
function parseThenBranch(p: Cursor, start: number): Expr | null {
  if (p.acceptKeyword("then")) return parseBody(p, "then");
  if (p.accept("BlockDot")) return parseBody(p, ".");
  const hint = p.atOperator("=") && p.onLineOf(start) ? " (to compare, use `==`)" : "";
  p.expected(SyntaxCode.expectedThen, `\`then\` or \`.\` after the condition of \`if\`${hint}`, start);
  return null;
}

/** `else` may start the next line, at the depth of the line holding `if`. */
function parseElseBranch(p: Cursor): Expr | null {
  if (!p.continuesWith("else")) return null;
  p.advance();
  if (p.atKeyword("if")) return nestedOperand(p, parseIf);
  if (p.accept("BlockDot")) return parseBody(p, "else.");
  return parseBody(p, "else");
}

/** match := 'match' expr '.' clauses(arm) */
function parseMatch(p: Cursor): Expr {
  const start = p.advance().span.start;
  const subject = parseExpr(p);
  let arms: MatchArm[] = [];
  if (expectBlockDot(p, start, "after the value to match")) arms = parseClauses(p, parseArm, "the match arms (`pattern => value`)");
  return { kind: "MatchExpr", subject, arms, span: p.spanFrom(start) };
}

/** arm := pattern '=>' body */
function parseArm(p: Cursor): MatchArm | null {
  const start = p.token.span.start;
  const pattern = parsePattern(p);
  if (pattern === null || !expectArrow(p)) return null;
  const body = parseBody(p, "=>");
  return { pattern, body, span: p.spanFrom(start) };
}

function expectArrow(p: Cursor): boolean {
  if (p.acceptOperator("=>")) return true;
  p.expected(SyntaxCode.expectedArrow, "`=>` after the pattern");
  return false;
}

/** fun := 'fun' params ('->' type)? '.' body */
function parseFun(p: Cursor): Expr {
  const start = p.advance().span.start;
  const params = parseParams(p);
  const result = p.acceptOperator("->") ? parseType(p) : null;
  const hasBody = expectBlockDot(p, start, "after the parameters of `fun`, before its body");
  const body = hasBody ? parseBody(p, ".") : errorExpr(p.errorSpan());
  return { kind: "FunExpr", params, result, body, span: p.spanFrom(start) };
}

/** params := '(' (param (',' param)*)? ')' | NAME */
function parseParams(p: Cursor): Param[] {
  if (p.at("LParen")) return parseList(p, "RParen", parseParam);
  if (!p.at("Identifier")) {
    p.expected(SyntaxCode.expectedToken, "the parameters after `fun`: `()`, a name, or `(a: T, b: T)`");
    return [];
  }
  const name = p.advance();
  return [{ name: name.text, type: null, span: name.span }];
}

/** param := NAME (':' type)? */
function parseParam(p: Cursor): Param | null {
  const name = parsePlainName(p, "a parameter name");
  if (name === null) return null;
  const type = p.acceptOperator(":") ? parseType(p) : null;
  return { name: name.text, type, span: p.spanFrom(name.span.start) };
}

/** with := 'with' expr NEWLINE? 'do' body   — `do` may start the line after the handler's clauses */
function parseWith(p: Cursor): Expr {
  const start = p.advance().span.start;
  const handler = parseExpr(p);
  if (!p.continuesWith("do")) {
    p.expected(SyntaxCode.expectedDo, "`do` and the body after the handler of `with`");
    return { kind: "WithExpr", handler, body: errorExpr(p.errorSpan()), span: p.spanFrom(start) };
  }
  p.advance();
  const body = parseBody(p, "do");
  return { kind: "WithExpr", handler, body, span: p.spanFrom(start) };
}

/** handler := 'handler' PATH '.' clauses(handlerClause) */
function parseHandler(p: Cursor): Expr {
  const start = p.advance().span.start;
  if (!p.at("Identifier")) {
    p.expected(SyntaxCode.expectedName, "the effect to handle after `handler`, as in `handler Ask.`");
    return errorExpr(p.spanFrom(start));
  }
  const effect = pathOf(p, p.advance());
  let clauses: HandlerClause[] = [];
  if (expectBlockDot(p, start, "after the effect's name")) {
    clauses = parseClauses(p, parseHandlerClause, "the handler's clauses (`operation pattern => value`)");
  }
  return { kind: "HandlerExpr", effect, clauses, span: p.spanFrom(start) };
}

/** handlerClause := NAME pattern '=>' body */
function parseHandlerClause(p: Cursor): HandlerClause | null {
  const start = p.token.span.start;
  const operation = parsePlainName(p, "the name of an operation");
  if (operation === null) return null;
  if (p.atOperator("=>")) {
    p.expected(SyntaxCode.expectedPattern, "the operation's argument before `=>` (write `()` when it takes none)");
    return null;
  }
  const pattern = parsePattern(p);
  if (pattern === null || !expectArrow(p)) return null;
  const body = parseBody(p, "=>");
  return { operation: operation.text, operationSpan: operation.span, pattern, body, span: p.spanFrom(start) };
}

/** cancel := 'cancel' expr? */
function parseCancel(p: Cursor): Expr {
  const start = p.advance().span.start;
  const value = startsExpression(p.token) ? parseExpr(p) : null;
  return { kind: "CancelExpr", value, span: p.spanFrom(start) };
}

/** return := 'return' expr? */
function parseReturn(p: Cursor): Expr {
  const start = p.advance().span.start;
  const value = startsExpression(p.token) ? parseExpr(p) : null;
  return { kind: "ReturnExpr", value, span: p.spanFrom(start) };
}

/** break := 'break' */
function parseBreak(p: Cursor): Expr {
  return { kind: "BreakExpr", span: p.advance().span };
}

/** continue := 'continue' */
function parseContinue(p: Cursor): Expr {
  return { kind: "ContinueExpr", span: p.advance().span };
}

/** while := 'while' expr '.' body */
function parseWhile(p: Cursor): Expr {
  const start = p.advance().span.start;
  const condition = parseExpr(p);
  const hasBody = expectBlockDot(p, start, "after the condition of `while`");
  if (!hasBody) {
    p.synchronize();
    return { kind: "WhileExpr", condition: errorExpr(condition.span), body: errorExpr(p.errorSpan()), span: p.spanFrom(start) };
  }
  return { kind: "WhileExpr", condition, body: parseBody(p, "."), span: p.spanFrom(start) };
}

/** for := 'for' NAME 'in' expr ('..' expr)? '.' body   — a range `0 .. n` or a pool */
function parseFor(p: Cursor): Expr {
  const start = p.advance().span.start;
  const binder = parsePlainName(p, "the loop variable after `for`");
  if (binder === null) return errorExpr(p.spanFrom(start));
  if (!p.acceptKeyword("in")) {
    p.expected(SyntaxCode.expectedIn, "`in` after the loop variable, as in `for i in 0 .. n.`");
    return errorExpr(p.spanFrom(start));
  }
  const from = parseExpr(p);
  const to = p.acceptOperator("..") ? parseExpr(p) : null;
  const hasBody = expectBlockDot(p, start, "after what the loop runs over");
  const body = hasBody ? parseBody(p, ".") : errorExpr(p.errorSpan());
  const loop = { binder: binder.text, binderSpan: binder.span, body, span: p.spanFrom(start) };
  if (to === null) return { kind: "ForEachExpr", ...loop, iterable: from };
  return { kind: "ForRangeExpr", ...loop, from, to };
}

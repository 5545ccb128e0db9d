// Where a JSON text stops being JSON: the offset of its first syntax error, so a broken manifest
// is reported at file:line:col with a code frame. JSON.parse says what is wrong but, in Node 20,
// not always where ("Unexpected token ']', ..."es": ["a",]..." is not valid JSON").

/** The offset of the first syntax error in `text`, or null when it is valid JSON. */
export function jsonErrorOffset(text: string): number | null {
  const scanner = { text, at: 0 };
  if (!value(scanner)) return scanner.at;
  skipSpace(scanner);
  return scanner.at === text.length ? null : scanner.at;
}

interface Scanner {
  readonly text: string;
  at: number;
}

function skipSpace(scanner: Scanner): void {
  while (scanner.at < scanner.text.length && " \t\n\r".includes(scanner.text[scanner.at])) scanner.at++;
}

/** value = object | array | string | number | true | false | null; false leaves `at` on the error. */
function value(scanner: Scanner): boolean {
  skipSpace(scanner);
  const next = scanner.text[scanner.at];
  if (next === "{") return sequence(scanner, "}", member);
  if (next === "[") return sequence(scanner, "]", value);
  if (next === '"') return string(scanner);
  for (const word of ["true", "false", "null"]) {
    if (scanner.text.startsWith(word, scanner.at)) {
      scanner.at += word.length;
      return true;
    }
  }
  return number(scanner);
}

/** `{` member (`,` member)* `}` or `[` value (`,` value)* `]`, the opening bracket at `at`. */
function sequence(scanner: Scanner, close: string, item: (scanner: Scanner) => boolean): boolean {
  scanner.at++;
  skipSpace(scanner);
  if (scanner.text[scanner.at] === close) {
    scanner.at++;
    return true;
  }
  for (;;) {
    if (!item(scanner)) return false;
    skipSpace(scanner);
    const next = scanner.text[scanner.at];
    if (next === close) {
      scanner.at++;
      return true;
    }
    if (next !== ",") return false;
    scanner.at++;
  }
}

/** member = string `:` value */
function member(scanner: Scanner): boolean {
  skipSpace(scanner);
  if (scanner.text[scanner.at] !== '"' || !string(scanner)) return false;
  skipSpace(scanner);
  if (scanner.text[scanner.at] !== ":") return false;
  scanner.at++;
  return value(scanner);
}

/** string = `"` (character | escape)* `"`; control characters must be escaped. */
function string(scanner: Scanner): boolean {
  const text = scanner.text;
  scanner.at++;
  while (scanner.at < text.length) {
    const char = text[scanner.at];
    if (char === '"') {
      scanner.at++;
      return true;
    }
    if (char < " ") return false;
    if (char === "\\") {
      const escape = text[scanner.at + 1];
      if (escape === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(scanner.at + 2, scanner.at + 6))) return false;
        scanner.at += 6;
        continue;
      }
      if (escape === undefined || !'"\\/bfnrt'.includes(escape)) return false;
      scanner.at += 2;
      continue;
    }
    scanner.at++;
  }
  return false;
}

/** Not sticky (`/y` keeps a lastIndex): matched against the rest of the text instead. */
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;

function number(scanner: Scanner): boolean {
  const match = NUMBER.exec(scanner.text.slice(scanner.at));
  if (!match) return false;
  scanner.at += match[0].length;
  return true;
}

// Runtime errors of Ribbon code (freed pointer, division by zero, runaway loop...), each tied to
// the .rib source position that caused it.

/** A source position compiled into the generated code, so runtime errors can name it. */
export interface Site {
  module: string;
  file: string;
  line: number;
  column: number;
  /** Enclosing top-level function, or "" at module level. */
  function: string;
}

export type RuntimeErrorKind =
  | "dead-pointer"
  | "division-by-zero"
  | "budget-exceeded"
  | "pool-full"
  | "too-large"
  | "too-many-fibers"
  | "stack-overflow"
  | "unhandled-operation"
  | "host-error";

export class RibbonRuntimeError extends Error {
  readonly kind: RuntimeErrorKind;
  readonly site: Site | null;

  constructor(kind: RuntimeErrorKind, message: string, site: Site | null) {
    super(site ? `${site.file}:${site.line}:${site.column}: ${message}` : message);
    this.kind = kind;
    this.site = site;
  }
}

/** Turns anything thrown by generated code into a RibbonRuntimeError. */
export function asRuntimeError(thrown: unknown, fallbackSite: Site | null): RibbonRuntimeError {
  if (thrown instanceof RibbonRuntimeError) return thrown;
  if (thrown instanceof RangeError && /call stack/i.test(thrown.message)) {
    return new RibbonRuntimeError("stack-overflow", "stack overflow: recursion too deep", fallbackSite);
  }
  // What JavaScript throws when a value outgrows it: Ribbon's error, not an engine bug.
  if (thrown instanceof RangeError && /invalid string length/i.test(thrown.message)) {
    return new RibbonRuntimeError("too-large", "a string grew longer than JavaScript can hold: is a loop appending to it without end?", fallbackSite);
  }
  if (thrown instanceof RangeError && /array buffer allocation failed|invalid (typed )?array length/i.test(thrown.message)) {
    return new RibbonRuntimeError("too-large", "out of memory growing a pool: is a loop allocating without end?", fallbackSite);
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new RibbonRuntimeError("host-error", `internal error: ${message}`, fallbackSite);
}

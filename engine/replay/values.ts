// Plain Ribbon values (module state, `value` pool columns) as JSON that round-trips exactly:
// numbers JSON cannot hold (NaN, +-Infinity, -0) and `undefined` become small tagged objects.
// Ribbon keys are always prefixed (f_, s_...) or tag/x/y, so `$number` / `$undefined` never clash.

export type EncodedValue = null | boolean | number | string | EncodedValue[] | { [key: string]: EncodedValue };

/** What encodeValue could not keep: a function (a lambda held in state or data) is written as null. */
export interface Unkept {
  functions: number;
}

export function encodeValue(value: unknown, unkept?: Unkept): EncodedValue {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? "-0" : String(value) };
    case "boolean":
    case "string":
      return value;
    case "undefined":
      return { $undefined: true };
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map((item) => encodeValue(item, unkept));
      const out: Record<string, EncodedValue> = {};
      for (const key of Object.keys(value)) out[key] = encodeValue((value as Record<string, unknown>)[key], unkept);
      return out;
    }
    default:
      // A function (a lambda in state or data) cannot be written down; the caller is told, so
      // an image holding one is not restored. Symbols and bigints never live in Ribbon data.
      if (typeof value === "function" && unkept) unkept.functions++;
      return null;
  }
}

const SPECIAL_NUMBERS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY, "-0": -0 };

export function decodeValue(value: EncodedValue): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$number" && typeof value.$number === "string" && value.$number in SPECIAL_NUMBERS) {
    return SPECIAL_NUMBERS[value.$number];
  }
  if (keys.length === 1 && keys[0] === "$undefined") return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeValue(value[key]);
  return out;
}

/** Bit-exact equality (NaN equals NaN, -0 differs from 0), as the world hash sees values. */
export function sameValue(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  return leftKeys.every((key) => Object.hasOwn(right, key) && sameValue((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}

/** A value for a report line: numbers as `print` shows them, data as compact JSON-like text. */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (value === undefined) return "(none)";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${demangle(key)}: ${describeValue(item)}`);
  return `{ ${entries.join(", ")} }`;
}

/** `s_max$2d$speed` → `max-speed`: a generated key back to its Ribbon name. */
export function demangle(key: string): string {
  return key.replace(/^[a-z]_/, "").replace(/\$([0-9a-f]+)\$/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

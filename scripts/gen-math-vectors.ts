// Exact BigInt reference for engine/runtime/math.ts: regenerates its constant tables and golden vectors, and measures its error.
//
// Run: npx esbuild scripts/gen-math-vectors.ts --bundle --platform=node --format=esm --outfile=/tmp/gen.mjs && node /tmp/gen.mjs [tables|golden|accuracy]
// The tests import the reference functions below; nothing here runs on import.

import { pathToFileURL } from "node:url";
import * as fixed from "../engine/runtime/math.ts";

/** A real number given exactly as value / 2^scale (value may be negative; scale may be negative). */
export interface Exact {
  value: bigint;
  scale: number;
}

// ---------------------------------------------------------------------------
// Doubles as exact binary fractions

/** x = mantissa * 2^exponent exactly, with mantissa an integer (sign included). Finite x only. */
export function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa: negative ? -mantissa : mantissa, exponent };
}

export function exactOf(x: number): Exact {
  const { mantissa, exponent } = decompose(x);
  return { value: mantissa, scale: -exponent };
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : (value < 0n ? -value : value).toString(2).length;
}

function shift(value: bigint, bits: number): bigint {
  return bits >= 0 ? value << BigInt(bits) : value >> BigInt(-bits);
}

/** Re-expresses an exact number at another scale (truncating toward -infinity when scale shrinks). */
function rescale(number: Exact, scale: number): bigint {
  return shift(number.value, scale - number.scale);
}

/** The double nearest value / 2^scale (ties to even); only for results in the normal range. */
export function roundToDouble(value: bigint, scale: number): number {
  if (value === 0n) return 0;
  const length = bitLength(value);
  let top = value;
  let extra = 0;
  if (length > 64) {
    // Keep 64 bits plus a sticky bit so Number() rounds exactly as the full value would.
    extra = length - 64;
    const kept = shift(value < 0n ? -value : value, -extra);
    const lost = (value < 0n ? -value : value) - shift(kept, extra) !== 0n ? 1n : 0n;
    top = (kept << 1n) | lost;
    extra -= 1;
    if (value < 0n) top = -top;
  }
  return Number(top) * 2 ** (extra - scale);
}

// ---------------------------------------------------------------------------
// Fixed-point kernels: numbers are bigints scaled by 2^bits

const GUARD = 64;

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** arctan(1/n) by its Taylor series. */
function arctanInverse(n: bigint, bits: number): bigint {
  const one = 1n << BigInt(bits);
  let power = one / n;
  let sum = power;
  const nn = n * n;
  for (let k = 1n; power !== 0n; k++) {
    power /= nn;
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum;
}

const CONSTANT_BITS = 2600;
const PI_FIXED = 4n * (4n * arctanInverse(5n, CONSTANT_BITS + 16) - arctanInverse(239n, CONSTANT_BITS + 16)) >> 16n;
const LN2_FIXED = (() => {
  // ln 2 = 2 artanh(1/3) = sum 2 / ((2k+1) 3^(2k+1)).
  const bits = CONSTANT_BITS + 16;
  let power = (1n << BigInt(bits)) / 3n;
  let sum = 0n;
  for (let k = 0n; power !== 0n; k++) {
    sum += power / (2n * k + 1n);
    power /= 9n;
  }
  return (2n * sum) >> 16n;
})();

export function piFixed(bits: number): bigint {
  if (bits > CONSTANT_BITS) throw new Error(`pi requested to ${bits} bits`);
  return PI_FIXED >> BigInt(CONSTANT_BITS - bits);
}

export function ln2Fixed(bits: number): bigint {
  if (bits > CONSTANT_BITS) throw new Error(`ln 2 requested to ${bits} bits`);
  return LN2_FIXED >> BigInt(CONSTANT_BITS - bits);
}

/** Taylor series sum of sign^k x^(start+2k) / (start+2k)! for |x| <= 1. */
function sinCosSeries(x: bigint, bits: number, start: 0 | 1): bigint {
  const one = 1n << BigInt(bits);
  const x2 = (x * x) >> BigInt(bits);
  let term = start === 0 ? one : x;
  let sum = term;
  for (let k = BigInt(start + 1); term !== 0n; k += 2n) {
    term = -((term * x2) >> BigInt(bits)) / (k * (k + 1n));
    sum += term;
  }
  return sum;
}

function expSeries(x: bigint, bits: number): bigint {
  let term = 1n << BigInt(bits);
  let sum = term;
  for (let k = 1n; term !== 0n; k++) {
    term = ((term * x) >> BigInt(bits)) / k;
    sum += term;
  }
  return sum;
}

/** arctan(t) for |t| <= 1, after halving the angle twice with t / (1 + sqrt(1 + t^2)). */
function arctanFixed(t: bigint, bits: number): bigint {
  const one = 1n << BigInt(bits);
  let u = t;
  for (let i = 0; i < 2; i++) {
    const root = isqrt(one * one + u * u);
    u = (u << BigInt(bits)) / (one + root);
  }
  const u2 = (u * u) >> BigInt(bits);
  let power = u;
  let sum = u;
  for (let k = 1n; power !== 0n; k++) {
    power = (power * u2) >> BigInt(bits);
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return 4n * sum;
}

/** ln(m) for 1 <= m < 2 as 2 artanh((m-1)/(m+1)). */
function logFixed(m: bigint, bits: number): bigint {
  const one = 1n << BigInt(bits);
  const s = ((m - one) << BigInt(bits)) / (m + one);
  const s2 = (s * s) >> BigInt(bits);
  let power = s;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = (power * s2) >> BigInt(bits);
  }
  return 2n * sum;
}

// ---------------------------------------------------------------------------
// Reference functions on doubles. Each returns the true value to at least ~128 bits of
// relative precision (for results that are not exactly zero).

/** Working precision: enough fractional bits to hold x exactly plus 192 more. */
function workingBits(x: number): number {
  return 192 + Math.max(0, -decompose(x).exponent);
}

/** x - k pi/2 with |result| <= pi/4 (fixed at `bits`), and k mod 4. */
function reduceHalfPi(x: number, bits: number): { r: bigint; quadrant: number } {
  const { mantissa, exponent } = decompose(x);
  const piBits = bits + Math.max(0, exponent + 53) + GUARD;
  const halfPi = piFixed(piBits) >> 1n;
  const X = shift(mantissa, exponent + piBits);
  let k = X / halfPi;
  let r = X - k * halfPi;
  if (r < 0n) {
    k -= 1n;
    r += halfPi;
  }
  if (2n * r > halfPi) {
    k += 1n;
    r -= halfPi;
  }
  return { r: shift(r, bits - piBits), quadrant: Number(((k % 4n) + 4n) % 4n) };
}

function sinCosExact(x: number, wantCos: boolean): Exact {
  const bits = workingBits(x) + GUARD;
  const { r, quadrant } = reduceHalfPi(x, bits);
  const q = (quadrant + (wantCos ? 1 : 0)) % 4;
  const value = q % 2 === 0 ? sinCosSeries(r, bits, 1) : sinCosSeries(r, bits, 0);
  return { value: q >= 2 ? -value : value, scale: bits };
}

export function referenceSin(x: number): Exact {
  return sinCosExact(x, false);
}

export function referenceCos(x: number): Exact {
  return sinCosExact(x, true);
}

export function referenceTan(x: number): Exact {
  const sine = sinCosExact(x, false);
  const cosine = sinCosExact(x, true);
  return { value: (sine.value << BigInt(sine.scale)) / cosine.value, scale: sine.scale };
}

/** atan(a / b) for 0 <= a, 0 < b, as fixed at `bits`, quadrant-free. */
function arctanRatio(a: Exact, b: Exact, bits: number): bigint {
  const halfPi = piFixed(bits) >> 1n;
  const common = Math.max(a.scale, b.scale);
  const A = rescale(a, common);
  const B = rescale(b, common);
  if (A <= B) return arctanFixed((A << BigInt(bits)) / B, bits);
  return halfPi - arctanFixed((B << BigInt(bits)) / A, bits);
}

export function referenceAtan2(y: number, x: number): Exact {
  const ey = decompose(y).exponent;
  const ex = decompose(x).exponent;
  const bits = 192 + Math.max(0, ex - ey + 53) + Math.max(0, -ey) + GUARD;
  let angle = arctanRatio(exactOf(Math.abs(y)), exactOf(Math.abs(x)), bits);
  if (x < 0) angle = piFixed(bits) - angle;
  return { value: y < 0 ? -angle : angle, scale: bits };
}

export function referenceAtan(x: number): Exact {
  return referenceAtan2(x, 1);
}

export function referenceAsin(x: number): Exact {
  const bits = workingBits(x) + GUARD;
  const X = rescale(exactOf(Math.abs(x)), bits);
  const one = 1n << BigInt(bits);
  const cosine = isqrt(one * one - X * X);
  const angle = cosine === 0n ? piFixed(bits) >> 1n : arctanRatio({ value: X, scale: bits }, { value: cosine, scale: bits }, bits);
  return { value: x < 0 ? -angle : angle, scale: bits };
}

export function referenceAcos(x: number): Exact {
  const bits = 256 + GUARD;
  const asin = referenceAsin(x);
  return { value: (piFixed(bits) >> 1n) - rescale(asin, bits), scale: bits };
}

/** e^z for z given exactly (|z| < 2^12). */
function expOfExact(z: Exact): Exact {
  const bits = 192 + GUARD;
  const ln2Bits = bits + 16;
  const Z = rescale(z, ln2Bits);
  const ln2 = ln2Fixed(ln2Bits);
  const k = (Z + (ln2 >> 1n)) / ln2 - (Z + (ln2 >> 1n) < 0n ? 1n : 0n);
  const r = (Z - k * ln2) >> 16n;
  return { value: expSeries(r, bits), scale: bits - Number(k) };
}

export function referenceExp(x: number): Exact {
  return expOfExact(exactOf(x));
}

/** ln x for finite x > 0, fixed at `bits`. */
function logOf(x: number, bits: number): bigint {
  const { mantissa, exponent } = decompose(x);
  const length = bitLength(mantissa);
  const e = exponent + length - 1; // x = m 2^e with 1 <= m < 2
  const m = shift(mantissa, bits - (length - 1));
  return BigInt(e) * ln2Fixed(bits) + logFixed(m, bits);
}

export function referenceLog(x: number): Exact {
  const bits = 256 + GUARD;
  return { value: logOf(x, bits), scale: bits };
}

/** x^y for finite x != 0 and finite y (y an integer when x < 0). */
export function referencePow(x: number, y: number): Exact {
  const bits = 320 + GUARD;
  const logarithm = logOf(Math.abs(x), bits);
  const { mantissa, exponent } = decompose(y);
  const result = expOfExact({ value: logarithm * mantissa, scale: bits - exponent });
  const negative = x < 0 && Math.abs(y) < 2 ** 53 && y % 2 !== 0;
  return negative ? { value: -result.value, scale: result.scale } : result;
}

/** (computed - exact) in units of the last place of the exact value (ulp at least 2^-1074). */
export function ulpError(computed: number, exact: Exact): number {
  if (!Number.isFinite(computed)) return computed === computed ? Infinity : NaN;
  const magnitude = exact.value === 0n ? -1075 : bitLength(exact.value) - 1 - exact.scale;
  const ulpExponent = Math.max(magnitude, -1022) - 52;
  const c = exactOf(computed);
  const common = Math.max(c.scale, exact.scale, -ulpExponent) + 40;
  const difference = rescale(c, common) - rescale(exact, common);
  // difference / 2^(common + ulpExponent), keeping 40 fractional bits.
  return Number(shift(difference, 40 - (common + ulpExponent))) / 2 ** 40;
}

// ---------------------------------------------------------------------------
// Table generation

function exactConstant(value: bigint, scale: number): { hi: number; lo: number } {
  const hi = roundToDouble(value, scale);
  const remainder = value - rescale(exactOf(hi), scale);
  return { hi, lo: roundToDouble(remainder, scale) };
}

/** A double holding the leading `bits` significant bits of value/2^scale (truncated), and what is left. */
function truncatedConstant(value: bigint, scale: number, bits: number): { head: number; rest: bigint } {
  const drop = bitLength(value) - bits;
  const headValue = shift(shift(value, -drop), drop);
  return { head: roundToDouble(headValue, scale), rest: value - headValue };
}

function hex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return "0x" + view.getBigUint64(0).toString(16).padStart(16, "0");
}

function literal(x: number): string {
  return `${x}`;
}

export function generateTables(): string {
  const lines: string[] = [];
  const bits = 400;
  const halfPi = piFixed(bits) >> 1n;

  // pi/2 in three 33-bit pieces and a 53-bit tail (Cody-Waite).
  let rest = halfPi;
  const pieces: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { head, rest: after } = truncatedConstant(rest, bits, 33);
    pieces.push(head);
    rest = after;
  }
  pieces.push(roundToDouble(rest, bits));
  lines.push(`const PIO2_1 = ${literal(pieces[0])}; // ${hex(pieces[0])}`);
  lines.push(`const PIO2_2 = ${literal(pieces[1])}; // ${hex(pieces[1])}`);
  lines.push(`const PIO2_3 = ${literal(pieces[2])}; // ${hex(pieces[2])}`);
  lines.push(`const PIO2_4 = ${literal(pieces[3])}; // ${hex(pieces[3])}`);
  const hp = exactConstant(halfPi, bits);
  lines.push(`const PIO2_HI = ${literal(hp.hi)}; // ${hex(hp.hi)}`);
  lines.push(`const PIO2_LO = ${literal(hp.lo)}; // ${hex(hp.lo)}`);
  const pi = exactConstant(piFixed(bits), bits);
  lines.push(`const PI_HI = ${literal(pi.hi)}; // ${hex(pi.hi)}`);
  lines.push(`const PI_LO = ${literal(pi.lo)}; // ${hex(pi.lo)}`);
  const twoOverPi = ((1n << BigInt(2 * bits)) / halfPi);
  lines.push(`const TWO_OVER_PI = ${literal(roundToDouble(twoOverPi, bits))};`);

  // 2/pi in 24-bit digits after the binary point (Payne-Hanek).
  const digitCount = 56;
  const digitBits = 24 * digitCount;
  const fraction = (1n << BigInt(2 * digitBits + 64)) / (piFixed(digitBits + 64) >> 1n);
  const digits: number[] = [];
  for (let j = 0; j < digitCount; j++) {
    digits.push(Number((fraction >> BigInt(digitBits - 24 * (j + 1))) & 0xffffffn));
  }
  lines.push(`const TWO_OVER_PI_DIGITS: readonly number[] = [`);
  for (let j = 0; j < digitCount; j += 8) {
    lines.push("  " + digits.slice(j, j + 8).map((d) => "0x" + d.toString(16).padStart(6, "0")).join(", ") + ",");
  }
  lines.push(`];`);

  // ln 2 / 64 for exp: a head with 36 significant bits (k * head exact for |k| < 2^17) and a tail.
  const ln2 = ln2Fixed(bits);
  const ln2Over64 = ln2 >> 6n;
  const l64 = truncatedConstant(ln2Over64, bits, 36);
  lines.push(`const LN2_64_HI = ${literal(l64.head)}; // ${hex(l64.head)}`);
  lines.push(`const LN2_64_LO = ${literal(roundToDouble(l64.rest, bits))};`);
  lines.push(`const INV_LN2_64 = ${literal(roundToDouble((64n << BigInt(2 * bits)) / ln2, bits))};`);
  // ln 2 for log: a head with 42 significant bits (e * head exact for |e| < 2^11) and a tail.
  const l2 = truncatedConstant(ln2, bits, 42);
  lines.push(`const LN2_HI = ${literal(l2.head)}; // ${hex(l2.head)}`);
  lines.push(`const LN2_LO = ${literal(roundToDouble(l2.rest, bits))};`);

  // 2^(j/64), j = 0..63, as double-doubles.
  const exp2: number[] = [];
  for (let j = 0; j < 64; j++) {
    const value = expSeries((ln2 * BigInt(j)) >> 6n, bits);
    const { hi, lo } = exactConstant(value, bits);
    exp2.push(hi, lo);
  }
  lines.push(`const EXP2_TABLE: readonly number[] = [ // 2^(j/64) as hi, lo pairs`);
  for (let j = 0; j < 64; j++) lines.push(`  ${literal(exp2[2 * j])}, ${literal(exp2[2 * j + 1])},`);
  lines.push(`];`);

  // ln(j/128), j = 96..192, as double-doubles.
  lines.push(`const LOG_TABLE: readonly number[] = [ // ln(j/128) for j = 96..192 as hi, lo pairs`);
  for (let j = 96; j <= 192; j++) {
    const F = (BigInt(j) << BigInt(bits)) / 128n;
    let value: bigint;
    if (j >= 128) value = logFixed(F, bits);
    else value = logFixed(F * 2n, bits) - ln2;
    const { hi, lo } = exactConstant(value, bits);
    lines.push(`  ${literal(hi)}, ${literal(lo)},`);
  }
  lines.push(`];`);

  // atan(j/16), j = 0..16, as double-doubles.
  lines.push(`const ATAN_TABLE: readonly number[] = [ // atan(j/16) for j = 0..16 as hi, lo pairs`);
  for (let j = 0; j <= 16; j++) {
    const value = arctanFixed((BigInt(j) << BigInt(bits)) / 16n, bits);
    const { hi, lo } = exactConstant(value, bits);
    lines.push(`  ${literal(hi)}, ${literal(lo)},`);
  }
  lines.push(`];`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------
// Golden vectors: bits the current implementation produces, pinned by the tests.

export const GOLDEN_INPUTS: ReadonlyArray<readonly [name: string, args: readonly number[]]> = [
  ["sin", [1]],
  ["sin", [0.5]],
  ["sin", [1e-5]],
  ["sin", [100]],
  ["sin", [1e6]],
  ["sin", [1e22]],
  ["sin", [1.7976931348623157e308]],
  ["cos", [1]],
  ["cos", [0.7853981633974483]],
  ["cos", [3]],
  ["cos", [123456.789]],
  ["cos", [1e300]],
  ["tan", [1]],
  ["tan", [1.5707963267948966]],
  ["tan", [-2.5]],
  ["tan", [1e10]],
  ["atan", [0.3]],
  ["atan", [-7]],
  ["atan2", [1, -1]],
  ["atan2", [-3, 4]],
  ["atan2", [1e-300, 1e300]],
  ["asin", [0.5]],
  ["asin", [-0.999]],
  ["acos", [0.1]],
  ["acos", [-0.75]],
  ["exp", [1]],
  ["exp", [-2.5]],
  ["exp", [700]],
  ["exp", [-740]],
  ["log", [10]],
  ["log", [0.999]],
  ["log", [1e-310]],
  ["pow", [2, 0.5]],
  ["pow", [10, -3.3]],
  ["pow", [-1.5, 7]],
  ["pow", [1.0000001, 1e9]],
];

type Unary = (x: number) => number;
type Binary = (y: number, x: number) => number;

export function evaluate(name: string, args: readonly number[]): number {
  const f = (fixed as unknown as Record<string, Unary | Binary>)[name];
  return args.length === 1 ? (f as Unary)(args[0]) : (f as Binary)(args[0], args[1]);
}

export function generateGolden(): string {
  return GOLDEN_INPUTS.map(([name, args]) => `  ["${name}", [${args.join(", ")}], "${hex(evaluate(name, args))}"],`).join("\n");
}

// ---------------------------------------------------------------------------
// Accuracy survey (slow; prints the worst error per function over many random inputs)

export function surveyAccuracy(samples: number): string {
  let state = 0x9e3779b9;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + uniform() * (Math.log(hi) - Math.log(lo)));
  const signed = (x: number): number => (uniform() < 0.5 ? -x : x);
  const cases: Array<[string, () => number[], (args: number[]) => Exact]> = [
    ["sin", () => [signed(uniform() * Math.PI)], ([x]) => referenceSin(x)],
    ["sin", () => [signed(logUniform(1, 1e6))], ([x]) => referenceSin(x)],
    ["sin", () => [signed(logUniform(1e6, 1e300))], ([x]) => referenceSin(x)],
    ["cos", () => [signed(uniform() * Math.PI)], ([x]) => referenceCos(x)],
    ["cos", () => [signed(logUniform(1, 1e6))], ([x]) => referenceCos(x)],
    ["cos", () => [signed(logUniform(1e6, 1e300))], ([x]) => referenceCos(x)],
    ["tan", () => [signed(uniform() * Math.PI)], ([x]) => referenceTan(x)],
    ["tan", () => [signed(logUniform(1, 1e300))], ([x]) => referenceTan(x)],
    ["atan", () => [signed(logUniform(1e-10, 1e10))], ([x]) => referenceAtan(x)],
    ["atan2", () => [signed(logUniform(1e-5, 1e5)), signed(logUniform(1e-5, 1e5))], ([y, x]) => referenceAtan2(y, x)],
    ["asin", () => [signed(uniform())], ([x]) => referenceAsin(x)],
    ["asin", () => [signed(1 - logUniform(1e-16, 0.5))], ([x]) => referenceAsin(x)],
    ["acos", () => [signed(uniform())], ([x]) => referenceAcos(x)],
    ["acos", () => [signed(1 - logUniform(1e-16, 0.5))], ([x]) => referenceAcos(x)],
    ["exp", () => [signed(uniform() * 700)], ([x]) => referenceExp(x)],
    ["exp", () => [signed(logUniform(1e-10, 1))], ([x]) => referenceExp(x)],
    ["log", () => [logUniform(1e-300, 1e300)], ([x]) => referenceLog(x)],
    ["log", () => [1 + signed(logUniform(1e-15, 0.3))], ([x]) => referenceLog(x)],
    ["pow", () => [logUniform(1e-3, 1e3), signed(uniform() * 50)], ([x, y]) => referencePow(x, y)],
    ["pow", () => nearOnePow(1 + signed(logUniform(1e-12, 1e-3)), signed(uniform() * 700)), ([x, y]) => referencePow(x, y)],
  ];
  const lines: string[] = [];
  for (const [name, draw, reference] of cases) {
    let worst = 0;
    let worstArgs: number[] = [];
    let worstNative = 0;
    for (let i = 0; i < samples; i++) {
      const args = draw();
      const exact = reference(args);
      const ours = Math.abs(ulpError(evaluate(name, args), exact));
      const native = Math.abs(ulpError(nativeOf(name, args), exact));
      if (ours > worst) {
        worst = ours;
        worstArgs = args;
      }
      if (native > worstNative) worstNative = native;
    }
    lines.push(`${name.padEnd(6)} worst ${worst.toFixed(4)} ulp at (${worstArgs.join(", ")}); Math.${name} worst ${worstNative.toFixed(4)} ulp`);
  }
  return lines.join("\n");
}

/** A base near 1 and an exponent large enough that x^y is about e^target (so it neither overflows nor is trivial). */
function nearOnePow(x: number, target: number): number[] {
  return [x, target / Math.log(x)];
}

function nativeOf(name: string, args: readonly number[]): number {
  const f = (Math as unknown as Record<string, (...a: number[]) => number>)[name];
  return f(...args);
}

function main(): void {
  const what = process.argv[2] ?? "tables";
  if (what === "tables") console.log(generateTables());
  else if (what === "golden") console.log(generateGolden());
  else if (what === "accuracy") console.log(surveyAccuracy(Number(process.argv[3] ?? 2000)));
  else throw new Error(`unknown mode ${what}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();

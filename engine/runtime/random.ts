// Seeded random numbers whose whole state is four plain integers, so worlds can store, hash, snapshot and replay it exactly.
//
// The generator is xoshiro128** (Blackman and Vigna, 2018): 128 bits of state, period 2^128 - 1,
// and only 32-bit integer operations (xor, shifts, rotations, Math.imul), which every JavaScript
// engine computes identically. Seeds are spread over the state with a splitmix-style counter
// and the MurmurHash3 finaliser, so consecutive seeds give unrelated streams.

/** Generator state: four unsigned 32-bit integers, never all zero. Plain data; mutate only through this module. */
export interface RandomState {
  a: number;
  b: number;
  c: number;
  d: number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
// 2^32 / golden ratio: the splitmix increment, odd so the counter visits every value.
const GOLDEN_GAMMA = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: a bijection whose output bits each depend on every input bit. */
function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A fresh state for `seed`. The seed's low 32 bits (ToUint32) and the 32 bits above them are
 * folded together, so every integer up to 2^53 in magnitude is usable; fractional parts are
 * ignored, and NaN or +-Infinity act as 0. Because the mixer is a bijection and the four words
 * come from consecutive counter values, at most one word can be zero, never all four.
 */
export function seedRandom(seed: number): RandomState {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  // mix32(0) === 0, so seeds below 2^32 use their low word unchanged as the counter.
  let counter = (low ^ mix32(high)) >>> 0;
  counter = (counter + GOLDEN_GAMMA) >>> 0;
  const a = mix32(counter);
  counter = (counter + GOLDEN_GAMMA) >>> 0;
  const b = mix32(counter);
  counter = (counter + GOLDEN_GAMMA) >>> 0;
  const c = mix32(counter);
  counter = (counter + GOLDEN_GAMMA) >>> 0;
  const d = mix32(counter);
  return { a, b, c, d };
}

/** An independent copy: snapshot a world's generator, or restore one by copying the snapshot back. */
export function copyRandomState(state: RandomState): RandomState {
  return { a: state.a, b: state.b, c: state.c, d: state.d };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** The next output, an integer in [0, 2^32); advances `state` in place. */
export function nextUint32(state: RandomState): number {
  const { a, b, c, d } = state;
  const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
  const shifted = b << 9;
  const c1 = c ^ a;
  const d1 = d ^ b;
  state.a = (a ^ d1) >>> 0;
  state.b = (b ^ c1) >>> 0;
  state.c = (c1 ^ shifted) >>> 0;
  state.d = rotateLeft(d1, 11) >>> 0;
  return result;
}

/**
 * A float in [0, 1) with 53 random bits (every multiple of 2^-53 equally likely), built from the
 * top 27 and 26 bits of two outputs, so it advances the state twice.
 */
export function nextFloat(state: RandomState): number {
  const high = nextUint32(state) >>> 5;
  const low = nextUint32(state) >>> 6;
  return (high * 67108864 + low) / TWO_POW_53;
}

/**
 * A float between low and high: low + (high - low) * nextFloat(state). The result is in
 * [low, high) except that rounding can produce high itself when the span is a few ulps wide;
 * with low > high the roles swap. Advances the state twice.
 */
export function nextRange(state: RandomState, low: number, high: number): number {
  return low + (high - low) * nextFloat(state);
}

/**
 * A uniformly distributed integer in [lowInclusive, highExclusive), without modulo bias: outputs
 * from the incomplete last block of the span are rejected and drawn again (for spans up to 2^32
 * at most half the draws are rejected, so the expected cost is under two outputs). Spans above
 * 2^32 use 53-bit draws. Throws RangeError unless both bounds are safe integers with
 * 0 < highExclusive - lowInclusive <= 2^53.
 */
export function nextInt(state: RandomState, lowInclusive: number, highExclusive: number): number {
  const span = highExclusive - lowInclusive;
  if (!(span > 0 && span <= TWO_POW_53) || !Number.isSafeInteger(lowInclusive) || !Number.isSafeInteger(highExclusive)) {
    throw new RangeError(`nextInt needs integer bounds with low < high and high - low <= 2^53, got [${lowInclusive}, ${highExclusive})`);
  }
  if (span <= TWO_POW_32) {
    // The largest multiple of span that fits in 32 bits; draws at or above it are rejected.
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let draw = nextUint32(state);
    while (draw >= limit) draw = nextUint32(state);
    return lowInclusive + (draw % span);
  }
  const limit = TWO_POW_53 - (TWO_POW_53 % span);
  let draw = nextUint53(state);
  while (draw >= limit) draw = nextUint53(state);
  return lowInclusive + (draw % span);
}

/** An integer in [0, 2^53) from two outputs. */
function nextUint53(state: RandomState): number {
  const high = nextUint32(state) >>> 11;
  const low = nextUint32(state);
  return high * TWO_POW_32 + low;
}

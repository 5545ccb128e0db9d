// Base64 for typed-array columns in replay checkpoints. Pure code (no Buffer, no btoa), so the
// page records with the same bytes as Node. Columns are stored little-endian.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = buildDecodeTable();
/** Every 12-bit value as its two base64 digits: three bytes encode with two lookups. */
const PAIRS = Array.from({ length: 4096 }, (_, value) => ALPHABET[value >> 6] + ALPHABET[value & 63]);
/** Every platform this engine runs on is little-endian; a big-endian one gets a clear error. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) table[ALPHABET.charCodeAt(index)] = index;
  return table;
}

export function encodeBase64(bytes: Uint8Array): string {
  const pairs = PAIRS;
  const parts: string[] = [];
  const whole = bytes.length - (bytes.length % 3);
  let chunk = "";
  for (let index = 0; index < whole; index += 3) {
    const triple = (bytes[index] << 16) | (bytes[index + 1] << 8) | bytes[index + 2];
    chunk += pairs[triple >> 12] + pairs[triple & 4095];
    if (chunk.length >= 16384) {
      parts.push(chunk);
      chunk = "";
    }
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const a = bytes[whole];
    const b = rest === 2 ? bytes[whole + 1] : 0;
    const triple = (a << 16) | (b << 8);
    chunk += ALPHABET[(triple >> 18) & 63] + ALPHABET[(triple >> 12) & 63] + (rest === 2 ? ALPHABET[(triple >> 6) & 63] : "=") + "=";
  }
  parts.push(chunk);
  return parts.join("");
}

/** The bytes, or null when the text is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let index = 0; index < text.length; index += 4) {
    let triple = 0;
    for (let offset = 0; offset < 4; offset++) {
      const code = text.charCodeAt(index + offset);
      const isPadding = code === 61 && index + offset >= text.length - padding;
      const value = isPadding ? 0 : code < 128 ? DECODE[code] : -1;
      if (value < 0) return null;
      triple = (triple << 6) | value;
    }
    if (out < bytes.length) bytes[out++] = (triple >> 16) & 255;
    if (out < bytes.length) bytes[out++] = (triple >> 8) & 255;
    if (out < bytes.length) bytes[out++] = triple & 255;
  }
  return bytes;
}

function requireLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error("replay checkpoints are little-endian; this platform is big-endian");
}

export type NumericArray = Float64Array | Int32Array | Uint8Array | Uint32Array;

/** The first `length` elements of a typed array, as base64 of their little-endian bytes. */
export function encodeTyped(array: NumericArray, length: number): string {
  requireLittleEndian();
  return encodeBase64(new Uint8Array(array.buffer, array.byteOffset, length * array.BYTES_PER_ELEMENT));
}

/** Decodes into a fresh array of `capacity` elements; null when the data is not `length` elements. */
export function decodeTyped<T extends NumericArray>(
  text: string,
  length: number,
  capacity: number,
  make: (capacity: number) => T,
): T | null {
  requireLittleEndian();
  const bytes = decodeBase64(text);
  const target = make(capacity);
  if (!bytes || bytes.length !== length * target.BYTES_PER_ELEMENT) return null;
  new Uint8Array(target.buffer, 0, bytes.length).set(bytes);
  return target;
}

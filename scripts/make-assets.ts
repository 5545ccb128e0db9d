// Generates the demo game's sprites (assets/*.png): simple anti-aliased shapes on a transparent
// background, drawn from signed distance functions and written by a small PNG encoder
// (node:zlib for the deflate stream). Sprites face right (+x): the game rotates them by heading.
//
//   npx esbuild scripts/make-assets.ts --bundle --platform=node --format=esm --outfile=/tmp/ma.mjs && node /tmp/ma.mjs
//
// Output is deterministic (no randomness, fixed zlib level), so re-running it leaves git clean.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

// ---------------------------------------------------------------- PNG encoding

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An RGBA image (8 bits per channel, straight alpha) as PNG bytes. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods stay 0
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
  const parts = [signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", new Uint8Array())];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------- shapes

type Vec = [number, number];
/** Signed distance in pixels: negative inside. */
type Sdf = (x: number, y: number) => number;

const circle = (cx: number, cy: number, r: number): Sdf => (x, y) => Math.hypot(x - cx, y - cy) - r;

const ring = (cx: number, cy: number, r: number, width: number): Sdf => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2;

/** A segment with round ends (a capsule) of radius r. */
const capsule = (a: Vec, b: Vec, r: number): Sdf => (x, y) => {
  const [ax, ay] = a;
  const [bx, by] = b;
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - r;
};

/** Any simple polygon (even-odd rule), optionally rounded by `round` pixels. */
const polygon = (points: Vec[], round = 0): Sdf => (x, y) => {
  let best = Infinity;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    const ex = xj - xi, ey = yj - yi, wx = x - xi, wy = y - yi;
    const t = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(wx - ex * t, wy - ey * t));
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return (inside ? -best : best) - round;
};

const union = (...shapes: Sdf[]): Sdf => (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));
const subtract = (shape: Sdf, hole: Sdf): Sdf => (x, y) => Math.max(shape(x, y), -hole(x, y));
/** The shape's outline band, `width` pixels wide, inside its edge. */
const outline = (shape: Sdf, width: number): Sdf => (x, y) => {
  const d = shape(x, y);
  return Math.max(d, -d - width);
};

/** Regular polygon with `n` corners, the first at angle `start` (radians). */
function regular(cx: number, cy: number, r: number, n: number, start = 0): Vec[] {
  return Array.from({ length: n }, (_, i) => {
    const angle = start + (i * 2 * Math.PI) / n;
    return [cx + Math.cos(angle) * r, cy + Math.sin(angle) * r] as Vec;
  });
}

function star(cx: number, cy: number, outer: number, inner: number, n: number, start = 0): Vec[] {
  return Array.from({ length: n * 2 }, (_, i) => {
    const angle = start + (i * Math.PI) / n;
    const r = i % 2 === 0 ? outer : inner;
    return [cx + Math.cos(angle) * r, cy + Math.sin(angle) * r] as Vec;
  });
}

// ---------------------------------------------------------------- painting

type Rgb = number; // 0xRRGGBB

interface Layer {
  shape: Sdf;
  color: Rgb;
  alpha?: number;
  /** A soft glow: coverage falls off over this many pixels outside the shape instead of one. */
  blur?: number;
}

class Canvas {
  readonly rgba: Float64Array;
  constructor(readonly size: number) {
    this.rgba = new Float64Array(size * size * 4);
  }

  /** Paints a layer "over" what is there; coverage from the distance gives the anti-aliasing. */
  paint({ shape, color, alpha = 1, blur = 0 }: Layer): void {
    const r = ((color >> 16) & 255) / 255, g = ((color >> 8) & 255) / 255, b = (color & 255) / 255;
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const d = shape(x + 0.5, y + 0.5);
        const coverage = blur > 0 ? Math.max(0, Math.min(1, 1 - d / blur)) ** 2 : Math.max(0, Math.min(1, 0.5 - d));
        const a = coverage * alpha;
        if (a <= 0) continue;
        const i = (y * this.size + x) * 4;
        const under = this.rgba[i + 3];
        const out = a + under * (1 - a);
        // straight-alpha "over"
        this.rgba[i] = (r * a + this.rgba[i] * under * (1 - a)) / out;
        this.rgba[i + 1] = (g * a + this.rgba[i + 1] * under * (1 - a)) / out;
        this.rgba[i + 2] = (b * a + this.rgba[i + 2] * under * (1 - a)) / out;
        this.rgba[i + 3] = out;
      }
    }
  }

  png(): Uint8Array {
    const bytes = new Uint8Array(this.rgba.length);
    for (let i = 0; i < this.rgba.length; i++) bytes[i] = Math.round(Math.max(0, Math.min(1, this.rgba[i])) * 255);
    return encodePng(this.size, this.size, bytes);
  }
}

function sprite(size: number, layers: Layer[]): Uint8Array {
  const canvas = new Canvas(size);
  for (const layer of layers) canvas.paint(layer);
  return canvas.png();
}

// ---------------------------------------------------------------- the sprites

// The game draws a body of radius r with a sprite scaled to 2.4 r: the body's circle is the
// inner 1/1.2 of the texture (radius 13.3 of 16 in a 32-pixel sprite).

function ship(): Uint8Array {
  const hull = polygon([[29, 16], [6, 4], [10, 16], [6, 28]], 1);
  const wings = polygon([[14, 9], [4, 2], [2, 6]], 0.5);
  const wings2 = polygon([[14, 23], [4, 30], [2, 26]], 0.5);
  return sprite(32, [
    { shape: hull, color: 0x40e0ff, alpha: 0.35, blur: 3 },
    { shape: union(wings, wings2), color: 0x2a8fb0 },
    { shape: hull, color: 0x52d6f4 },
    { shape: outline(hull, 1.4), color: 0xd8fbff },
    { shape: capsule([13, 16], [19, 16], 2.2), color: 0x0d2a40 },
    { shape: circle(7.5, 16, 2), color: 0xffb040 },
  ]);
}

function grunt(): Uint8Array {
  const body = circle(16, 16, 12.5);
  return sprite(32, [
    { shape: body, color: 0xff6040, alpha: 0.3, blur: 3 },
    { shape: body, color: 0xd8452c },
    { shape: outline(body, 1.5), color: 0xffa080 },
    { shape: polygon([[27, 16], [20, 11], [20, 21]]), color: 0xffa080 },
    { shape: circle(17, 16, 4.5), color: 0x2a0d08 },
    { shape: circle(18.5, 15, 1.6), color: 0xffe0d0 },
  ]);
}

function skitter(): Uint8Array {
  const body = polygon(star(16, 16, 14.5, 7, 4, 0), 0.5);
  return sprite(32, [
    { shape: body, color: 0xc8ff40, alpha: 0.3, blur: 3 },
    { shape: body, color: 0x8ccc24 },
    { shape: outline(body, 1.2), color: 0xe8ff9a },
    { shape: circle(17, 16, 3), color: 0x1c2a06 },
  ]);
}

function hunter(): Uint8Array {
  const body = polygon([[26, 16], [9, 4], [4, 16], [9, 28]], 1.5);
  return sprite(32, [
    { shape: body, color: 0xb060ff, alpha: 0.3, blur: 3 },
    { shape: capsule([16, 16], [28, 16], 2.2), color: 0x5a3080 },
    { shape: body, color: 0x8a44d8 },
    { shape: outline(body, 1.4), color: 0xdcb8ff },
    { shape: circle(13, 16, 3.6), color: 0xffe060 },
  ]);
}

function sentinel(): Uint8Array {
  const body = polygon(regular(32, 32, 27, 8, Math.PI / 8), 1.5);
  const inner = polygon(regular(32, 32, 17, 8, Math.PI / 8), 1);
  return sprite(64, [
    { shape: body, color: 0xffc040, alpha: 0.3, blur: 4 },
    { shape: body, color: 0xb57a1c },
    { shape: outline(body, 2.5), color: 0xffdc80 },
    { shape: inner, color: 0x4a2e08 },
    { shape: ring(32, 32, 10, 2.5), color: 0xffdc80 },
    { shape: circle(32, 32, 5.5), color: 0xff5030 },
    { shape: capsule([44, 32], [56, 32], 3), color: 0xffdc80 },
  ]);
}

function shot(): Uint8Array {
  const core = capsule([9, 16], [24, 16], 3.5);
  return sprite(32, [
    { shape: core, color: 0xfff080, alpha: 0.6, blur: 5 },
    { shape: core, color: 0xffe860 },
    { shape: capsule([12, 16], [23, 16], 1.6), color: 0xffffff },
  ]);
}

function bolt(): Uint8Array {
  const core = circle(16, 16, 7);
  return sprite(32, [
    { shape: core, color: 0xff3070, alpha: 0.6, blur: 6 },
    { shape: core, color: 0xff4080 },
    { shape: circle(16, 16, 3.5), color: 0xffd0e0 },
  ]);
}

function pickup(color: Rgb, light: Rgb, symbol: Sdf): Uint8Array {
  const badge = circle(16, 16, 13);
  return sprite(32, [
    { shape: badge, color, alpha: 0.35, blur: 3 },
    { shape: badge, color: 0x141a24 },
    { shape: outline(badge, 2), color: light },
    { shape: symbol, color: light },
  ]);
}

const SPRITES: Record<string, () => Uint8Array> = {
  "ship.png": ship,
  "grunt.png": grunt,
  "skitter.png": skitter,
  "hunter.png": hunter,
  "sentinel.png": sentinel,
  "shot.png": shot,
  "bolt.png": bolt,
  "pickup-health.png": () => pickup(0x40ff80, 0x80ffb0, union(polygon([[13.5, 8], [18.5, 8], [18.5, 24], [13.5, 24]]), polygon([[8, 13.5], [24, 13.5], [24, 18.5], [8, 18.5]]))),
  "pickup-rapid.png": () => pickup(0x40a0ff, 0x90c8ff, polygon([[18, 6], [9, 18], [15, 18], [13, 26], [23, 13], [17, 13]])),
  "pickup-spread.png": () => pickup(0xc060ff, 0xe0b0ff, union(circle(16, 10, 2.6), circle(10.5, 20, 2.6), circle(21.5, 20, 2.6), capsule([16, 16], [16, 10], 1), capsule([16, 16], [10.5, 20], 1), capsule([16, 16], [21.5, 20], 1))),
  "pickup-gem.png": () => pickup(0xffd040, 0xffe48a, polygon([[16, 7], [24, 16], [16, 25], [8, 16]], 0.5)),
};

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled to /tmp, import.meta.url points there: fall back to the working directory.
  const root = here.endsWith("scripts") ? resolve(here, "..") : process.cwd();
  const out = join(root, "assets");
  mkdirSync(out, { recursive: true });
  for (const [name, draw] of Object.entries(SPRITES)) {
    const bytes = draw();
    writeFileSync(join(out, name), bytes);
    process.stdout.write(`${join("assets", name)}  ${bytes.length} bytes\n`);
  }
}

main();

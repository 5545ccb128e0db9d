// A small game folder for the dev-server and browser tests: two balls moving right (drawn with
// draw/circle and draw/sprite), a tick counter printed and drawn, one PNG texture.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

export const MAIN_RIB = `;; A tiny test game: balls moving right, a tick counter.
import engine/draw

SPEED := 1.0

Ball := struct { x: f64, y: f64 }
balls := pool Ball
ticks : mut = 0

init := fun ().
    alloc balls { x = 20.0, y = 40.0 }
    alloc balls { x = 60.0, y = 120.0 }

update := fun (dt: f64).
    ticks = ticks + 1
    for b in balls.
        b.x = b.x + SPEED
        if b.x > 700.0.
            b.x = 0.0
        draw/circle (vec2 b.x b.y) 16.0 16711680
        draw/sprite "ship" (vec2 b.x (b.y + 60.0)) 0.0 1.0
    draw/rect (vec2 0.0 0.0) (vec2 800.0 8.0) 65280
    draw/text (str ticks) (vec2 10.0 300.0) 20.0 16777215
`;

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A solid-colour RGB PNG. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(pixels)), chunk("IEND", Buffer.alloc(0))]);
}

export interface GameFolder {
  root: string;
  gameDir: string;
  assetsDir: string;
  mainPath: string;
}

/** `<tmp>/game/{manifest.json,main.rib}` and `<tmp>/assets/ship.png`. */
export function createTestGame(main: string = MAIN_RIB): GameFolder {
  const root = mkdtempSync(join(tmpdir(), "ribbon-game-"));
  const gameDir = join(root, "game");
  const assetsDir = join(root, "assets");
  mkdirSync(gameDir);
  mkdirSync(assetsDir);
  writeFileSync(join(gameDir, "manifest.json"), JSON.stringify({ name: "test", modules: ["main"], seed: 1, assets: "../assets", textures: { ship: "ship.png" } }));
  writeFileSync(join(gameDir, "main.rib"), main);
  writeFileSync(join(assetsDir, "ship.png"), solidPng(24, 24, [40, 200, 255]));
  return { root, gameDir, assetsDir, mainPath: join(gameDir, "main.rib") };
}

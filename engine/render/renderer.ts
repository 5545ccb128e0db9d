// The Pixi v8 renderer: turns a tick's Draw commands into display objects: sprites (one reused
// Sprite per command, so Pixi batches them; rects and lines are tinted white sprites, circles a
// tinted circle texture, so shapes batch with sprites too), reused Text objects, and the camera as
// the world container's transform. It only reads the draw lists; the simulation never sees it.
// Draw order is command order: every object's zIndex is its command's index (the world container
// sorts its children; each pool is already in command order, so the sort only merges two runs).
//
// Renderer choice: Pixi's autodetection with WebGL preferred, then WebGPU, then Pixi 8's Canvas 2D
// renderer. Headless Chromium with --disable-gpu gets WebGL through SwiftShader, or Canvas if not.

import { Application, Assets, CanvasSource, Container, Sprite, Text, Texture } from "pixi.js";
import type { DrawCommand } from "../runtime/host.ts";
import { interpolateCommand, lerpAngle, pairCommands } from "./interpolate.ts";

export interface RendererOptions {
  width: number;
  height: number;
  background: number;
}

export type TextureResult = { ok: true } | { ok: false; reason: string };

export interface GameRenderer {
  readonly canvas: HTMLCanvasElement;
  /** "webgl", "webgpu" or "canvas". */
  readonly backend: string;
  /** Loads every texture of the game (missing ones are drawn as magenta squares). */
  loadTextures(textures: Record<string, string>): Promise<Record<string, TextureResult>>;
  /** Loads a changed texture; it replaces the old one at the next `render` (a frame boundary). */
  reloadTexture(name: string, url: string): Promise<TextureResult>;
  render(previous: readonly DrawCommand[], current: readonly DrawCommand[], alpha: number): void;
  destroy(): void;
}

interface Scene {
  app: Application;
  camera: Container;
  /** Sprites, rects, lines and circles, in command order. */
  sprites: Sprite[];
  /** The tint last given to each pooled sprite: Pixi parses a colour on every `tint` write. */
  tints: number[];
  texts: Text[];
  textures: Map<string, Texture>;
  /** Loaded replacements waiting for the next frame boundary. */
  incoming: Map<string, Texture>;
  circle: Texture;
  /** The pairing of the last two draw lists drawn (they only change at tick boundaries). */
  paired: { previous: readonly DrawCommand[]; current: readonly DrawCommand[]; length: number; pairs: Int32Array } | null;
}

export async function createRenderer(options: RendererOptions): Promise<GameRenderer> {
  const app = new Application();
  await app.init({ width: options.width, height: options.height, background: options.background, preference: "webgl", autoStart: false, antialias: true });
  const scene: Scene = {
    app,
    camera: new Container({ sortableChildren: true }),
    sprites: [],
    tints: [],
    texts: [],
    textures: new Map(),
    incoming: new Map(),
    circle: circleTexture(),
    paired: null,
  };
  app.stage.addChild(scene.camera);
  return {
    canvas: app.canvas,
    backend: backendName(app),
    loadTextures: (textures) => loadAll(scene, textures),
    reloadTexture: (name, url) => reloadTexture(scene, name, url),
    render: (previous, current, alpha) => render(scene, previous, current, alpha),
    destroy: () => app.destroy(true),
  };
}

function backendName(app: Application): string {
  const name = (app.renderer as { name?: string }).name ?? "";
  return name || "unknown";
}

// ---------------------------------------------------------------- textures

async function loadTexture(url: string): Promise<Texture | string> {
  try {
    const texture = (await Assets.load(url)) as unknown;
    return texture instanceof Texture ? texture : `${url} did not load as an image`;
  } catch (error) {
    return `${url} could not be decoded (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function loadAll(scene: Scene, textures: Record<string, string>): Promise<Record<string, TextureResult>> {
  const results: Record<string, TextureResult> = {};
  await Promise.all(
    Object.entries(textures).map(async ([name, url]) => {
      const loaded = await loadTexture(url);
      if (typeof loaded === "string") results[name] = { ok: false, reason: loaded };
      else {
        scene.textures.set(name, loaded);
        results[name] = { ok: true };
      }
    }),
  );
  return results;
}

async function reloadTexture(scene: Scene, name: string, url: string): Promise<TextureResult> {
  const loaded = await loadTexture(url);
  if (typeof loaded === "string") return { ok: false, reason: `${loaded}; keeping the previous texture` };
  scene.incoming.set(name, loaded);
  return { ok: true };
}

/** Frame boundary: swap in textures that finished loading since the last frame. */
function swapIncoming(scene: Scene): void {
  for (const [name, texture] of scene.incoming) scene.textures.set(name, texture);
  scene.incoming.clear();
}

// ---------------------------------------------------------------- drawing

/** Radius of the circle texture circles are drawn with (mipmapped, so small circles stay smooth). */
const CIRCLE_RADIUS = 64;

function circleTexture(): Texture {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = CIRCLE_RADIUS * 2;
  const context = canvas.getContext("2d")!;
  context.fillStyle = "#ffffff";
  context.beginPath();
  context.arc(CIRCLE_RADIUS, CIRCLE_RADIUS, CIRCLE_RADIUS - 1, 0, Math.PI * 2);
  context.fill();
  return new Texture({ source: new CanvasSource({ resource: canvas, autoGenerateMipmaps: true, scaleMode: "linear" }) });
}

function pairsFor(scene: Scene, previous: readonly DrawCommand[], current: readonly DrawCommand[]): Int32Array {
  const cached = scene.paired;
  if (cached && cached.previous === previous && cached.current === current && cached.length === current.length) return cached.pairs;
  const pairs = pairCommands(previous, current);
  scene.paired = { previous, current, length: current.length, pairs };
  return pairs;
}

function render(scene: Scene, previous: readonly DrawCommand[], current: readonly DrawCommand[], alpha: number): void {
  swapIncoming(scene);
  const pairs = pairsFor(scene, previous, current);
  let sprites = 0;
  let texts = 0;
  resetCamera(scene);
  for (let index = 0; index < current.length; index++) {
    const pair = pairs[index];
    const latest = current[index];
    if (latest.kind === "sprite") {
      // The common case blends in place instead of building an interpolated command object.
      drawSprite(scene, sprites, nextSprite(scene, sprites, index), latest, pair < 0 ? latest : (previous[pair] as typeof latest), alpha);
      sprites++;
      continue;
    }
    const command = pair < 0 ? latest : interpolateCommand(previous[pair], latest, alpha);
    switch (command.kind) {
      case "sprite":
        break; // drawn above, without building a blended command
      case "text":
        drawText(scene, texts++, index, command);
        break;
      case "circle": {
        const sprite = nextSprite(scene, sprites, index);
        setSprite(sprite, scene.circle, command.x, command.y, 0.5, 0, command.color, scene.tints, sprites++);
        sprite.scale.set(command.radius / CIRCLE_RADIUS);
        break;
      }
      case "rect": {
        const sprite = nextSprite(scene, sprites, index);
        setSprite(sprite, Texture.WHITE, command.x, command.y, 0, 0, command.color, scene.tints, sprites++);
        sprite.scale.set(command.width / Texture.WHITE.width, command.height / Texture.WHITE.height);
        break;
      }
      case "line": {
        const sprite = nextSprite(scene, sprites, index);
        const dx = command.x2 - command.x1;
        const dy = command.y2 - command.y1;
        setSprite(sprite, Texture.WHITE, command.x1, command.y1, 0, Math.atan2(dy, dx), command.color, scene.tints, sprites++);
        sprite.anchor.set(0, 0.5);
        sprite.scale.set(Math.hypot(dx, dy) / Texture.WHITE.width, command.width / Texture.WHITE.height);
        break;
      }
      case "camera":
        setCamera(scene, command);
        break;
      default:
        assertNever(command);
    }
  }
  hideFrom(scene.sprites, sprites);
  hideFrom(scene.texts, texts);
  scene.app.render();
}

function resetCamera(scene: Scene): void {
  scene.camera.position.set(0, 0);
  scene.camera.scale.set(1);
}

/** The camera centres (x, y) on screen at the given zoom. */
function setCamera(scene: Scene, command: Extract<DrawCommand, { kind: "camera" }>): void {
  const { width, height } = scene.app.screen;
  scene.camera.scale.set(command.zoom);
  scene.camera.position.set(width / 2 - command.x * command.zoom, height / 2 - command.y * command.zoom);
}

/** The pooled sprite number `index`, drawn at depth `depth` (its command's index). */
function nextSprite(scene: Scene, index: number, depth: number): Sprite {
  let sprite = scene.sprites[index];
  if (!sprite) {
    sprite = new Sprite(Texture.WHITE);
    scene.sprites.push(sprite);
    scene.camera.addChild(sprite);
  }
  if (!sprite.visible) sprite.visible = true;
  sprite.zIndex = depth;
  return sprite;
}

function setSprite(sprite: Sprite, texture: Texture, x: number, y: number, anchor: number, rotation: number, tint: number, tints: number[], slot: number): void {
  if (sprite.texture !== texture) sprite.texture = texture;
  sprite.anchor.set(anchor);
  sprite.position.set(x, y);
  sprite.rotation = rotation;
  if (tints[slot] !== tint) {
    sprite.tint = tint;
    tints[slot] = tint;
  }
}

/** A sprite command blended from its previous tick's pair (`from`, or itself when unpaired). */
function drawSprite(scene: Scene, slot: number, sprite: Sprite, command: Extract<DrawCommand, { kind: "sprite" }>, from: Extract<DrawCommand, { kind: "sprite" }>, alpha: number): void {
  const blend = from !== command && from.texture === command.texture && alpha < 1;
  const x = blend ? from.x + (command.x - from.x) * alpha : command.x;
  const y = blend ? from.y + (command.y - from.y) * alpha : command.y;
  const rotation = blend ? lerpAngle(from.rotation, command.rotation, alpha) : command.rotation;
  const texture = scene.textures.get(command.texture);
  if (texture) {
    setSprite(sprite, texture, x, y, 0.5, rotation, command.tint, scene.tints, slot);
    sprite.scale.set(command.scale);
  } else {
    setSprite(sprite, Texture.WHITE, x, y, 0.5, rotation, 0xff00ff, scene.tints, slot);
    sprite.scale.set((16 * command.scale) / Texture.WHITE.width, (16 * command.scale) / Texture.WHITE.height);
  }
}

function drawText(scene: Scene, index: number, depth: number, command: Extract<DrawCommand, { kind: "text" }>): void {
  let text = scene.texts[index];
  if (!text) {
    text = new Text({ text: "", style: { fontFamily: "monospace", fontSize: 16, fill: 0xffffff } });
    scene.texts.push(text);
    scene.camera.addChild(text);
  }
  text.visible = true;
  text.zIndex = depth;
  if (text.text !== command.text) text.text = command.text;
  if (text.style.fontSize !== command.size) text.style.fontSize = command.size;
  if (text.style.fill !== command.color) text.style.fill = command.color;
  text.position.set(command.x, command.y);
}

function hideFrom(objects: Array<{ visible: boolean }>, used: number): void {
  for (let index = used; index < objects.length; index++) objects[index].visible = false;
}

function assertNever(value: never): never {
  throw new Error(`unknown draw command ${JSON.stringify(value)}`);
}

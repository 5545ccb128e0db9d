// The Pixi v8 renderer: turns a tick's Draw commands into display objects: sprites (one reused
// Sprite per command, so Pixi batches them), one Graphics for circles, rects and lines, reused
// Text objects, and the camera as the world container's transform. It only reads the draw lists;
// the simulation never sees it. Layers: shapes below sprites below text.
//
// Renderer choice: Pixi's autodetection with WebGL preferred, then WebGPU, then Pixi 8's Canvas 2D
// renderer. Headless Chromium with --disable-gpu gets WebGL through SwiftShader, or Canvas if not.

import { Application, Assets, Container, Graphics, Sprite, Text, Texture } from "pixi.js";
import type { DrawCommand } from "../runtime/host.ts";
import { interpolateCommand, shouldBlend } from "./interpolate.ts";

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
  shapes: Graphics;
  spriteLayer: Container;
  textLayer: Container;
  sprites: Sprite[];
  texts: Text[];
  textures: Map<string, Texture>;
  /** Loaded replacements waiting for the next frame boundary. */
  incoming: Map<string, Texture>;
}

export async function createRenderer(options: RendererOptions): Promise<GameRenderer> {
  const app = new Application();
  await app.init({ width: options.width, height: options.height, background: options.background, preference: "webgl", autoStart: false, antialias: true });
  const scene: Scene = {
    app,
    camera: new Container(),
    shapes: new Graphics(),
    spriteLayer: new Container(),
    textLayer: new Container(),
    sprites: [],
    texts: [],
    textures: new Map(),
    incoming: new Map(),
  };
  scene.camera.addChild(scene.shapes, scene.spriteLayer, scene.textLayer);
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

function render(scene: Scene, previous: readonly DrawCommand[], current: readonly DrawCommand[], alpha: number): void {
  swapIncoming(scene);
  scene.shapes.clear();
  let sprites = 0;
  let texts = 0;
  resetCamera(scene);
  for (let index = 0; index < current.length; index++) {
    const before = previous[index];
    const command = shouldBlend(before, current[index]) ? interpolateCommand(before, current[index], alpha) : current[index];
    switch (command.kind) {
      case "sprite":
        drawSprite(scene, sprites++, command);
        break;
      case "text":
        drawText(scene, texts++, command);
        break;
      case "circle":
        scene.shapes.circle(command.x, command.y, command.radius).fill(command.color);
        break;
      case "rect":
        scene.shapes.rect(command.x, command.y, command.width, command.height).fill(command.color);
        break;
      case "line":
        scene.shapes.moveTo(command.x1, command.y1).lineTo(command.x2, command.y2).stroke({ width: command.width, color: command.color });
        break;
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

function drawSprite(scene: Scene, index: number, command: Extract<DrawCommand, { kind: "sprite" }>): void {
  let sprite = scene.sprites[index];
  if (!sprite) {
    sprite = new Sprite(Texture.WHITE);
    sprite.anchor.set(0.5);
    scene.sprites.push(sprite);
    scene.spriteLayer.addChild(sprite);
  }
  const texture = scene.textures.get(command.texture);
  sprite.visible = true;
  sprite.texture = texture ?? Texture.WHITE;
  sprite.position.set(command.x, command.y);
  sprite.rotation = command.rotation;
  if (texture) {
    sprite.scale.set(command.scale);
    sprite.tint = command.tint;
  } else {
    sprite.width = 16 * command.scale;
    sprite.height = 16 * command.scale;
    sprite.tint = 0xff00ff;
  }
}

function drawText(scene: Scene, index: number, command: Extract<DrawCommand, { kind: "text" }>): void {
  let text = scene.texts[index];
  if (!text) {
    text = new Text({ text: "", style: { fontFamily: "monospace", fontSize: 16, fill: 0xffffff } });
    scene.texts.push(text);
    scene.textLayer.addChild(text);
  }
  text.visible = true;
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

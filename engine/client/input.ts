// Keyboard and pointer events → one InputFrame per tick. Keys become Ribbon symbol names
// ('left, 'space, 'a ...); `pressed`/`released` hold what changed since the previous tick, so a
// tap shorter than a tick is still seen once.

import type { InputFrame } from "../runtime/host.ts";

export interface InputRecorder {
  /** The frame for the next tick; clears the pressed/released edges. */
  next(): InputFrame;
  detach(): void;
}

const NAMED_KEYS: Record<string, string> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
  " ": "space",
  Enter: "enter",
  Escape: "escape",
  Shift: "shift",
  Control: "control",
  Tab: "tab",
  Backspace: "backspace",
};

/** `ArrowLeft` → `left`, `A` → `a`, `7` → `7`; null for keys games do not see (F-keys...). */
export function keySymbol(key: string): string | null {
  if (Object.hasOwn(NAMED_KEYS, key)) return NAMED_KEYS[key];
  if (/^[a-zA-Z0-9]$/.test(key)) return key.toLowerCase();
  return null;
}

export function recordInput(target: Window, canvas: HTMLCanvasElement): InputRecorder {
  const down = new Set<string>();
  let pressed = new Set<string>();
  let released = new Set<string>();
  const pointer = { x: 0, y: 0 };
  let pointerDown = false;
  let pointerPressed = false;

  const onKeyDown = (event: KeyboardEvent) => {
    const symbol = keySymbol(event.key);
    if (!symbol) return;
    if (!down.has(symbol)) pressed.add(symbol);
    down.add(symbol);
    if (symbol === "space" || symbol.length > 1) event.preventDefault();
  };
  const onKeyUp = (event: KeyboardEvent) => {
    const symbol = keySymbol(event.key);
    if (!symbol) return;
    down.delete(symbol);
    released.add(symbol);
  };
  const onMove = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    pointer.x = ((event.clientX - box.left) * canvas.width) / Math.max(1, box.width);
    pointer.y = ((event.clientY - box.top) * canvas.height) / Math.max(1, box.height);
  };
  const onPointerDown = (event: PointerEvent) => {
    onMove(event);
    pointerDown = true;
    pointerPressed = true;
  };
  const onPointerUp = () => {
    pointerDown = false;
  };
  const onBlur = () => {
    for (const symbol of down) released.add(symbol);
    down.clear();
    pointerDown = false;
  };
  // One table for attach and detach, so they cannot drift apart.
  const listeners: Array<[EventTarget, string, (event: never) => void]> = [
    [target, "keydown", onKeyDown],
    [target, "keyup", onKeyUp],
    [target, "blur", onBlur],
    [canvas, "pointermove", onMove],
    [canvas, "pointerdown", onPointerDown],
    [target, "pointerup", onPointerUp],
  ];
  for (const [source, name, listener] of listeners) source.addEventListener(name, listener as EventListener);

  return {
    next() {
      const frame: InputFrame = { down: new Set(down), pressed, released, pointer: { ...pointer }, pointerDown, pointerPressed };
      pressed = new Set();
      released = new Set();
      pointerPressed = false;
      return frame;
    },
    detach() {
      for (const [source, name, listener] of listeners) source.removeEventListener(name, listener as EventListener);
    },
  };
}

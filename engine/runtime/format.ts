// How `print` shows values: numbers in JavaScript's shortest round-trip form, symbols with their
// quote, vectors as `vec2 X Y`. Generated code calls these with the value's static shape.

export function formatNumber(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

export function formatVec2(x: number, y: number): string {
  return `vec2 ${formatNumber(x)} ${formatNumber(y)}`;
}

export function formatSymbol(name: string): string {
  return `'${name}`;
}

// Command-line option values shared by the commands that read options by name (`run`, `session`).

/** `--name N`: a whole number, `fallback` when the option is absent, or a string saying why N is not one. */
export function wholeNumberOption(args: readonly string[], name: string, fallback: number): number | string {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  return Number.isInteger(value) && value >= 0 ? value : `${name} needs a whole number, got ${args[index + 1] ?? "nothing"}`;
}

// "Did you mean" hints: the closest known name by edit distance, and the spaced form of
// identifiers such as `x-1` that Ribbon reads as one name.

/** Levenshtein distance, bounded: returns `limit + 1` as soon as it is exceeded. */
function editDistance(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    let best = row;
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      const value = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[right.length];
}

export function suggestName(name: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(name, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

const NUMBER = /^[0-9][0-9_]*(\.[0-9]+)?$/;

/**
 * `x-1` is one identifier in Ribbon. When it is unknown but splits around `-`, `+`, `*` or `/`
 * into known names and numbers, suggest the spaced form `x - 1`.
 */
export function suggestSpacedOperators(name: string, isKnown: (part: string) => boolean): string | null {
  const parts = name.split(/([-+*/])/);
  if (parts.length < 3) return null;
  for (let index = 0; index < parts.length; index += 2) {
    const part = parts[index];
    if (part === "" || !(NUMBER.test(part) || isKnown(part))) return null;
  }
  return parts.join(" ").replace(/ {2,}/g, " ");
}

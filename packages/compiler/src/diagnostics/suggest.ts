// "Did you mean": the one edit-distance measure behind every suggestion Anneal makes, for
// names in a file (`wram` -> `warm`), keywords (`cosin` -> `cosine`), subcommands
// (`anneal chek`), flags (`--formt`) and emit targets (`pytroch`). Keeping one measure means
// one threshold: a word of three letters or more gets a suggestion within a third of its
// length (at least one edit).

/** A word longer than this gets no suggestion: the table grows with the product of the two lengths. */
const MAX_SUGGESTED_LENGTH = 100;

/**
 * The closest of `candidates` to `word`, if close enough to be a likely typo. `budget`
 * bounds the work across many calls (one compile spends a fixed number of table cells on
 * suggestions, so thousands of misspellings against thousands of names stay linear).
 */
export function closest(word: string, candidates: Iterable<string>, budget?: { left: number }): string | undefined {
  // Under three letters every short word is one edit away: no suggestion is better than noise.
  if (word.length > MAX_SUGGESTED_LENGTH || word.length < 3) return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    // Words whose lengths differ by more than the limit are further apart than it.
    if (Math.abs(c.length - word.length) > limit || c === word) continue;
    if (budget && (budget.left -= (word.length + 1) * (c.length + 1)) < 0) return undefined;
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** `; did you mean \`x\`?` for a message, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, quote = "`"): string {
  const near = closest(word, candidates);
  return near === undefined ? "" : `; did you mean ${quote}${near}${quote}?`;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (`wram` -> `warm`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

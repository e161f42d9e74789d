/** "Did you mean" suggestions by edit distance. */

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (`sqll`/`sql`, `nmae`/`name`). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidates closest to `input`, best first: case-insensitive edit distance within a third of
 * the length (at least 2), plus candidates that end with the input's last segment (for type names).
 */
export function closestMatches(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  // A third of the length suits words; long dotted type names would match unrelated types.
  const maxDistance = Math.min(5, Math.max(2, Math.floor(needle.length / 3)));
  const scored: Array<{ candidate: string; score: number }> = [];
  const lastSegment = needle.includes('.') ? needle.slice(needle.lastIndexOf('.') + 1) : undefined;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(needle, lower);
    if (distance <= maxDistance) {
      scored.push({ candidate, score: distance });
    } else if (lastSegment && lower.endsWith(`.${lastSegment}`)) {
      scored.push({ candidate, score: maxDistance + 1 + distance / 1000 });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  // Only the best matches: `Logg` suggests `Log`, not also everything within reach.
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s) => s.score <= best)
    .slice(0, limit)
    .map((s) => s.candidate);
}

/** Formats suggestions as ` (did you mean `a`?)` or ` (did you mean `a`, `b`?)`, or '' when none. */
export function didYouMean(input: string, candidates: Iterable<string>, limit = 3): string {
  const matches = closestMatches(input, candidates, limit);
  if (matches.length === 0) return '';
  return ` (did you mean ${matches.map((m) => `\`${m}\``).join(', ')}?)`;
}

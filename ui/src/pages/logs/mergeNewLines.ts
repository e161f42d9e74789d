/** Lines written since a search, put in their place among the lines it shows (newest first). */

/**
 * `shown` (newest first, by timestamp then position) with `fresh` (newest first, all written
 * after every shown line) in place: a fresh line goes before shown lines of the same instant,
 * since it was written later. With `more` (older lines not read yet), a fresh line older than
 * the last shown one is left out: the next page, read from that line, brings it.
 */
export function mergeNewLines<Line extends { timestamp: string }>(
  fresh: readonly Line[],
  shown: readonly Line[],
  more: boolean,
): Line[] {
  const oldest = shown.at(-1)?.timestamp;
  const kept = more && oldest !== undefined ? fresh.filter((line) => line.timestamp >= oldest) : fresh;
  if (kept.length === 0) return [...shown];
  const merged: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length && j < shown.length) {
    // ISO-8601 UTC instants of one format sort as text.
    if (kept[i]!.timestamp >= shown[j]!.timestamp) merged.push(kept[i++]!);
    else merged.push(shown[j++]!);
  }
  while (i < kept.length) merged.push(kept[i++]!);
  while (j < shown.length) merged.push(shown[j++]!);
  return merged;
}

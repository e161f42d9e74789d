/** The counts at the end of `flow validate`'s summary line, local or on a server. */

/** `1 error, 2 warnings`. */
export function problemCounts(errors: number, warnings: number): string {
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/**
 * The end of a failed run's summary: the counts, and with --strict that the warnings counted as
 * errors (otherwise `0 errors, 1 warning` would not say why it failed).
 */
export function strictSummary(errors: number, warnings: number, strict: boolean): string {
  if (!strict || warnings === 0) return ` (${problemCounts(errors, warnings)})`;
  return ` with --strict (${problemCounts(errors, warnings)}, counted as ${warnings === 1 ? 'an error' : 'errors'})`;
}

/**
 * ISO-8601 durations with exactly the grammar of Java's `Duration.parse` (what Kestra uses):
 * `PnDTnHnMn.nS`, signs allowed per part, no years, months or weeks.
 */

const DURATION_PATTERN =
  /^([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$/i;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Parses an ISO-8601 duration to milliseconds, or returns undefined when it is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, sign, days, tPart, hours, minutes, seconds, fraction] = match;
  // "P", "PT" and "P1DT" are not durations: at least one part, and T needs a part after it.
  if (days === undefined && tPart === undefined) return undefined;
  if (tPart !== undefined && hours === undefined && minutes === undefined && seconds === undefined) {
    return undefined;
  }
  let ms =
    Number(days ?? 0) * MS_PER_DAY +
    Number(hours ?? 0) * MS_PER_HOUR +
    Number(minutes ?? 0) * MS_PER_MINUTE +
    Number(seconds ?? 0) * MS_PER_SECOND;
  if (fraction) {
    const fractionMs = Number(`0.${fraction}`) * MS_PER_SECOND;
    ms += seconds?.startsWith('-') ? -fractionMs : fractionMs;
  }
  return sign === '-' ? -ms : ms;
}

/** Formats milliseconds as Java's `Duration.toString()` does: `PT1H30M`, `PT0.25S`, `PT0S`. */
export function formatIsoDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  const negative = ms < 0;
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / MS_PER_HOUR);
  rest -= hours * MS_PER_HOUR;
  const minutes = Math.floor(rest / MS_PER_MINUTE);
  rest -= minutes * MS_PER_MINUTE;
  const seconds = rest / MS_PER_SECOND;
  const sign = negative ? '-' : '';
  let out = 'PT';
  if (hours) out += `${sign}${hours}H`;
  if (minutes) out += `${sign}${minutes}M`;
  if (seconds) out += `${sign}${Number(seconds.toFixed(9))}S`;
  return out;
}

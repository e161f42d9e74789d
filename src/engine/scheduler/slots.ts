/**
 * The slots of a Schedule trigger: croner reads the cron expression in the trigger's zone. DST
 * (croner's rule, Vixie cron's): a local time skipped by a spring-forward change fires once, at
 * the first instant after the gap (02:30 → 03:00); a fixed local time repeated by a fall-back
 * change fires once, at its first occurrence; a wildcard hour (`0 * * * *`) fires in both
 * occurrences of the repeated hour, as each is a real hour.
 */
import { Cron } from 'croner';

/** Kestra's nicknames, as 5-field expressions. */
const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** A time zone: an IANA region, or a fixed offset in minutes. */
export type Zone = { region: string } | { offsetMinutes: number };

/** Reads a Kestra `timezone` (IANA id, `Z`, `UTC`, `+02:00`, `UTC+2`). Throws on anything else. */
export function parseZone(text: string): Zone {
  if (text === 'Z' || text === 'UTC' || text === 'GMT' || text === 'UT') return { offsetMinutes: 0 };
  const offset = OFFSET.exec(text);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    return { offsetMinutes: offset[1] === '-' ? -minutes : minutes };
  }
  // Throws a RangeError for an unknown zone.
  new Intl.DateTimeFormat('en-US', { timeZone: text });
  return { region: text };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter printing a zone's offset, made once per zone (making one costs ~0.1 ms). */
function offsetFormatter(region: string): Intl.DateTimeFormat {
  let formatter = formatters.get(region);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: region, timeZoneName: 'longOffset' });
    formatters.set(region, formatter);
  }
  return formatter;
}

/** The offset of a zone at an instant, in minutes east of UTC. */
export function offsetMinutesAt(zone: Zone, date: Date): number {
  if ('offsetMinutes' in zone) return zone.offsetMinutes;
  const name =
    offsetFormatter(zone.region)
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * An instant as Kestra prints a ZonedDateTime of the zone: local date-time with its offset
 * (`2025-03-09T03:00:00-04:00`, `Z` for UTC), milliseconds only when not zero.
 */
export function formatInZone(date: Date, zone: Zone): string {
  const offset = offsetMinutesAt(zone, date);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().replace('Z', '');
  const text = local.endsWith('.000') ? local.slice(0, -4) : local;
  if (offset === 0) return `${text}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${text}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** A Schedule's cron expression read in its zone. */
export class CronSlots {
  private readonly cron: Cron;

  constructor(
    expression: string,
    withSeconds: boolean,
    readonly zone: Zone,
  ) {
    const text = expression.trim();
    const pattern = NICKNAMES[text] ?? text;
    this.cron = new Cron(pattern, {
      paused: true,
      mode: withSeconds && !NICKNAMES[text] ? '6-part' : '5-part',
      sloppyRanges: true,
      domAndDow: false,
      ...('region' in zone ? { timezone: zone.region } : { utcOffset: zone.offsetMinutes }),
    });
  }

  /** The first slot strictly after `after`. */
  next(after: Date): Date | undefined {
    return this.cron.nextRun(after) ?? undefined;
  }

  /** The last slot strictly before `before`. */
  previous(before: Date): Date | undefined {
    return this.cron.previousRuns(1, before)[0];
  }

  /** Slots in (`after`, `until`], at most `limit`. */
  between(after: Date, until: Date, limit: number): Date[] {
    const slots: Date[] = [];
    let cursor = after;
    while (slots.length < limit) {
      const slot = this.next(cursor);
      if (!slot || slot.getTime() > until.getTime()) break;
      slots.push(slot);
      cursor = slot;
    }
    return slots;
  }
}

/** The trigger variables of a slot: `date`, `next`, `previous` in the trigger's zone. */
export function slotVariables(slots: CronSlots, slot: Date): Record<string, unknown> {
  const next = slots.next(slot);
  const previous = slots.previous(slot);
  return {
    date: formatInZone(slot, slots.zone),
    ...(next ? { next: formatInZone(next, slots.zone) } : {}),
    ...(previous ? { previous: formatInZone(previous, slots.zone) } : {}),
  };
}

/** The home page's time windows, cut at local interval boundaries so queries stay the same between ticks. */

const HOUR = 3_600_000;

/** The chart's window, the last 7 days (from a local midnight) or the last 24 hours up to the end of the current one, and its columns' starts. */
export function timelineWindow(
  interval: 'day' | 'hour',
  now: number,
): { startDate: string; endDate: string; starts: number[] } {
  const starts: number[] = [];
  if (interval === 'day') {
    const today = new Date(now);
    today.setHours(0, 0, 0, 0);
    // Local midnights, so a day of a DST change is still one column.
    for (let back = 6; back >= 0; back -= 1) {
      const day = new Date(today);
      day.setDate(today.getDate() - back);
      starts.push(day.getTime());
    }
    const tomorrow = new Date(today);
    tomorrow.setDate(today.getDate() + 1);
    return {
      startDate: new Date(starts[0]!).toISOString(),
      endDate: tomorrow.toISOString(),
      starts,
    };
  }
  const hour = Math.floor(now / HOUR) * HOUR;
  for (let back = 23; back >= 0; back -= 1) starts.push(hour - back * HOUR);
  return {
    startDate: new Date(starts[0]!).toISOString(),
    endDate: new Date(hour + HOUR).toISOString(),
    starts,
  };
}

/** 24 hours before `now`, to the minute (a stable query key for a minute). */
export function lastDayStart(now: number): string {
  return new Date(Math.floor(now / 60_000) * 60_000 - 24 * HOUR).toISOString();
}

/** `in 42 s`, `in 5 min`, `in 3 h`, `in 2 d` (or `now` when due). */
export function fromNow(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return 'now';
  if (ms < 60_000) return `in ${Math.round(ms / 1000)} s`;
  if (ms < HOUR) return `in ${Math.round(ms / 60_000)} min`;
  if (ms < 48 * HOUR) return `in ${Math.round(ms / HOUR)} h`;
  return `in ${Math.round(ms / (24 * HOUR))} d`;
}

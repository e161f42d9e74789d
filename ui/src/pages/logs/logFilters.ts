/** The Logs page's filters as the URL keeps them, and as the search takes them. */
import type { LogSearchFilters } from '../../api/logSearch';
import type { LogEntry } from '../../api/types';

export const LEVELS: readonly LogEntry['level'][] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** INFO by default, as Kestra's logs page: DEBUG and TRACE lines are one choice away. */
export const DEFAULT_LEVEL: LogEntry['level'] = 'INFO';

/** Time ranges offered besides from/to: the last n milliseconds. */
export const RECENT_RANGES: ReadonlyArray<{ value: string; label: string; ms: number }> = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/** A `datetime-local` value (local time, no zone) as an ISO instant; undefined when empty or bad. */
export function localToIso(value: string | null): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The search the URL's query asks for (`now` anchors a recent range). */
export function filtersFromQuery(params: URLSearchParams, now: number): LogSearchFilters {
  const level = params.get('level')?.toUpperCase();
  const recent = RECENT_RANGES.find((range) => range.value === params.get('range'));
  return {
    namespace: params.get('namespace') || undefined,
    flowId: params.get('flowId') || undefined,
    minLevel: (LEVELS as readonly string[]).includes(level ?? '')
      ? (level as LogEntry['level'])
      : DEFAULT_LEVEL,
    q: params.get('q') || undefined,
    startDate: recent ? new Date(now - recent.ms).toISOString() : localToIso(params.get('from')),
    endDate: recent ? undefined : localToIso(params.get('to')),
  };
}

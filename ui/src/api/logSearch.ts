/** The log lines of every execution, searched newest first and read by keyset pages. */
import { apiFetch } from './client';
import type { LogEntry } from './types';

/** The filters of the Logs page, as GET /logs/search takes them. */
export interface LogSearchFilters {
  namespace?: string | undefined;
  flowId?: string | undefined;
  minLevel: LogEntry['level'];
  q?: string | undefined;
  /** ISO-8601 instants (inclusive). */
  startDate?: string | undefined;
  endDate?: string | undefined;
}

/** One page of a search: its lines, the matches counted (up to `totalUpTo`), the next page's cursor. */
export interface LogSearchPage {
  lines: LogEntry[];
  total: number;
  /** The `before` of the next page; undefined when this page was the last. */
  cursor: string | undefined;
}

/** Matches counted at most: past it the page says "more than". */
export const LOG_COUNT_LIMIT = 100_000;

/** Reads the page of `size` lines after `cursor` (the newest lines without one). */
export async function searchLogPage(
  filters: LogSearchFilters,
  size: number,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<LogSearchPage> {
  const response = await apiFetch('/logs/search', {
    query: {
      namespace: filters.namespace,
      flowId: filters.flowId,
      minLevel: filters.minLevel,
      q: filters.q,
      startDate: filters.startDate,
      endDate: filters.endDate,
      size,
      before: cursor,
      // The first page counts; the next ones only extend the list.
      totalUpTo: cursor === undefined ? LOG_COUNT_LIMIT : 0,
    },
    ...(signal ? { signal } : {}),
  });
  const body = (await response.json()) as { results: LogEntry[]; total: number };
  const next = response.headers.get('x-log-cursor') ?? undefined;
  return { lines: body.results, total: body.total, cursor: body.results.length < size ? undefined : next };
}

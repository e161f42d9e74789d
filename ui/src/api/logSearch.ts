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

/** One page of a search: its lines and the next page's cursor. */
export interface LogSearchPage {
  lines: LogEntry[];
  /** The `before` of the next page; undefined when this page was the last. */
  cursor: string | undefined;
  /** How far the store's log reached when searched (X-Log-Seq): where following starts. */
  lastSeq: number | undefined;
}

/** The lines written since an earlier search, newest first. */
export interface NewLogLines {
  lines: LogEntry[];
  /** Whether more new lines than asked for were found (the page then reads the search again). */
  more: boolean;
  /** The `afterSeq` of the next poll. */
  lastSeq: number | undefined;
}

function lastSeqOf(response: Response): number | undefined {
  const text = response.headers.get('x-log-seq');
  return text === null || !/^\d+$/.test(text) ? undefined : Number(text);
}

/** Matches counted at most: past it the page says "more than". */
export const LOG_COUNT_LIMIT = 100_000;

function searchQuery(filters: LogSearchFilters) {
  return {
    namespace: filters.namespace,
    flowId: filters.flowId,
    minLevel: filters.minLevel,
    q: filters.q,
    startDate: filters.startDate,
    endDate: filters.endDate,
  };
}

/**
 * Reads the page of `size` lines after `cursor` (the newest lines without one), uncounted: on a
 * million lines a rare text is a scan, and the lines should not wait for a second one.
 */
export async function searchLogPage(
  filters: LogSearchFilters,
  size: number,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<LogSearchPage> {
  const response = await apiFetch('/logs/search', {
    query: { ...searchQuery(filters), size, before: cursor, totalUpTo: 0 },
    ...(signal ? { signal } : {}),
  });
  const body = (await response.json()) as { results: LogEntry[] };
  const next = response.headers.get('x-log-cursor') ?? undefined;
  return {
    lines: body.results,
    cursor: body.results.length < size ? undefined : next,
    lastSeq: lastSeqOf(response),
  };
}

/** The lines matching `filters` written after `afterSeq` (a search's lastSeq), at most `size`. */
export async function searchNewLogLines(
  filters: LogSearchFilters,
  afterSeq: number,
  size: number,
  signal?: AbortSignal,
): Promise<NewLogLines> {
  const response = await apiFetch('/logs/search', {
    query: { ...searchQuery(filters), size, afterSeq, totalUpTo: 0 },
    ...(signal ? { signal } : {}),
  });
  const body = (await response.json()) as { results: LogEntry[] };
  return { lines: body.results, more: body.results.length >= size, lastSeq: lastSeqOf(response) };
}

/** How many lines match, counted up to LOG_COUNT_LIMIT. */
export async function countLogs(filters: LogSearchFilters, signal?: AbortSignal): Promise<number> {
  const response = await apiFetch('/logs/search', {
    query: { ...searchQuery(filters), size: 1, totalUpTo: LOG_COUNT_LIMIT },
    ...(signal ? { signal } : {}),
  });
  return ((await response.json()) as { total: number }).total;
}

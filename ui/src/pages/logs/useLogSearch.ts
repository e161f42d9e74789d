/**
 * The lines of a log search, read a page at a time: the first page small (it shows at once),
 * the next ones larger, each asked for when the list is scrolled near its end. A change of
 * filters aborts what is in flight and starts again. While following, the lines written since
 * are polled and put in their place at the top.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { countLogs, LOG_COUNT_LIMIT, searchLogPage, searchNewLogLines } from '../../api/logSearch';
import type { LogSearchFilters } from '../../api/logSearch';
import type { LogEntry } from '../../api/types';
import { mergeNewLines } from './mergeNewLines';

const FIRST_PAGE = 200;
const NEXT_PAGE = 2_000;
/** New lines read per poll: more than that and the search is read again from the newest. */
const NEW_LINES_PAGE = 2_000;
/** How often new lines are asked for while following (Kestra's logs page refreshes too). */
export const FOLLOW_INTERVAL_MS = 1_000;

export interface LogSearchState {
  lines: readonly LogEntry[];
  /** Matches counted (a lower bound when it reaches LOG_COUNT_LIMIT); undefined while counting. */
  total: number | undefined;
  loading: boolean;
  error: unknown;
  /** Whether more lines follow the ones read. */
  more: boolean;
  /** Reads the next page, unless one is in flight or none is left. */
  loadMore: () => void;
}

/**
 * The search's lines for `filters`; `key` changes (Refresh) read them again; while `following`,
 * the lines written since are added every FOLLOW_INTERVAL_MS.
 */
export function useLogSearch(filters: LogSearchFilters, key: number, following: boolean): LogSearchState {
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [restarts, setRestarts] = useState(0);
  const inFlight = useRef<AbortController | undefined>(undefined);
  const counting = useRef<AbortController | undefined>(undefined);
  /** Where the next poll starts: the store's newest line when the shown lines were read. */
  const lastSeq = useRef<number | undefined>(undefined);
  const filtersKey = JSON.stringify(filters);

  const count = useCallback((parsed: LogSearchFilters) => {
    counting.current?.abort();
    const controller = new AbortController();
    counting.current = controller;
    countLogs(parsed, controller.signal).then(
      (found) => !controller.signal.aborted && setTotal(found),
      () => undefined, // A failure shows through the page's own requests.
    );
  }, []);

  const read = useCallback(
    (after: string | undefined) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      setError(undefined);
      const parsed = JSON.parse(filtersKey) as LogSearchFilters;
      searchLogPage(parsed, after === undefined ? FIRST_PAGE : NEXT_PAGE, after, controller.signal).then(
        (page) => {
          if (controller.signal.aborted) return;
          if (after === undefined) {
            setLines(page.lines);
            lastSeq.current = page.lastSeq;
            // Counted once the lines show: on a million lines a rare text makes it a scan.
            if (page.cursor === undefined) setTotal(page.lines.length);
            else count(parsed);
          } else setLines((previous) => previous.concat(page.lines));
          setCursor(page.cursor);
          setLoading(false);
          inFlight.current = undefined;
        },
        (reason: unknown) => {
          if (controller.signal.aborted) return;
          setError(reason);
          setLoading(false);
          inFlight.current = undefined;
        },
      );
    },
    [filtersKey, count],
  );

  useEffect(() => {
    counting.current?.abort();
    lastSeq.current = undefined;
    setLines([]);
    setTotal(undefined);
    setCursor(undefined);
    read(undefined);
    return () => {
      inFlight.current?.abort();
      counting.current?.abort();
    };
  }, [read, key, restarts]);

  const loadMore = useCallback(() => {
    if (cursor !== undefined && inFlight.current === undefined) read(cursor);
  }, [cursor, read]);

  // Following: the new lines of the same search, polled while nothing else is being read.
  const hasMore = cursor !== undefined;
  useEffect(() => {
    if (!following) return;
    let polling: AbortController | undefined;
    const poll = () => {
      const after = lastSeq.current;
      if (after === undefined || inFlight.current !== undefined || polling !== undefined) return;
      const controller = new AbortController();
      polling = controller;
      const parsed = JSON.parse(filtersKey) as LogSearchFilters;
      searchNewLogLines(parsed, after, NEW_LINES_PAGE, controller.signal).then(
        (found) => {
          polling = undefined;
          // A newer search started meanwhile: its own lines and lastSeq win.
          if (controller.signal.aborted || lastSeq.current !== after) return;
          if (found.more) {
            setRestarts((n) => n + 1); // Too many to merge: read the newest page again.
            return;
          }
          lastSeq.current = found.lastSeq ?? after;
          if (found.lines.length === 0) return;
          setLines((previous) => mergeNewLines(found.lines, previous, hasMore));
          setTotal((counted) =>
            counted === undefined || counted >= LOG_COUNT_LIMIT ? counted : counted + found.lines.length,
          );
        },
        () => {
          polling = undefined; // The next tick tries again; a lasting failure shows on Refresh.
        },
      );
    };
    poll();
    const timer = setInterval(poll, FOLLOW_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      polling?.abort();
    };
  }, [following, filtersKey, hasMore, key, restarts]);

  return { lines, total, loading, error, more: hasMore, loadMore };
}

/**
 * The lines of a log search, read a page at a time: the first page small (it shows at once),
 * the next ones larger, each asked for when the list is scrolled near its end. A change of
 * filters aborts what is in flight and starts again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { countLogs, searchLogPage } from '../../api/logSearch';
import type { LogSearchFilters } from '../../api/logSearch';
import type { LogEntry } from '../../api/types';

const FIRST_PAGE = 200;
const NEXT_PAGE = 2_000;

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

/** The search's lines for `filters`; `key` changes (Refresh) read them again. */
export function useLogSearch(filters: LogSearchFilters, key: number): LogSearchState {
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [cursor, setCursor] = useState<string | undefined>();
  const inFlight = useRef<AbortController | undefined>(undefined);
  const counting = useRef<AbortController | undefined>(undefined);
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
    setLines([]);
    setTotal(undefined);
    setCursor(undefined);
    read(undefined);
    return () => {
      inFlight.current?.abort();
      counting.current?.abort();
    };
  }, [read, key]);

  const loadMore = useCallback(() => {
    if (cursor !== undefined && inFlight.current === undefined) read(cursor);
  }, [cursor, read]);

  return { lines, total, loading, error, more: cursor !== undefined, loadMore };
}

/**
 * An execution's log lines in the browser: an ended execution's read by pages (GET /logs/{id}
 * with limit and after), a running one's followed live (the backlog, then each new line).
 * Lines are kept in one growing array; renders are batched to one per animation frame, so a
 * backlog of 200,000 lines does not re-render 200,000 times.
 *
 * A follow is never cut short when the execution ends: the server closes the stream once the
 * last lines are sent, whereas reading the store at that moment could miss lines still being
 * written. A new follow starts when an ended execution runs again (restart, state change).
 */
import { useEffect, useRef, useState } from 'react';
import { followLogs, readAllLogs } from '../../api/logs';
import type { LogEntry } from '../../api/types';

type Mode = 'paged' | 'follow';

/** The lines so far (same array, growing), whether more are coming, and a load error. */
export function useExecutionLogs(executionId: string, ended: boolean) {
  const lines = useRef<LogEntry[]>([]);
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const active = useRef<{ mode: Mode; controller: AbortController; done: boolean } | undefined>(undefined);

  useEffect(() => {
    const current = active.current;
    // Ended while following, or already read: the lines are (or will be) complete.
    if (ended && current && (current.mode === 'follow' || current.done)) return;
    current?.controller.abort();
    const mode: Mode = ended ? 'paged' : 'follow';
    const controller = new AbortController();
    const run = { mode, controller, done: false };
    active.current = run;
    lines.current = [];
    setLoading(true);
    setError(undefined);
    setVersion((n) => n + 1);
    let frame: number | undefined;
    const append = (more: LogEntry[]) => {
      for (const line of more) lines.current.push(line);
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        setVersion((n) => n + 1);
      });
    };
    const read =
      mode === 'paged'
        ? readAllLogs(executionId, append, controller.signal)
        : followLogs(executionId, append, controller.signal);
    read
      .then(() => {
        run.done = true;
        setLoading(false);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        run.done = true;
        setError(reason);
        setLoading(false);
      });
  }, [executionId, ended]);

  // Stop reading when the page goes (or shows another execution).
  useEffect(
    () => () => {
      active.current?.controller.abort();
      active.current = undefined;
    },
    [executionId],
  );

  return { lines: lines.current, version, loading, error };
}

/**
 * An execution's log lines in the browser: an ended execution's read by pages (GET /logs/{id}
 * with offset and limit), a running one's followed live (the backlog, then each new line).
 * Lines are kept in one growing array; renders are batched to one per animation frame, so a
 * backlog of 200,000 lines does not re-render 200,000 times.
 */
import { useEffect, useRef, useState } from 'react';
import { followLogs, readAllLogs } from '../../api/logs';
import type { LogEntry } from '../../api/types';

/** The lines so far (same array, growing), whether more are coming, and a load error. */
export function useExecutionLogs(executionId: string, ended: boolean) {
  const lines = useRef<LogEntry[]>([]);
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  // Set when a follow ran to the end: the lines are complete, no need to read them again.
  const complete = useRef(false);

  useEffect(() => {
    if (ended && complete.current) return;
    complete.current = false;
    const controller = new AbortController();
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
    const read = ended
      ? readAllLogs(executionId, append, controller.signal)
      : followLogs(executionId, append, controller.signal);
    read
      .then(() => {
        complete.current = true;
        setLoading(false);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason);
        setLoading(false);
      });
    return () => {
      controller.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [executionId, ended]);

  return { lines: lines.current, version, loading, error };
}

/**
 * The log lines of one task run, shown under its Gantt row when the row is chosen (as Kestra's
 * Gantt expands a row into its logs). Only that run's lines are read (`taskRunId`), re-read
 * every second and a half while the run goes on.
 */
import { useQuery } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import { apiFetch } from '../../api/client';
import { TERMINAL_STATES } from '../../api/types';
import type { LogEntry, TaskRun } from '../../api/types';
import { formatDate } from '../../components/format';
import './logs.css';
import './gantt-logs.css';

/** At most this many lines under a row; the Logs tab has them all. */
export const ROW_LOG_LIMIT = 1_000;
const LINE_HEIGHT = 20;
const MAX_VISIBLE_LINES = 8;

/** The lines of one task run (the first ROW_LOG_LIMIT), live while it runs. */
export function useTaskRunLogs(executionId: string, run: TaskRun | undefined) {
  const running = run !== undefined && !TERMINAL_STATES.includes(run.state.current);
  return useQuery({
    queryKey: ['task-run-logs', executionId, run?.id],
    enabled: run !== undefined,
    queryFn: async ({ signal }) => {
      const response = await apiFetch(`/logs/${encodeURIComponent(executionId)}`, {
        query: { taskRunId: run!.id, limit: ROW_LOG_LIMIT },
        signal,
      });
      return (await response.json()) as LogEntry[];
    },
    refetchInterval: running ? 1_500 : false,
  });
}

/** The height the panel takes under its row, for the Gantt's virtual rows. */
export function runLogsHeight(lineCount: number | undefined): number {
  const shown = Math.max(1, Math.min(lineCount ?? 1, MAX_VISIBLE_LINES));
  return shown * LINE_HEIGHT + 17 + (lineCount !== undefined && lineCount >= ROW_LOG_LIMIT ? LINE_HEIGHT : 0);
}

/** The panel under a chosen row: its lines, or why there are none. */
export function GanttRunLogs({
  run,
  logs,
  style,
}: {
  run: TaskRun;
  logs: ReturnType<typeof useTaskRunLogs>;
  style: CSSProperties;
}) {
  const lines = logs.data;
  return (
    <div className="gantt-logs" data-testid="gantt-logs" data-task={run.taskId} style={style}>
      {logs.isPending && <div className="muted gantt-logs-note">Loading its log…</div>}
      {logs.isError && <div className="gantt-logs-note gantt-logs-error">Its log cannot be read.</div>}
      {lines?.length === 0 && <div className="muted gantt-logs-note">No log lines.</div>}
      {lines?.map((line, index) => (
        <div
          key={index}
          className={`log-line level-${line.level.toLowerCase()}`}
          data-testid="gantt-log-line"
        >
          <span className="log-time muted" title={formatDate(line.timestamp)}>
            {line.timestamp.slice(11, 23)}
          </span>
          <span className="log-level">{line.level}</span>
          <span className="log-message">{line.message}</span>
        </div>
      ))}
      {lines !== undefined && lines.length >= ROW_LOG_LIMIT && (
        <div className="muted gantt-logs-note">
          The first {ROW_LOG_LIMIT.toLocaleString()} lines: the Logs tab has them all.
        </div>
      )}
    </div>
  );
}

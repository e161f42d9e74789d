/**
 * The execution's timeline: one row per task run (nested runs indented, ForEach values shown),
 * a bar per attempt coloured by its state, rows virtualised so 5,000 task runs stay fluid.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useEffect, useMemo, useRef } from 'react';
import type { Execution, TaskRun } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { elapsed, formatDuration } from '../../components/format';
import { GanttRunLogs, runLogsHeight, useTaskRunLogs } from './GanttRunLogs';
import { stateSpan, taskRunLabel, taskRunRows } from './taskRuns';

const ROW_HEIGHT = 34;

function Bars({ run, from, total, now }: { run: TaskRun; from: number; total: number; now: number }) {
  const spans = run.attempts.length > 0 ? run.attempts.map((attempt) => attempt.state) : [run.state];
  return (
    <>
      {spans.map((state, index) => {
        const { start, end } = stateSpan(state, now);
        const left = ((start - from) / total) * 100;
        const width = Math.max(((end - start) / total) * 100, 0.4);
        return (
          <span
            key={index}
            className={`gantt-bar state-${state.current.toLowerCase()}`}
            style={{ left: `${Math.min(left, 99.6)}%`, width: `${width}%` }}
            title={`attempt ${index + 1}: ${state.current}, ${formatDuration(end - start)}`}
          />
        );
      })}
    </>
  );
}

/**
 * The Gantt chart; `selected` is the chosen task run id (its actions show above, its log lines
 * under its row); `now` is the page's clock (see useNow), shared with the header's duration.
 */
export function Gantt({
  execution,
  selected,
  onSelect,
  now,
}: {
  execution: Execution;
  selected: string | undefined;
  onSelect: (taskRunId: string | undefined) => void;
  now: number;
}) {
  const rows = useMemo(() => taskRunRows(execution), [execution]);
  const scroller = useRef<HTMLDivElement>(null);
  const selectedRun = useMemo(
    () => execution.taskRunList.find((run) => run.id === selected),
    [execution, selected],
  );
  const logs = useTaskRunLogs(execution.id, selectedRun);
  const logsHeight = runLogsHeight(logs.data?.length);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.taskRun.id === selected ? ROW_HEIGHT + logsHeight : ROW_HEIGHT),
    overscan: 12,
  });
  // The chosen row grows by its log panel: the rows below move down.
  useEffect(() => virtualizer.measure(), [virtualizer, selected, logsHeight]);
  const { start: from, end: to } = stateSpan(execution.state, now);
  const total = Math.max(to - from, 1);

  if (rows.length === 0) return <p className="muted empty">No task has run yet.</p>;
  return (
    <div className="gantt card" data-testid="gantt">
      <div className="gantt-head">
        <span>Task ({rows.length === 1 ? '1 run' : `${rows.length.toLocaleString()} runs`})</span>
        <span className="gantt-scale">
          <span>0</span>
          <span>{formatDuration(total / 2)}</span>
          <span>{formatDuration(total)}</span>
        </span>
        <span>Duration</span>
      </div>
      <div className="gantt-rows" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const { taskRun, depth } = rows[item.index]!;
            return (
              <Fragment key={taskRun.id}>
                <div
                  className={`gantt-row${selected === taskRun.id ? ' selected' : ''}`}
                  data-testid="gantt-row"
                  data-task={taskRun.taskId}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  role="button"
                  tabIndex={0}
                  aria-pressed={selected === taskRun.id}
                  onClick={() => onSelect(selected === taskRun.id ? undefined : taskRun.id)}
                  onKeyDown={(event) => {
                    if (event.key !== 'Enter' && event.key !== ' ') return;
                    event.preventDefault();
                    onSelect(selected === taskRun.id ? undefined : taskRun.id);
                  }}
                >
                  <span
                    className="gantt-name"
                    style={{ paddingLeft: 8 + depth * 14 }}
                    title={taskRunLabel(taskRun)}
                  >
                    {/* The row opens into its log lines (GanttRunLogs). */}
                    <span className="gantt-caret muted" aria-hidden="true">
                      {selected === taskRun.id ? '▾' : '▸'}
                    </span>
                    <StateBadge state={taskRun.state.current} />
                    <span className="gantt-task">{taskRunLabel(taskRun)}</span>
                    {taskRun.attempts.length > 1 && (
                      <span className="muted"> ×{taskRun.attempts.length}</span>
                    )}
                  </span>
                  <span className="gantt-track">
                    <Bars run={taskRun} from={from} total={total} now={now} />
                  </span>
                  <span className="gantt-duration muted">
                    {formatDuration(
                      elapsed(taskRun.state.startDate, taskRun.state.endDate ?? new Date(now).toISOString()),
                    )}
                  </span>
                </div>
                {selected === taskRun.id && (
                  <GanttRunLogs
                    run={taskRun}
                    logs={logs}
                    style={{ transform: `translateY(${item.start + ROW_HEIGHT}px)`, height: logsHeight }}
                  />
                )}
              </Fragment>
            );
          })}
        </div>
      </div>
    </div>
  );
}

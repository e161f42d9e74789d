/** Task runs as the execution page shows them: depth in the tree, label, and time spans. */
import type { Execution, State, TaskRun } from '../../api/types';

/** A task run with its depth (children of flowable tasks are indented). */
export interface TaskRunRow {
  taskRun: TaskRun;
  depth: number;
}

/** The task runs in their order, each with its nesting depth. */
export function taskRunRows(execution: Execution): TaskRunRow[] {
  const byId = new Map(execution.taskRunList.map((run) => [run.id, run]));
  const depthOf = (run: TaskRun): number => {
    let depth = 0;
    let parent = run.parentTaskRunId ? byId.get(run.parentTaskRunId) : undefined;
    while (parent && depth < 50) {
      depth += 1;
      parent = parent.parentTaskRunId ? byId.get(parent.parentTaskRunId) : undefined;
    }
    return depth;
  };
  return execution.taskRunList.map((taskRun) => ({ taskRun, depth: depthOf(taskRun) }));
}

/** `taskId`, with the value of a ForEach iteration and the iteration number when present. */
export function taskRunLabel(run: TaskRun): string {
  const value = run.value !== undefined ? ` [${run.value}]` : '';
  return `${run.taskId}${value}`;
}

/** Start and end in milliseconds of a state (end is `now` while it runs). */
export function stateSpan(state: State, now: number): { start: number; end: number } {
  const start = Date.parse(state.histories[0]?.date ?? state.startDate);
  const end = state.endDate ? Date.parse(state.endDate) : now;
  return { start, end: Math.max(start, end) };
}

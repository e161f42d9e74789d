/**
 * Text views of executions for the terminal: the task-run tree with states and durations, and
 * outputs. Shared by `windhover run` and `windhover executions show`.
 */
import type { Execution, State, TaskRun } from '../engine/model.js';
import { paint } from './output.js';

type Style = Parameters<typeof paint>[1];

const ICON: Partial<Record<State, string>> = {
  SUCCESS: '✓',
  WARNING: '!',
  FAILED: '✗',
  KILLED: '✗',
  CANCELLED: '✗',
  RETRIED: '↻',
  SKIPPED: '-',
  RUNNING: '▸',
  RETRYING: '↻',
  PAUSED: '‖',
  KILLING: '✗',
  CREATED: '·',
  QUEUED: '·',
};

/** The colour of a state. */
export function stateStyle(state: State): Style {
  switch (state) {
    case 'SUCCESS':
      return 'green';
    case 'WARNING':
    case 'RETRYING':
    case 'PAUSED':
    case 'RETRIED':
      return 'yellow';
    case 'FAILED':
    case 'KILLED':
    case 'KILLING':
    case 'CANCELLED':
      return 'red';
    case 'SKIPPED':
    case 'CREATED':
    case 'QUEUED':
      return 'gray';
    default:
      return 'cyan';
  }
}

/** A state with its icon, coloured on a terminal. */
export function stateLabel(stream: NodeJS.WriteStream, state: State): string {
  return paint(stream, stateStyle(state), `${ICON[state] ?? '?'} ${state}`);
}

/** `12 ms`, `3.4 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** How long a state record lasted (until now while it runs). */
export function durationOf(state: { startDate: string; endDate?: string }, now = Date.now()): number {
  return (state.endDate ? Date.parse(state.endDate) : now) - Date.parse(state.startDate);
}

/** The label of a task run: its id and loop value. */
export function runLabel(run: TaskRun): string {
  return run.value !== undefined ? `${run.taskId} [${run.value}]` : run.taskId;
}

/** The task-run tree: one line per task run, children indented under their flowable. */
export function taskTreeLines(stream: NodeJS.WriteStream, execution: Execution): string[] {
  const children = new Map<string, TaskRun[]>();
  for (const run of execution.taskRunList) {
    const key = run.parentTaskRunId ?? '';
    const list = children.get(key);
    if (list) list.push(run);
    else children.set(key, [run]);
  }
  const lines: string[] = [];
  const visit = (parent: string, depth: number) => {
    for (const run of children.get(parent) ?? []) {
      const attempts =
        run.attempts.length > 1 ? paint(stream, 'gray', ` (${run.attempts.length} attempts)`) : '';
      const took = paint(stream, 'gray', formatDuration(durationOf(run.state)));
      lines.push(
        `${'  '.repeat(depth + 1)}${stateLabel(stream, run.state.current)}  ${runLabel(run)}  ${took}${attempts}`,
      );
      visit(run.id, depth + 1);
    }
  };
  visit('', 0);
  return lines;
}

/** The execution's summary: header, tree, outputs. */
export function executionSummaryLines(stream: NodeJS.WriteStream, execution: Execution): string[] {
  const lines = [
    `${paint(stream, 'bold', `${execution.namespace}.${execution.flowId}`)}  ${paint(stream, 'gray', execution.id)}  ${stateLabel(stream, execution.state.current)}  ${formatDuration(durationOf(execution.state))}`,
    ...taskTreeLines(stream, execution),
  ];
  if (execution.outputs && Object.keys(execution.outputs).length > 0) {
    lines.push(paint(stream, 'bold', 'Outputs'));
    for (const [key, value] of Object.entries(execution.outputs))
      lines.push(`  ${key}: ${JSON.stringify(value)}`);
  }
  return lines;
}

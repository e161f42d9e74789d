/**
 * `timeout` of the tasks the executor runs itself (flowables, Pause, Sleep, Subflow): when the
 * task run starts, its deadline is noted on the run and a timer armed for it; if the run is
 * still going when the timer fires, it fails (WARNING with `allowFailure`) and what runs inside
 * it is killed. Runnable tasks are bounded by the worker that runs them (worker/jobs.ts).
 * Tasks without `timeout` cost one property check when they start.
 */
import { formatIsoDuration } from '../../flow/duration.js';
import { isExpression } from '../../flow/schema/prop.js';
import type { TaskRun } from '../model.js';
import type { Draft } from './draft.js';
import { isOrchestrated, T } from './flow-index.js';
import { finishRun } from './flowables.js';
import { interruptRun, killRuns } from './results.js';
import { timeoutMsOf } from './timeout-spec.js';

/**
 * Arms the timeout of an executor-run task run that (re)starts now, when it has one known now
 * (a rendered one is armed once its `resolve` job answered). The deadline counts from the start
 * of its current attempt, or from now when it runs again after a restart.
 */
export function armTimeout(d: Draft, input: TaskRun, from: 'attempt' | 'now' = 'attempt'): TaskRun {
  const task = d.index.node(input.taskId).task;
  if (task.timeout === undefined || task.timeout === null || !isOrchestrated(task.type)) return input;
  const ms = timeoutMsOf(task, input.control?.resolved as Record<string, unknown> | undefined);
  if (ms === undefined) return input;
  const start =
    from === 'now' ? d.env.now.getTime() : Date.parse(input.attempts.at(-1)?.state.startDate ?? d.nowIso);
  const at = new Date(start + ms).toISOString();
  d.timers.push({
    executionId: d.execution.id,
    at,
    event: { kind: 'timer', purpose: 'timeout', taskRunId: input.id },
    key: `${input.id}:timeout`,
  });
  return d.update(input, { control: { ...input.control, timeoutAt: at } });
}

/** A timeout timer fired: the run fails if it is still going and its deadline (not an older one) passed. */
export function applyTimeoutTimer(d: Draft, taskRunId: string | undefined): void {
  const run = taskRunId ? d.run(taskRunId) : undefined;
  // A run waiting for its next attempt (RETRYING) is timed by that attempt, once it starts.
  if (!run || (run.state.current !== 'RUNNING' && run.state.current !== 'PAUSED')) return;
  const deadline = run.control?.timeoutAt;
  if (typeof deadline !== 'string' || Date.parse(deadline) > d.env.now.getTime()) return;
  const task = d.index.node(run.taskId).task;
  // As Kestra: a Pause's `pauseDuration` (and its `behavior`) wins over its `timeout`.
  const resolved = run.control?.resolved as Record<string, unknown> | undefined;
  if (task.type === T.pause && resolved?.pauseDuration !== undefined) return;
  const ms = timeoutMsOf(task, resolved);
  const label =
    typeof task.timeout === 'string' && !isExpression(task.timeout)
      ? task.timeout
      : formatIsoDuration(ms ?? 0);
  d.log('ERROR', `Timeout: \`${run.taskId}\` did not finish within ${label}`, run);
  killRuns(d, false, descendantsOf(d, run.id));
  const job = interruptRun(d, d.run(run.id)!);
  if (job !== undefined) d.actions.push({ kind: 'abortJobs', jobIds: [job] });
  finishRun(d, d.run(run.id)!, 'FAILED');
}

/** Every task run under a task run, parents before their children. */
function descendantsOf(d: Draft, runId: string): TaskRun[] {
  const out: TaskRun[] = [];
  const visit = (id: string) => {
    for (const child of d.childrenOf(id)) {
      out.push(child);
      visit(child.id);
    }
  };
  visit(runId);
  return out;
}

import type { State, TaskRun } from '../model.js';
import { isSuccessful, isTerminal } from '../model.js';
import type { Draft } from './draft.js';
import { isOrchestrated, needsResolve, T } from './flow-index.js';
import { batchEnded, batchStarted, recoverBatches } from './for-each-item.js';
import type { TaskNode } from './flow-index.js';
import { finishRun } from './flowables.js';
import { dispatch, runningAttempt } from './lists.js';
import { issueStartSubflow, killRuns, resumeRun, retryRun } from './results.js';
import { armTimeout } from './timeouts.js';
import type { ExecutorEvent } from './types.js';

/** How long task runs may stay KILLING before they are marked KILLED anyway. */
export const KILL_GRACE_MS = 30_000;

/** Slots whose task runs are dropped when what they reacted to runs again. */
const REACTIVE_SLOTS: ReadonlySet<string> = new Set(['errors', 'finally', 'afterExecution']);

/** Kill: unfinished task runs stop (running ones are aborted), subflows are killed too. */
export function applyKill(d: Draft): void {
  const state = d.execution.state.current;
  if (isTerminal(state) || state === 'KILLING') return;
  if (state === 'CREATED' || state === 'QUEUED') {
    d.setExecutionState('KILLED');
    return;
  }
  d.setExecutionState('KILLING');
  d.log('WARN', 'Kill requested');
  killRuns(d, true);
  if (d.all().some((r) => r.state.current === 'KILLING')) {
    d.timers.push({
      executionId: d.execution.id,
      at: new Date(d.env.now.getTime() + KILL_GRACE_MS).toISOString(),
      event: { kind: 'timer', purpose: 'killTimeout' },
      key: 'kill',
    });
  }
}

/** Resume: paused task runs (one, or all) go on, with the `onResume` inputs given. */
export function applyResume(d: Draft, event: Extract<ExecutorEvent, { kind: 'resume' }>): void {
  for (const run of d.all()) {
    if (run.state.current !== 'PAUSED' || (event.taskRunId !== undefined && run.id !== event.taskRunId))
      continue;
    resumeRun(d, run, event.inputs);
  }
}

/**
 * Restart: the failed task runs that caused the failure run again (a new attempt, in the same
 * execution); the flowables above them run again; `errors`, `finally` and `afterExecution` runs
 * that reacted to the failure are dropped so they can react to the new outcome.
 */
export function applyRestart(d: Draft): void {
  const state = d.execution.state.current;
  if (state !== 'FAILED' && state !== 'KILLED') {
    d.log('WARN', `Only a FAILED or KILLED execution can be restarted; this one is ${state}`);
    return;
  }
  const failed = d.all().filter((r) => !isSuccessful(r.state.current) && isTerminal(r.state.current));
  const withFailedChild = new Set(failed.map((r) => r.parentTaskRunId).filter((id) => id !== undefined));
  // A failure inside an `errors` (or `finally`…) flowable is not a cause: that flowable is
  // dropped by `reopen` and reacts again if need be.
  const leaves = failed.filter((r) => !withFailedChild.has(r.id) && !insideReactive(d, r));
  reopen(
    d,
    leaves.map((r) => r.id),
  );
  for (const leaf of leaves) restartRun(d, d.run(leaf.id)!);
}

/** Change a task run's state (in an ended execution); the execution then goes on from there. */
export function applySetTaskRunState(
  d: Draft,
  event: Extract<ExecutorEvent, { kind: 'setTaskRunState' }>,
): void {
  const run = d.run(event.taskRunId);
  if (!run || !isTerminal(d.execution.state.current) || !isTerminal(event.state)) {
    d.log('WARN', `Cannot set task run ${event.taskRunId} to ${event.state} now`);
    return;
  }
  reopen(d, [run.id]);
  finishRun(d, d.run(run.id)!, event.state);
  d.log('INFO', `\`${run.taskId}\` was set to ${event.state}`, run);
}

/** Whether a task run sits in an `errors`, `finally` or `afterExecution` list. */
function isReactive(d: Draft, run: TaskRun): boolean {
  return REACTIVE_SLOTS.has(d.index.node(run.taskId).slot);
}

/** Whether a task run sits in such a list, or in a flowable that does. */
function insideReactive(d: Draft, run: TaskRun): boolean {
  for (let node: TaskNode | undefined = d.index.node(run.taskId); node; node = node.parent)
    if (REACTIVE_SLOTS.has(node.slot)) return true;
  return false;
}

/**
 * Puts an ended execution back to running around some task runs: their flowable ancestors go
 * back to RUNNING, reactive runs in the scopes of those ancestors are dropped, and the
 * execution goes through RESTARTED to RUNNING.
 */
function reopen(d: Draft, runIds: readonly string[]): void {
  const ancestors = new Set<string>(['']);
  for (const id of runIds) {
    for (let parent = d.run(id)?.parentTaskRunId; parent; parent = d.run(parent)?.parentTaskRunId)
      ancestors.add(parent);
  }
  const drop = d
    .all()
    .filter(
      (r) =>
        isReactive(d, r) &&
        ancestors.has(r.parentTaskRunId ?? '') &&
        // A reactive flowable holding a task run set by setTaskRunState is reopened, not dropped.
        !ancestors.has(r.id) &&
        !runIds.includes(r.id),
    )
    .map((r) => r.id);
  d.remove(drop);
  for (const id of ancestors) {
    const run = id ? d.run(id) : undefined;
    // A flowable running again gets its timeout again, from now, and may interrupt its
    // tasks again if one fails again (child-failure.ts).
    if (run && run.state.current !== 'RUNNING') {
      const control = { ...run.control };
      delete control.interruptedBy;
      armTimeout(d, d.setState(run, 'RUNNING', { control }), 'now');
    }
  }
  const control = { ...d.execution.control };
  for (const key of [
    'finalState',
    'outputsDone',
    'outputsJob',
    'outputsFailed',
    'exit',
    'retryByNewExecution',
    'ended',
    'subflowOutputValues',
    'subflowOutputsError',
  ])
    delete control[key];
  d.execution.control = control;
  delete d.execution.outputs;
  delete d.execution.state.endDate;
  d.setExecutionState('RESTARTED');
  d.setExecutionState('RUNNING');
}

/** A new attempt of a failed task run: run it again, or resolve a flowable again. */
function restartRun(d: Draft, run: TaskRun): void {
  const task = d.index.node(run.taskId).task;
  const orchestrated = isOrchestrated(task.type);
  // A flowable that failed by itself (a loop that reached its limit…) starts over, children too.
  if (orchestrated) d.remove(d.childrenOf(run.id).map((c) => c.id));
  // The retry policy counts attempts (and time) from the restart, not from the first run.
  const control: Record<string, unknown> = { retryFrom: run.attempts.length };
  // ForEachItem restarts the failed subflow executions of its batches (RETRY_FAILED).
  if (Array.isArray(run.control?.batchRuns) && task.restartBehavior !== 'NEW_EXECUTION')
    control.previousBatchRuns = run.control.batchRuns;
  const next = d.setState(d.run(run.id)!, 'RUNNING', {
    attempts: [...run.attempts, runningAttempt(d)],
    control: orchestrated && !needsResolve(task) ? { ...control, resolved: {} } : control,
    outputs: undefined,
  });
  if (orchestrated && !needsResolve(task)) {
    armTimeout(d, next);
    return; // the step's progress starts its children
  }
  armTimeout(d, dispatch(d, next, orchestrated ? 'resolve' : 'run'));
}

/** The runtime started a Subflow's child execution. */
export function applySubflowStarted(
  d: Draft,
  event: Extract<ExecutorEvent, { kind: 'subflowStarted' }>,
): void {
  const run = d.run(event.taskRunId);
  if (run?.state.current === 'RUNNING' && d.index.node(run.taskId).task.type === T.forEachItemItems)
    return batchStarted(d, run, event);
  if (!run || run.state.current !== 'RUNNING' || run.control?.childExecutionId !== event.childExecutionId)
    return;
  const resolved = (run.control.resolved ?? {}) as Record<string, unknown>;
  const outputs = { executionId: event.childExecutionId };
  if (resolved.wait === false) finishRun(d, run, 'SUCCESS', outputs);
  else d.update(run, { control: { ...run.control, childStarted: true }, outputs });
}

/** A Subflow's child execution ended (or could not start). */
export function applySubflowEnded(d: Draft, event: Extract<ExecutorEvent, { kind: 'subflowEnded' }>): void {
  const run = d.run(event.taskRunId);
  if (run && !isTerminal(run.state.current) && d.index.node(run.taskId).task.type === T.forEachItemItems)
    return batchEnded(d, run, event);
  if (!run || isTerminal(run.state.current) || run.control?.childExecutionId !== event.childExecutionId)
    return;
  if (event.error !== undefined) {
    d.log('ERROR', `The subflow could not start: ${event.error}`, run);
    finishRun(d, run, 'FAILED');
    return;
  }
  const resolved = (run.control.resolved ?? {}) as Record<string, unknown>;
  if (resolved.wait === false) return;
  const outputs = { executionId: event.childExecutionId, state: event.state, outputs: event.outputs ?? {} };
  if (event.outputsError !== undefined) {
    d.log('ERROR', `The Subflow task's \`outputs\` could not be rendered: ${event.outputsError}`, run);
    finishRun(d, run, 'FAILED', outputs);
    return;
  }
  const state = subflowTaskState(event.state, resolved.transmitFailed !== false);
  if (state === 'FAILED' || state === 'KILLED')
    d.log('ERROR', `The subflow execution ${event.childExecutionId} ended ${event.state}`, run);
  if (state === 'FAILED' && retryRun(d, run)) return;
  finishRun(d, run, state, outputs);
}

/**
 * The state a waited-for Subflow task ends in, as Kestra's ExecutableUtils.guessState: with
 * `transmitFailed`, a FAILED, KILLED or WARNING child passes its state on; otherwise SUCCESS.
 */
function subflowTaskState(child: State, transmitFailed: boolean): State {
  if (!transmitFailed || isSuccessful(child))
    return child === 'WARNING' && transmitFailed ? 'WARNING' : 'SUCCESS';
  return child === 'KILLED' ? 'KILLED' : 'FAILED';
}

/** After a restart of the runtime: re-issue what the previous process may have lost. */
export function applyRecover(d: Draft): void {
  for (const run of d.all()) {
    if (run.state.current === 'KILLING') {
      // Its worker died with the previous process: nothing runs it any more.
      if (typeof run.control?.job === 'string')
        d.actions.push({ kind: 'abortJobs', jobIds: [run.control.job] });
      finishRun(d, run, (run.control?.interruptAs as State | undefined) ?? 'KILLED');
    } else if (run.state.current === 'RUNNING' && Array.isArray(run.control?.batchRuns)) {
      recoverBatches(d, run);
    } else if (
      run.state.current === 'RUNNING' &&
      typeof run.control?.childExecutionId === 'string' &&
      run.control.childStarted !== true
    ) {
      issueStartSubflow(d, run);
    }
  }
}

/**
 * The executor: a pure function from (flow, execution, events) to the next execution and what
 * to do (worker jobs, timers, events for other executions, runtime actions). No I/O, no clock,
 * no randomness of its own: every rule of orchestration is here and unit-tested without a store.
 */
import type { Flow } from '../../flow/model.js';
import type { Execution, State } from '../model.js';
import { isTerminal } from '../model.js';
import {
  applyKill,
  applyRecover,
  applyRestart,
  applyResume,
  applySetTaskRunState,
  applySubflowEnded,
  applySubflowStarted,
} from './commands.js';
import { Draft, ROOT } from './draft.js';
import { indexFlow } from './flow-index.js';
import './flowables.js';
import { progressList, progressScope, worse } from './lists.js';
import { applyJobResult, applyTimer, killRuns } from './results.js';
import { armTimeout } from './timeouts.js';
import type { ExecutorEvent, StepEnvironment, StepResult } from './types.js';

/** Events an ended execution still takes. */
const AFTER_END: ReadonlySet<ExecutorEvent['kind']> = new Set(['restart', 'setTaskRunState']);

/** Applies events to an execution and moves it as far as it can go without waiting. */
export function step(
  flow: Flow,
  execution: Execution,
  events: readonly ExecutorEvent[],
  env: StepEnvironment,
): StepResult {
  const d = new Draft(execution, flow, indexFlow(flow), env);
  for (const event of events) applyEvent(d, event);
  advance(d);
  const result = d.result();
  result.execution.version = execution.version + 1;
  return result;
}

function applyEvent(d: Draft, event: ExecutorEvent): void {
  if (isTerminal(d.execution.state.current) && !AFTER_END.has(event.kind)) return;
  switch (event.kind) {
    case 'start':
      if (d.execution.state.current === 'CREATED' || d.execution.state.current === 'QUEUED') {
        d.setExecutionState('RUNNING');
        // A replay from a task run starts with the flowables above it reopened (a new execution
        // has no task runs): their timeouts count from now.
        for (const run of d.all()) if (run.state.current === 'RUNNING') armTimeout(d, run, 'now');
      }
      return;
    case 'jobResult':
      return applyJobResult(d, event);
    case 'timer':
      return applyTimer(d, event);
    case 'kill':
      return applyKill(d);
    case 'resume':
      return applyResume(d, event);
    case 'restart':
      return applyRestart(d);
    case 'setTaskRunState':
      return applySetTaskRunState(d, event);
    case 'subflowStarted':
      return applySubflowStarted(d, event);
    case 'subflowEnded':
      return applySubflowEnded(d, event);
    case 'recover':
      return applyRecover(d);
  }
}

/**
 * Moves a started execution on: its tasks, then `errors` when they failed, then `finally`; then
 * its flow outputs are rendered; then `afterExecution` runs, knowing the final state; then it
 * ends. A killed execution ends once no task run is KILLING any more.
 */
function advance(d: Draft): void {
  const state = d.execution.state.current;
  const control = d.execution.control ?? {};
  if (state === 'KILLING' || control.exit !== undefined) {
    // Ends once no task run is still stopping, or (after Exit) still in a worker's hands.
    const busy = d
      .all()
      .some(
        (r) =>
          r.state.current === 'KILLING' || (control.exit !== undefined && typeof r.control?.job === 'string'),
      );
    if (busy) return;
    if (control.exit !== undefined) killRuns(d, false); // what waited without a worker is cut short
    end(d, (control.exit as State | undefined) ?? 'KILLED');
    return;
  }
  if (state !== 'RUNNING' && state !== 'PAUSED') {
    if (state === 'KILLED' && control.ended === undefined) end(d, 'KILLED'); // killed while QUEUED
    return;
  }
  const root = d.index.root;
  const outcome = progressScope(d, ROOT, { main: root.tasks, errors: root.errors, finally: root.finally });
  if (outcome === 'running') return markPaused(d);
  let final: State = outcome;
  // A parent's Subflow task with (deprecated) `outputs` has them rendered here, in this
  // execution's context, whatever its state (Kestra: Subflow.createSubflowExecutionResult).
  const legacy = d.flow.outputs.length === 0 && control.subflowOutputs !== undefined && final !== 'KILLED';
  if ((d.flow.outputs.length > 0 && (final === 'SUCCESS' || final === 'WARNING')) || legacy) {
    if (control.outputsDone !== true) {
      if (control.outputsJob === undefined) dispatchFlowOutputs(d);
      return markPaused(d);
    }
    if (control.outputsFailed === true && !legacy) final = worse(final, 'FAILED');
  }
  if (final === 'FAILED' && control.retryByNewExecution !== undefined) final = 'RETRIED';
  if (root.afterExecution.tasks.length > 0) {
    if (control.finalState !== final) d.execution.control = { ...d.execution.control, finalState: final };
    if (progressList(d, root.afterExecution, ROOT) === 'running') return markPaused(d);
  }
  end(d, final);
}

/** The execution is PAUSED while a task run is, RUNNING otherwise. */
function markPaused(d: Draft): void {
  const paused = d.all().some((r) => r.state.current === 'PAUSED');
  d.setExecutionState(paused ? 'PAUSED' : 'RUNNING');
}

/** The flow's `outputs` are rendered by a worker, with the context of the ended tasks. */
function dispatchFlowOutputs(d: Draft): void {
  const id = `${d.execution.id}:outputs`;
  d.jobs.push({
    id,
    executionId: d.execution.id,
    namespace: d.execution.namespace,
    flowId: d.execution.flowId,
    purpose: 'outputs',
    attempt: 0,
  });
  d.execution.control = { ...d.execution.control, outputsJob: id };
}

/** Ends the execution: its state, then what the runtime and a parent execution must learn. */
function end(d: Draft, state: State): void {
  d.setExecutionState(state);
  const control: Record<string, unknown> = { ...d.execution.control, ended: true };
  delete control.finalState;
  d.execution.control = control;
  d.log(state === 'SUCCESS' ? 'INFO' : state === 'WARNING' ? 'WARN' : 'ERROR', `Execution ended in ${state}`);
  d.actions.push({ kind: 'ended', state });
  const retry = control.retryByNewExecution as { attempt: number; at: string } | undefined;
  if (state === 'RETRIED' && retry)
    d.actions.push({ kind: 'retryExecution', attempt: retry.attempt, at: retry.at });
  const parent = d.execution.parent;
  if (parent) {
    d.events.push({
      executionId: parent.executionId,
      event: {
        kind: 'subflowEnded',
        taskRunId: parent.taskRunId,
        childExecutionId: d.execution.id,
        state,
        ...subflowOutputsOf(d, control),
      },
    });
  }
}

/** What a child tells its parent's Subflow task of its outputs (its flow's, or the task's legacy ones). */
function subflowOutputsOf(
  d: Draft,
  control: Record<string, unknown>,
): { outputs?: Record<string, unknown>; outputsError?: string } {
  if (control.subflowOutputs === undefined || d.flow.outputs.length > 0)
    return d.execution.outputs ? { outputs: d.execution.outputs } : {};
  if (typeof control.subflowOutputsError === 'string') return { outputsError: control.subflowOutputsError };
  const values = control.subflowOutputValues as Record<string, unknown> | undefined;
  return values ? { outputs: values } : {};
}

/**
 * ForEachItem's `_items` task run: one subflow execution per batch, through the same runtime
 * action and events as a Subflow task (`startSubflow`, `subflowStarted`, `subflowEnded`), at
 * most `concurrencyLimit` at once (0: all, as Kestra). Its outputs count the subflow executions
 * by state while they run (`iterations`), as Kestra's ExecutableUtils.manageIterations does.
 */
import type { Label } from '../../flow/model.js';
import type { State, TaskRun } from '../model.js';
import { isSuccessful } from '../model.js';
import type { Draft } from './draft.js';
import { finishRun } from './flowables.js';
import { childLabels, childTrigger } from './results.js';
import type { ExecutorEvent } from './types.js';

/** What the worker resolved for an `_items` task run (plugins/core/flow/for-each-item/items.ts). */
interface ItemsResolved {
  namespace?: string;
  flowId?: string;
  revision?: number;
  labels?: Label[];
  wait?: boolean;
  transmitFailed?: boolean;
  inheritLabels?: boolean;
  scheduleDate?: string;
  concurrencyLimit?: number;
  /** The inputs of each batch's subflow execution, in batch order. */
  batches?: Array<Record<string, unknown>>;
  /** Where each subflow execution writes its outputs: `<base>/<iteration>/outputs.ion`. */
  outputsBaseUri?: string;
}

/** One batch's subflow execution. */
interface BatchRun {
  id: string;
  started?: boolean;
  /** Its final state, once known (with `wait: false`, SUCCESS as soon as it started). */
  state?: State;
}

const resolvedOf = (run: TaskRun) => (run.control?.resolved ?? {}) as ItemsResolved;
const batchRunsOf = (run: TaskRun) => (run.control?.batchRuns ?? []) as BatchRun[];
const iterationsOf = (run: TaskRun) =>
  ({ ...(run.outputs?.iterations as Record<string, number> | undefined) }) as Record<string, number>;

/** The batches are known: start the first subflow executions (or end at once for no batch). */
export function startBatches(d: Draft, run: TaskRun): void {
  const count = resolvedOf(run).batches?.length ?? 0;
  if (count === 0) {
    finishRun(d, run, 'SUCCESS');
    return;
  }
  const previous = run.control?.previousBatchRuns as BatchRun[] | undefined;
  const control: Record<string, unknown> = { ...run.control, batchRuns: [] };
  delete control.previousBatchRuns;
  if (previous && previous.length <= count) return retryFailedBatches(d, run, previous);
  issueMore(d, d.update(run, { control }));
}

/**
 * A restart (`restartBehavior: RETRY_FAILED`, the default): the batches whose subflow execution
 * ended well are kept, the failed or killed ones are restarted in place (Kestra restarts the
 * same child execution), the others start anew. FAILED counts start over, as in Kestra.
 */
function retryFailedBatches(d: Draft, run: TaskRun, previous: readonly BatchRun[]): void {
  const iterations: Record<string, number> = { CREATED: 0, RUNNING: 0, FAILED: 0 };
  const batchRuns: BatchRun[] = [];
  const restarted: string[] = [];
  for (const batch of previous) {
    if (batch.state === 'SUCCESS' || batch.state === 'WARNING') {
      iterations[batch.state] = (iterations[batch.state] ?? 0) + 1;
      batchRuns.push(batch);
    } else if ((batch.state === 'FAILED' || batch.state === 'KILLED') && batch.started) {
      iterations.RUNNING! += 1;
      batchRuns.push({ id: batch.id, started: true });
      restarted.push(batch.id);
    } else break; // never started or could not start: issued again below, as new
  }
  const control: Record<string, unknown> = { ...run.control, batchRuns };
  delete control.previousBatchRuns;
  const next = d.update(run, {
    control,
    outputs: { iterations, numberOfBatches: resolvedOf(run).batches?.length ?? 0 },
  });
  for (const id of restarted) d.events.push({ executionId: id, event: { kind: 'restart' } });
  settle(d, next);
}

/** Starts batches while fewer than `concurrencyLimit` subflow executions are unfinished. */
function issueMore(d: Draft, input: TaskRun): TaskRun {
  let run = input;
  const resolved = resolvedOf(run);
  const count = resolved.batches?.length ?? 0;
  const limit =
    resolved.concurrencyLimit && resolved.concurrencyLimit > 0 ? resolved.concurrencyLimit : Infinity;
  const batchRuns = [...batchRunsOf(run)];
  const iterations = iterationsOf(run);
  let active = batchRuns.filter((b) => b.state === undefined).length;
  const before = batchRuns.length;
  while (batchRuns.length < count && active < limit) {
    batchRuns.push({ id: d.env.newId() });
    if (resolved.wait !== false) iterations.CREATED = (iterations.CREATED ?? 0) + 1;
    active++;
  }
  if (batchRuns.length === before) return run;
  run = d.update(run, {
    control: { ...run.control, batchRuns },
    outputs: { ...run.outputs, iterations, numberOfBatches: count },
  });
  for (let i = before; i < batchRuns.length; i++) issueBatch(d, run, i);
  return run;
}

/** Issues (or re-issues, on recovery) the start of one batch's subflow execution. */
function issueBatch(d: Draft, run: TaskRun, iteration: number): void {
  const resolved = resolvedOf(run);
  const batch = batchRunsOf(run)[iteration]!;
  const labels = resolved.labels ?? [];
  d.actions.push({
    kind: 'startSubflow',
    taskRunId: run.id,
    executionId: batch.id,
    namespace: String(resolved.namespace),
    flowId: String(resolved.flowId),
    ...(typeof resolved.revision === 'number' ? { revision: resolved.revision } : {}),
    inputs: resolved.batches?.[iteration] ?? {},
    labels: childLabels(d, resolved.inheritLabels === true, labels),
    wait: resolved.wait !== false,
    ...(typeof resolved.scheduleDate === 'string' ? { scheduleDate: resolved.scheduleDate } : {}),
    iteration,
    trigger: childTrigger(d, run, iteration),
    ...(resolved.outputsBaseUri ? { outputsUri: `${resolved.outputsBaseUri}/${iteration}/outputs.ion` } : {}),
  });
}

/** A batch's subflow execution started: RUNNING (or, without `wait`, done). */
export function batchStarted(
  d: Draft,
  run: TaskRun,
  event: Extract<ExecutorEvent, { kind: 'subflowStarted' }>,
): void {
  const batchRuns = [...batchRunsOf(run)];
  const index = batchRuns.findIndex((b) => b.id === event.childExecutionId);
  if (index < 0 || batchRuns[index]!.started) return;
  const iterations = iterationsOf(run);
  const wait = resolvedOf(run).wait !== false;
  if (wait) {
    iterations.CREATED = (iterations.CREATED ?? 1) - 1;
    iterations.RUNNING = (iterations.RUNNING ?? 0) + 1;
    batchRuns[index] = { ...batchRuns[index]!, started: true };
  } else {
    // Kestra counts a subflow execution it does not wait for as done once it is created.
    iterations.RUNNING = iterations.RUNNING ?? 0;
    iterations.SUCCESS = (iterations.SUCCESS ?? 0) + 1;
    batchRuns[index] = { ...batchRuns[index]!, started: true, state: 'SUCCESS' };
  }
  settle(
    d,
    d.update(run, { control: { ...run.control, batchRuns }, outputs: { ...run.outputs, iterations } }),
  );
}

/** A batch's subflow execution ended (or could not start). */
export function batchEnded(
  d: Draft,
  run: TaskRun,
  event: Extract<ExecutorEvent, { kind: 'subflowEnded' }>,
): void {
  const batchRuns = [...batchRunsOf(run)];
  const index = batchRuns.findIndex((b) => b.id === event.childExecutionId);
  const batch = batchRuns[index];
  if (!batch || batch.state !== undefined) return;
  const state: State = event.error !== undefined ? 'FAILED' : event.state;
  if (event.error !== undefined)
    d.log('ERROR', `The subflow execution of batch ${index} could not start: ${event.error}`, run);
  else if (!isSuccessful(state))
    d.log('ERROR', `The subflow execution ${event.childExecutionId} (batch ${index}) ended ${state}`, run);
  const iterations = iterationsOf(run);
  const from = batch.started ? 'RUNNING' : 'CREATED';
  iterations[from] = (iterations[from] ?? 1) - 1;
  iterations[state] = (iterations[state] ?? 0) + 1;
  batchRuns[index] = { ...batch, state };
  settle(
    d,
    d.update(run, { control: { ...run.control, batchRuns }, outputs: { ...run.outputs, iterations } }),
  );
}

/** Starts what may start; ends the task run once every batch's subflow execution is done. */
function settle(d: Draft, input: TaskRun): void {
  const run = issueMore(d, input);
  const resolved = resolvedOf(run);
  const count = resolved.batches?.length ?? 0;
  const batchRuns = batchRunsOf(run);
  if (batchRuns.length < count || batchRuns.some((b) => b.state === undefined)) return;
  const iterations = iterationsOf(run);
  const outputs = {
    iterations,
    numberOfBatches: count,
    ...(resolved.outputsBaseUri ? { subflowOutputsBaseUri: resolved.outputsBaseUri } : {}),
  };
  finishRun(d, run, resolved.transmitFailed === false ? 'SUCCESS' : terminalState(iterations), outputs);
}

/** The state the counts add up to, as Kestra's findTerminalState: FAILED, KILLED, WARNING, SUCCESS. */
function terminalState(iterations: Record<string, number>): State {
  const has = (state: State) => (iterations[state] ?? 0) > 0;
  if (has('FAILED') || has('CANCELLED')) return 'FAILED';
  if (has('KILLED')) return 'KILLED';
  if (has('WARNING')) return 'WARNING';
  return 'SUCCESS';
}

/** The subflow executions still running, to kill with the task run. */
export function unfinishedBatchIds(run: TaskRun): string[] {
  return batchRunsOf(run)
    .filter((b) => b.state === undefined)
    .map((b) => b.id);
}

/** After a restart of the runtime: re-issue the starts the previous process may have lost. */
export function recoverBatches(d: Draft, run: TaskRun): void {
  batchRunsOf(run).forEach((b, i) => {
    if (!b.started && b.state === undefined) issueBatch(d, run, i);
  });
}

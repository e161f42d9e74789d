import type { Label } from '../../flow/model.js';
import type { ExecutionTrigger, State, TaskRun } from '../model.js';
import { isTerminal } from '../model.js';
import type { Draft } from './draft.js';
import { isOrchestrated, T } from './flow-index.js';
import { endRunIn, finishRun, progressFlowable } from './flowables.js';
import { dispatch, runningAttempt, worse } from './lists.js';
import { retryDelay } from './retry.js';
import { startBatches, unfinishedBatchIds } from './for-each-item.js';
import { hasRenderedTimeout } from './timeout-spec.js';
import { applyTimeoutTimer, armTimeout } from './timeouts.js';
import { SECRETS_READ, secretsReadBy } from '../secret-mask.js';
import type { ExecutorEvent, JobResult } from './types.js';

type JobResultEvent = Extract<ExecutorEvent, { kind: 'jobResult' }>;
type TimerEvent = Extract<ExecutorEvent, { kind: 'timer' }>;

/** The control values a worker resolved for a flowable (see the worker's `resolve`). */
interface Resolved {
  [key: string]: unknown;
  /** Pause: `pauseDuration` in ms; behavior when it passes. */
  pauseDuration?: number;
  behavior?: 'RESUME' | 'WARN' | 'CANCEL' | 'FAIL';
  /** Sleep: duration in ms. */
  duration?: number;
}

/** Copy of a task run's control without its outstanding job. */
function withoutJob(run: TaskRun): Record<string, unknown> {
  const control = { ...run.control };
  delete control.job;
  return control;
}

/** Applies a worker's result; results of jobs the run no longer waits for are ignored. */
export function applyJobResult(d: Draft, event: JobResultEvent): void {
  if (event.result.secretsRead?.length) rememberSecretsRead(d, event.result.secretsRead);
  if (event.job === 'outputs') return applyFlowOutputs(d, event.result);
  const found = event.taskRunId ? d.run(event.taskRunId) : undefined;
  if (!found || found.control?.job !== `${found.id}:${event.attempt}:${event.job}`) return;
  if (isTerminal(found.state.current)) return;
  const run = d.update(found, { control: withoutJob(found) });
  const result = event.result;
  if (run.state.current === 'KILLING') {
    // A task that finished before the abort reached it keeps its result; a flowable whose
    // values were rendered (resolve, evaluate) never ran its tasks: it is KILLED.
    const done = event.job === 'run' && (result.state === 'SUCCESS' || result.state === 'WARNING');
    // One interrupted because a sibling failed (child-failure.ts) ends in the state it was given.
    const stopped = (run.control?.interruptAs as State | undefined) ?? 'KILLED';
    finishRun(d, run, done ? result.state : stopped, event.job === 'run' ? result.outputs : undefined);
    return;
  }
  switch (event.job) {
    case 'resolve':
      return applyResolved(d, run, result);
    case 'evaluate':
      return applyEvaluated(d, run, result);
    case 'run':
      return applyRunResult(d, run, result);
  }
}

/** Keeps the names of the secrets a job read: the execution masks them however short (secret-mask.ts). */
function rememberSecretsRead(d: Draft, names: readonly string[]): void {
  const known = secretsReadBy(d.execution);
  const added = names.filter((name) => !known.includes(name));
  if (added.length > 0)
    d.execution.control = { ...d.execution.control, [SECRETS_READ]: [...known, ...added] };
}

function applyFlowOutputs(d: Draft, result: JobResult): void {
  const control = { ...d.execution.control };
  if (control.outputsJob === undefined) return;
  delete control.outputsJob;
  control.outputsDone = true;
  if (d.flow.outputs.length === 0 && control.subflowOutputs !== undefined) {
    // A parent's legacy Subflow `outputs`: for the parent's task, not this execution's outputs.
    if (result.state === 'SUCCESS') control.subflowOutputValues = result.outputs ?? {};
    else control.subflowOutputsError = result.error ?? 'unknown error';
  } else if (result.state === 'SUCCESS') {
    // No outputs at all (each optional one left out) is none, as in Kestra, not an empty map.
    if (result.outputs && Object.keys(result.outputs).length > 0) d.execution.outputs = result.outputs;
  } else {
    d.log('ERROR', `The flow's outputs could not be rendered: ${result.error ?? 'unknown error'}`);
    control.outputsFailed = true;
  }
  d.execution.control = control;
}

/** A flowable's control values are known: start it (or pause, sleep, start a subflow). */
function applyResolved(d: Draft, run: TaskRun, result: JobResult): void {
  if (result.state !== 'SUCCESS') {
    finishRun(d, run, result.state === 'WARNING' ? 'FAILED' : result.state);
    return;
  }
  const resolved: Resolved = result.outputs ?? {};
  const task = d.index.node(run.taskId).task;
  const type = task.type;
  let next = d.update(run, { control: { ...run.control, resolved } });
  if (hasRenderedTimeout(task)) next = armTimeout(d, next);
  switch (type) {
    case T.pause: {
      d.setState(next, 'PAUSED');
      if (resolved.pauseDuration !== undefined) {
        d.timers.push({
          executionId: d.execution.id,
          at: new Date(d.env.now.getTime() + resolved.pauseDuration).toISOString(),
          event: { kind: 'timer', purpose: 'pauseDelay', taskRunId: run.id },
          key: `${run.id}:pause`,
        });
      }
      return;
    }
    case T.sleep:
      d.timers.push({
        executionId: d.execution.id,
        at: new Date(d.env.now.getTime() + (resolved.duration ?? 0)).toISOString(),
        event: { kind: 'timer', purpose: 'sleep', taskRunId: run.id },
        key: `${run.id}:sleep`,
      });
      return;
    case T.subflow:
      startSubflow(d, next);
      return;
    case T.forEachItemItems:
      startBatches(d, next);
      return;
    default:
      progressFlowable(d, next);
  }
}

/** Asks the runtime for the child execution; its id is fixed now so a re-issue cannot start two. */
function startSubflow(d: Draft, run: TaskRun): void {
  const childId = d.env.newId();
  const next = d.update(run, { control: { ...run.control, childExecutionId: childId } });
  issueStartSubflow(d, next);
}

/** Issues (or re-issues, on recovery) the start of a Subflow task run's child execution. */
export function issueStartSubflow(d: Draft, run: TaskRun): void {
  const resolved = (run.control?.resolved ?? {}) as Resolved;
  const labels = Array.isArray(resolved.labels) ? (resolved.labels as Label[]) : [];
  d.actions.push({
    kind: 'startSubflow',
    taskRunId: run.id,
    executionId: String(run.control?.childExecutionId),
    namespace: String(resolved.namespace),
    flowId: String(resolved.flowId),
    ...(typeof resolved.revision === 'number' ? { revision: resolved.revision } : {}),
    inputs: (resolved.inputs ?? {}) as Record<string, unknown>,
    labels: childLabels(d, resolved.inheritLabels === true, labels),
    wait: resolved.wait !== false,
    ...(typeof resolved.scheduleDate === 'string' ? { scheduleDate: resolved.scheduleDate } : {}),
    ...(legacyOutputs(resolved) ? { outputs: legacyOutputs(resolved) } : {}),
    trigger: childTrigger(d, run),
  });
}

/** A child execution's labels: the task's, over the parent's (all with inheritLabels, else its system ones: the correlation id), as in Kestra. */
export function childLabels(d: Draft, inherit: boolean, labels: readonly Label[]): Label[] {
  return mergeLabels(
    inherit ? d.execution.labels : d.execution.labels.filter((l) => l.key.startsWith('system.')),
    labels,
  );
}

/**
 * The `trigger` of a child execution, as Kestra's ExecutableUtils sets it: the task that started
 * it (`id`, `type`) and, as variables, the parent execution and task run.
 */
export function childTrigger(d: Draft, run: TaskRun, iteration?: number): ExecutionTrigger {
  const execution = d.execution;
  return {
    id: run.taskId,
    type: d.index.node(run.taskId).task.type,
    variables: {
      executionId: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      flowRevision: execution.flowRevision,
      taskRunId: run.id,
      taskId: run.taskId,
      ...(run.value !== undefined ? { taskRunValue: run.value } : {}),
      ...(iteration !== undefined ? { taskRunIteration: iteration } : {}),
    },
  };
}

/** A waited-for Subflow's deprecated `outputs` map (Kestra renders it against the child). */
function legacyOutputs(resolved: Resolved): Record<string, unknown> | undefined {
  const outputs = resolved.outputs;
  if (resolved.wait === false || !outputs || typeof outputs !== 'object' || Array.isArray(outputs))
    return undefined;
  return Object.keys(outputs).length > 0 ? (outputs as Record<string, unknown>) : undefined;
}

/** LoopUntil's condition after an iteration. */
function applyEvaluated(d: Draft, run: TaskRun, result: JobResult): void {
  if (result.state !== 'SUCCESS') {
    finishRun(d, run, 'FAILED');
    return;
  }
  const loop = { ...(run.control?.loop as Record<string, unknown>), result: result.condition === true };
  progressFlowable(d, d.update(run, { control: { ...run.control, loop } }));
}

/** A task's attempt ended: outputs, labels, Exit, or a failure that may be retried. */
function applyRunResult(d: Draft, run: TaskRun, result: JobResult): void {
  if (result.logFile !== undefined) run = withLogFile(d, run, result.logFile);
  const outcome = run.control?.outcome as State | undefined;
  if (outcome !== undefined) {
    // A WorkingDirectory's collection of its outputFiles, after its tasks ended in `outcome`.
    finishRun(d, run, worse(outcome, result.state === 'SKIPPED' ? 'SUCCESS' : result.state), result.outputs);
    return;
  }
  if (result.labels && result.labels.length > 0)
    d.execution.labels = mergeLabels(d.execution.labels, result.labels);
  if (result.state === 'FAILED') {
    if (retryRun(d, run)) return;
    finishRun(d, run, 'FAILED', result.outputs);
    return;
  }
  if (result.exit) {
    exitFromTask(d, run, result.exit, result.outputs);
    return;
  }
  let state: State = result.state;
  const policy = d.index.node(run.taskId).retry;
  if (state === 'SUCCESS' && run.attempts.length > 1 && policy?.warningOnRetry === true) state = 'WARNING';
  finishRun(d, run, state, result.outputs);
}

/**
 * An Exit task ran: as Kestra's Exit.update, its own run ends in the exit state; with KILLED
 * everything unfinished is then killed (its parents too), with another state the flowables
 * enclosing it end in that state at once, and the execution ends in it.
 */
function exitFromTask(d: Draft, run: TaskRun, state: State, outputs?: Record<string, unknown>): void {
  const ended = endRunIn(d, run, state, outputs);
  let parent = state === 'KILLED' || !ended.parentTaskRunId ? undefined : d.run(ended.parentTaskRunId);
  while (parent) {
    if (!isTerminal(parent.state.current)) endRunIn(d, parent, state);
    parent = parent.parentTaskRunId ? d.run(parent.parentTaskRunId) : undefined;
  }
  exitExecution(d, state, ended);
}

/**
 * Retries a failed attempt when the task's policy allows: RETRYING and a timer for the next
 * attempt (at once when the interval is zero), or a new execution (CREATE_NEW_EXECUTION).
 * A Subflow task's next attempt starts a new child execution.
 */
export function retryRun(d: Draft, run: TaskRun): boolean {
  const policy = d.index.node(run.taskId).retry;
  if (!policy) return false;
  if (policy.behavior === 'CREATE_NEW_EXECUTION') {
    const made = Number(d.execution.control?.executionAttempt ?? 1);
    const firstStart = new Date(
      (d.execution.control?.firstStartDate as string | undefined) ?? d.execution.state.startDate,
    );
    const delay = retryDelay(policy, made, firstStart, d.env.now, () => d.env.random());
    if (delay === undefined) return false;
    d.execution.control = {
      ...d.execution.control,
      retryByNewExecution: { attempt: made + 1, at: new Date(d.env.now.getTime() + delay).toISOString() },
    };
    d.log(
      'WARN',
      `\`${run.taskId}\` failed; the flow will be retried in a new execution (attempt ${made + 1})`,
      run,
    );
    return false;
  }
  const from = Number(run.control?.retryFrom ?? 0); // attempts before a restart do not count
  const firstStart = new Date(run.attempts[from]?.state.startDate ?? d.nowIso);
  const delay = retryDelay(policy, run.attempts.length - from, firstStart, d.env.now, () => d.env.random());
  if (delay === undefined) return false;
  const attempts = endLastAttempt(run, 'FAILED', d.nowIso);
  // What an attempt of an orchestrated task (a Subflow's child) resolved belongs to that attempt.
  const control = isOrchestrated(d.index.node(run.taskId).task.type)
    ? { ...(run.control?.retryFrom !== undefined ? { retryFrom: run.control.retryFrom } : {}) }
    : run.control;
  const next = d.setState(run, 'RETRYING', { attempts, ...(control ? { control } : {}) });
  d.log(
    'WARN',
    `\`${run.taskId}\` failed; attempt ${run.attempts.length + 1} in ${formatDelay(delay)}`,
    next,
  );
  if (delay === 0) {
    startAttempt(d, next);
    return true;
  }
  d.timers.push({
    executionId: d.execution.id,
    at: new Date(d.env.now.getTime() + delay).toISOString(),
    event: { kind: 'timer', purpose: 'retry', taskRunId: run.id, attempt: run.attempts.length },
    key: `${run.id}:retry`,
  });
  return true;
}

/** The run with its last attempt's `logFile` set (`logToFile`). */
function withLogFile(d: Draft, run: TaskRun, logFile: string): TaskRun {
  const last = run.attempts.length - 1;
  return d.update(run, { attempts: run.attempts.map((a, i) => (i === last ? { ...a, logFile } : a)) });
}

function endLastAttempt(run: TaskRun, state: State, now: string): TaskRun['attempts'] {
  return run.attempts.map((a, i) =>
    i === run.attempts.length - 1 && !isTerminal(a.state.current)
      ? {
          ...a,
          state: {
            ...a.state,
            current: state,
            histories: [...a.state.histories, { state, date: now }],
            endDate: now,
          },
        }
      : a,
  );
}

/** A new attempt of a task run, dispatched to a worker (to resolve it again, for a Subflow). */
function startAttempt(d: Draft, run: TaskRun): void {
  const next = d.setState(run, 'RUNNING', { attempts: [...run.attempts, runningAttempt(d)] });
  // A Subflow's new attempt gets its timeout again (armTimeout ignores runnable tasks).
  armTimeout(d, dispatch(d, next, isOrchestrated(d.index.node(run.taskId).task.type) ? 'resolve' : 'run'));
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** Labels set by a task replace those with the same key. */
export function mergeLabels(current: readonly Label[], added: readonly Label[]): Label[] {
  const keys = new Set(added.map((l) => l.key));
  return [...current.filter((l) => !keys.has(l.key)), ...added];
}

/**
 * Ends the execution now in `state` (execution.Exit, a Pause that cancels): what still runs is
 * killed, nothing else starts.
 */
export function exitExecution(d: Draft, state: State, cause: TaskRun): void {
  d.execution.control = { ...d.execution.control, exit: state };
  d.log('INFO', `\`${cause.taskId}\` ends the execution in ${state}`, cause);
  // As in Kestra, only KILLED stops tasks still running (in a parallel branch); with another
  // state they finish first, and nothing new starts (see step.ts).
  if (state === 'KILLED') killRuns(d, false);
}

/**
 * Stops every unfinished task run: one a worker runs is aborted (KILLING until the worker
 * answers, when `graceful`; KILLED at once otherwise), the others are KILLED, and the child
 * executions of Subflow tasks are killed too.
 */
export function killRuns(d: Draft, graceful: boolean, runs: readonly TaskRun[] = d.all()): void {
  const abort: string[] = [];
  for (const { id } of runs) {
    const run = d.run(id);
    if (!run || isTerminal(run.state.current) || run.state.current === 'KILLING') continue;
    const job = interruptRun(d, run);
    if (job !== undefined) {
      abort.push(job);
      if (graceful) {
        d.setState(run, 'KILLING');
        continue;
      }
    }
    finishRun(d, d.run(run.id)!, 'KILLED');
  }
  if (abort.length > 0) d.actions.push({ kind: 'abortJobs', jobIds: abort });
}

/**
 * What stopping a task run takes outside the execution: its Subflow's child execution is
 * killed; the worker job it waits for, if any, is returned for the caller to abort.
 */
export function interruptRun(d: Draft, run: TaskRun): string | undefined {
  const child = run.control?.childExecutionId;
  const type = d.index.node(run.taskId).task.type;
  if (typeof child === 'string' && type === T.subflow)
    d.events.push({ executionId: child, event: { kind: 'kill' } });
  if (type === T.forEachItemItems)
    for (const id of unfinishedBatchIds(run)) d.events.push({ executionId: id, event: { kind: 'kill' } });
  const job = run.control?.job;
  return typeof job === 'string' ? job : undefined;
}

/** Applies a timer; a timer whose task run moved on meanwhile is ignored. */
export function applyTimer(d: Draft, event: TimerEvent): void {
  const run = event.taskRunId ? d.run(event.taskRunId) : undefined;
  switch (event.purpose) {
    case 'retry':
      if (run && run.state.current === 'RETRYING' && run.attempts.length === event.attempt)
        startAttempt(d, run);
      return;
    case 'sleep':
      if (run && run.state.current === 'RUNNING' && run.control?.job === undefined)
        finishRun(d, run, 'SUCCESS');
      return;
    case 'pauseDelay':
      if (run && run.state.current === 'PAUSED') pauseElapsed(d, run);
      return;
    case 'loopNext': {
      if (!run || run.state.current !== 'RUNNING') return;
      const loop = run.control?.loop as
        { iteration: number; startedAt: string; waiting?: boolean } | undefined;
      if (!loop?.waiting) return;
      const next = d.update(run, {
        control: { ...run.control, loop: { iteration: loop.iteration, startedAt: loop.startedAt } },
        outputs: { ...run.outputs, iterationCount: loop.iteration + 1 },
      });
      progressFlowable(d, next);
      return;
    }
    case 'timeout':
      applyTimeoutTimer(d, event.taskRunId);
      return;
    case 'killTimeout':
      for (const r of d.all()) if (r.state.current === 'KILLING') finishRun(d, r, 'KILLED');
      return;
    case 'admission':
      // A scheduled start (CREATED) or a FAIL_AFTER_N_RETRIES retry (QUEUED).
      if (d.execution.state.current === 'QUEUED' || d.execution.state.current === 'CREATED')
        d.actions.push({ kind: 'admit' });
      return;
  }
}

/** A Pause's `pauseDuration` passed: its `behavior` decides. */
function pauseElapsed(d: Draft, run: TaskRun): void {
  const behavior = (run.control?.resolved as Resolved | undefined)?.behavior ?? 'RESUME';
  switch (behavior) {
    case 'RESUME':
      resumeRun(d, run, undefined);
      return;
    case 'WARN':
      finishRun(d, run, 'WARNING');
      return;
    case 'FAIL':
      d.log('ERROR', `\`${run.taskId}\` was not resumed within its pause duration`, run);
      finishRun(d, run, 'FAILED');
      return;
    case 'CANCEL':
      // A cancelled execution stops what runs, as a kill does.
      exitExecution(d, 'CANCELLED', finishRun(d, run, 'CANCELLED'));
      killRuns(d, false);
      return;
  }
}

/** Resumes a paused task run, with the `onResume` inputs given. */
export function resumeRun(d: Draft, run: TaskRun, inputs: Record<string, unknown> | undefined): void {
  const outputs = inputs ? { onResume: inputs } : undefined;
  const task = d.index.node(run.taskId).task;
  if (Array.isArray(task.tasks) && task.tasks.length > 0) {
    const resolved = { ...(run.control?.resolved as Resolved), resumed: true };
    const next = d.setState(run, 'RUNNING', {
      control: { ...run.control, resolved },
      ...(outputs ? { outputs } : {}),
    });
    progressFlowable(d, next);
    return;
  }
  finishRun(d, run, 'SUCCESS', outputs);
}

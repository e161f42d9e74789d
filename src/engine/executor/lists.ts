import type { FlowTask } from '../../flow/model.js';
import type { State, TaskRun } from '../model.js';
import { isSuccessful, isTerminal } from '../model.js';
import type { Draft, Scope } from './draft.js';
import { newState } from './draft.js';
import { isOrchestrated, needsResolve, T } from './flow-index.js';
import type { TaskList } from './flow-index.js';
import { armTimeout } from './timeouts.js';
import type { JobPurpose } from './types.js';

/** A list (or a scope of lists) is still going, or has ended in a state. */
export type Outcome = 'running' | State;

/** Progresses a flowable task run; set by flowables.ts (the two modules recurse into each other). */
export let progressFlowable: (d: Draft, run: TaskRun) => TaskRun = () => {
  throw new Error('flowables not loaded');
};

export function setFlowableProgress(fn: (d: Draft, run: TaskRun) => TaskRun): void {
  progressFlowable = fn;
}

/** The state a set of ended task runs adds up to: KILLED, else FAILED, else WARNING, else SUCCESS. */
export function aggregate(states: Iterable<State>): State {
  let result: State = 'SUCCESS';
  for (const state of states) {
    if (state === 'KILLED') return 'KILLED';
    if (state === 'FAILED' || state === 'CANCELLED') result = 'FAILED';
    else if (state === 'WARNING' && result === 'SUCCESS') result = 'WARNING';
  }
  return result;
}

/** The worse of two ended states. */
export function worse(a: State, b: State): State {
  return aggregate([a, b]);
}

/**
 * Moves a list forward in a scope: starts what may start (in order, in parallel up to the
 * concurrency, or as a DAG), progresses running flowables, and tells whether the list ended.
 * A failed task stops the list: nothing new starts, what runs finishes, the list fails.
 */
export function progressList(d: Draft, list: TaskList, scope: Scope): Outcome {
  const runs: Array<TaskRun | undefined> = list.tasks.map((t) => {
    const run = d.find(scope, t.id);
    return run && run.state.current === 'RUNNING' && isOrchestrated(d.index.node(t.id).task.type)
      ? progressFlowable(d, run)
      : run;
  });

  if (list.mode === 'sequential') {
    for (let i = 0; i < list.tasks.length; i++) {
      const run = runs[i];
      if (!run) {
        startTask(d, list.tasks[i]!, scope);
        // A task that ended at once (a flowable with nothing to do) lets the next one start.
        const started = d.find(scope, list.tasks[i]!.id)!;
        if (!isTerminal(started.state.current)) return 'running';
        runs[i] = started;
        if (!isSuccessful(started.state.current)) return aggregate([started.state.current]);
        continue;
      }
      if (!isTerminal(run.state.current)) return 'running';
      if (!isSuccessful(run.state.current)) return aggregate([run.state.current]);
    }
    return aggregate(runs.map((r) => r!.state.current));
  }

  let active = runs.filter((r) => r && !isTerminal(r.state.current)).length;
  let failed = runs.some((r) => r && isTerminal(r.state.current) && !isSuccessful(r.state.current));
  const limit = list.concurrency > 0 ? list.concurrency : Infinity;
  for (let i = 0; i < list.tasks.length && !failed; i++) {
    if (runs[i]) continue;
    const task = list.tasks[i]!;
    if (list.mode === 'dag') {
      const deps = list.dependsOn?.get(task.id) ?? [];
      // Every dependency ended well (a failed one has already stopped the list).
      if (deps.some((id) => !isTerminal(d.find(scope, id)?.state.current ?? 'CREATED'))) continue;
    }
    if (active >= limit) break;
    startTask(d, task, scope);
    const started = d.find(scope, task.id)!;
    runs[i] = started;
    if (!isTerminal(started.state.current)) active++;
    else if (!isSuccessful(started.state.current)) failed = true;
    // An ended start may release dependants: look at the list again from the top.
    else if (list.mode === 'dag') i = -1;
  }
  if (active > 0) return 'running';
  const ended = runs.filter((r): r is TaskRun => r !== undefined).map((r) => r.state.current);
  if (failed) return aggregate([...ended, 'FAILED']);
  if (ended.length < list.tasks.length) return 'running'; // waiting on dependencies (cannot happen without a cycle)
  return aggregate(ended);
}

/** The lists of a scope: the main one, then `errors` when it failed, then `finally`. */
export interface ScopeLists {
  main: TaskList;
  errors?: TaskList;
  finally?: TaskList;
}

/**
 * Moves a scope forward: its main list; when that failed, its `errors`; then its `finally`.
 * The scope ends in the main list's state (errors handled still leave it FAILED), made worse
 * by a failing `finally`. A killed scope runs neither.
 */
export function progressScope(d: Draft, scope: Scope, lists: ScopeLists): Outcome {
  const main = progressList(d, lists.main, scope);
  if (main === 'running') return 'running';
  if (main === 'KILLED') return main;
  let state: State = main;
  if (main === 'FAILED' && lists.errors && lists.errors.tasks.length > 0) {
    const errors = progressList(d, lists.errors, scope);
    if (errors === 'running') return 'running';
  }
  if (lists.finally && lists.finally.tasks.length > 0) {
    const fin = progressList(d, lists.finally, scope);
    if (fin === 'running') return 'running';
    state = worse(state, fin);
  }
  return state;
}

/** A new attempt, running now. */
export function runningAttempt(d: Draft): TaskRun['attempts'][number] {
  return { state: newState('RUNNING', d.nowIso) };
}

/** Queues a worker job for a task run, and remembers it on the run until its result comes. */
export function dispatch(d: Draft, run: TaskRun, purpose: JobPurpose): TaskRun {
  const attempt = run.attempts.length;
  const id = `${run.id}:${attempt}:${purpose}`;
  const workingDirectoryId = workingDirectoryOf(d, run);
  d.jobs.push({
    id,
    executionId: d.execution.id,
    namespace: d.execution.namespace,
    flowId: d.execution.flowId,
    purpose,
    taskRunId: run.id,
    taskId: run.taskId,
    attempt,
    ...(workingDirectoryId ? { workingDirectoryId } : {}),
  });
  return d.update(run, { control: { ...run.control, job: id } });
}

/** The WorkingDirectory task run a task run is (or is inside), if any: they share its directory. */
function workingDirectoryOf(d: Draft, run: TaskRun): string | undefined {
  for (let id: string | undefined = run.id; id;) {
    const parent = d.run(id);
    if (!parent) return undefined;
    if (d.index.node(parent.taskId).task.type === T.workingDirectory) return parent.id;
    id = parent.parentTaskRunId;
  }
  return undefined;
}

/**
 * Starts a task in a scope. A runnable task gets its first attempt and a `run` job. A task that
 * needs rendering first (If, ForEach, Pause… or any task with `runIf`) gets a `resolve` job; a
 * flowable that needs nothing rendered starts its children at once.
 */
export function startTask(d: Draft, task: FlowTask, scope: Scope): void {
  let run = d.create(task.id, scope);
  run = d.setState(run, 'RUNNING', { attempts: [runningAttempt(d)] });
  if (!isOrchestrated(task.type)) {
    // runIf is rendered by the worker with the task itself: one job either way.
    dispatch(d, run, 'run');
    return;
  }
  if (needsResolve(task)) {
    armTimeout(d, dispatch(d, run, 'resolve'));
    return;
  }
  run = d.update(run, { control: { resolved: {} } });
  progressFlowable(d, armTimeout(d, run));
}

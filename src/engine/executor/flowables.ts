import { toText } from '../../expr/index.js';
import { EACH_PARALLEL } from '../../flow/model.js';
import type { FlowTask } from '../../flow/model.js';
import type { State, TaskRun } from '../model.js';
import { isSuccessful, isTerminal } from '../model.js';
import type { Draft, Scope } from './draft.js';
import { dagListOf, forEachItemParts, listOf, T } from './flow-index.js';
import type { TaskList } from './flow-index.js';
import { childFailureState, interruptOnChildFailure, stillStopping } from './child-failure.js';
import { aggregate, dispatch, progressList, progressScope, setFlowableProgress, worse } from './lists.js';
import type { Outcome, ScopeLists } from './lists.js';

interface FlowableLists {
  tasks: TaskList;
  then: TaskList;
  else: TaskList;
  cases: Record<string, TaskList>;
  defaults: TaskList;
  errors: TaskList;
  finally: TaskList;
  /** Parallel/Dag: what their other tasks become when one fails (`failFast`, `onChildFailure`). */
  onChildFailure?: State;
}

const listCache = new WeakMap<FlowTask, FlowableLists>();

/** The task lists of a flowable (built once per task object). */
function listsOf(task: FlowTask): FlowableLists {
  let lists = listCache.get(task);
  if (lists) return lists;
  const arr = (key: string) => (Array.isArray(task[key]) ? (task[key] as FlowTask[]) : []);
  const concurrency = (key: string) => {
    const n = Number(task[key] ?? 0);
    return Number.isFinite(n) && n > 0 ? n : 0;
  };
  const cases: Record<string, TaskList> = {};
  if (task.cases && typeof task.cases === 'object') {
    for (const [key, list] of Object.entries(task.cases as Record<string, FlowTask[]>))
      cases[key] = listOf(list, 'sequential', 0);
  }
  lists = {
    tasks:
      task.type === T.dag
        ? dagListOf(task.tasks, concurrency('concurrent'))
        : task.type === T.forEachItem
          ? listOf(forEachItemParts(task), 'sequential', 0)
          : listOf(
              arr('tasks'),
              task.type === T.parallel || task[EACH_PARALLEL] === true ? 'parallel' : 'sequential',
              task.type === T.parallel ? concurrency('concurrent') : 0,
            ),
    then: listOf(arr('then'), 'sequential', 0),
    else: listOf(arr('else'), 'sequential', 0),
    cases,
    defaults: listOf(arr('defaults'), 'sequential', 0),
    errors: listOf(arr('errors'), 'sequential', 0),
    finally: listOf(arr('finally'), 'sequential', 0),
  };
  const onChildFailure = childFailureState(task);
  if (onChildFailure) lists.onChildFailure = onChildFailure;
  listCache.set(task, lists);
  return lists;
}

/**
 * Ends a task run: `allowFailure` turns FAILED into WARNING, `allowWarning` WARNING into
 * SUCCESS; the last attempt ends too, and the run forgets its outstanding job.
 */
export function finishRun(d: Draft, run: TaskRun, state: State, outputs?: Record<string, unknown>): TaskRun {
  const task = d.index.node(run.taskId).task;
  let final = state;
  if (final === 'FAILED' && task.allowFailure === true) final = 'WARNING';
  if (final === 'WARNING' && task.allowWarning === true) final = 'SUCCESS';
  return endRunAs(d, run, state, final, outputs);
}

/**
 * Ends a task run in exactly `state`, whatever its `allowFailure` / `allowWarning` say (an
 * Exit sets the states it was given, as Kestra's Exit.update does).
 */
export function endRunIn(d: Draft, run: TaskRun, state: State, outputs?: Record<string, unknown>): TaskRun {
  return endRunAs(d, run, state, state, outputs);
}

/** Ends a run in `final`; its running attempt ends in `attemptState` (before allowFailure). */
function endRunAs(
  d: Draft,
  run: TaskRun,
  attemptState: State,
  final: State,
  outputs?: Record<string, unknown>,
): TaskRun {
  const state = attemptState;
  const attempts = run.attempts.map((a, i) =>
    i === run.attempts.length - 1 && a.state.current === 'RUNNING'
      ? { ...a, state: endState(a.state, state, d.nowIso) }
      : a,
  );
  const control = run.control ? { ...run.control } : undefined;
  if (control) delete control.job;
  const ended = d.setState(run, final, {
    attempts,
    ...(control ? { control } : {}),
    ...(outputs ? { outputs } : {}),
  });
  releaseWorkingDirectory(d, ended);
  return ended;
}

/**
 * Releases the directory of the WorkingDirectory a run ended in (or is) once that WorkingDirectory
 * ended and nothing in it is unfinished: a killed WorkingDirectory ends before its task that is
 * KILLING on a worker, which still uses the directory until it stops.
 */
function releaseWorkingDirectory(d: Draft, run: TaskRun): void {
  let wd: TaskRun | undefined = run;
  while (wd && d.index.node(wd.taskId).task.type !== T.workingDirectory)
    wd = wd.parentTaskRunId ? d.run(wd.parentTaskRunId) : undefined;
  if (!wd || !isTerminal(wd.state.current) || hasUnfinished(d, wd.id)) return;
  d.actions.push({ kind: 'releaseWorkingDirectory', workingDirectoryId: wd.id });
}

function hasUnfinished(d: Draft, runId: string): boolean {
  return d.childrenOf(runId).some((c) => !isTerminal(c.state.current) || hasUnfinished(d, c.id));
}

function endState(record: TaskRun['state'], state: State, now: string): TaskRun['state'] {
  return { ...record, current: state, histories: [...record.histories, { state, date: now }], endDate: now };
}

/** The scope of a flowable's children: they carry its loop value. */
function childScope(run: TaskRun): Scope {
  return { parentId: run.id, ...(run.value !== undefined ? { value: run.value } : {}) };
}

/**
 * Moves a running flowable forward once its control values are resolved: starts or progresses
 * its children, and ends it when they end. Pause, Sleep and Subflow move on events instead.
 */
function progress(d: Draft, run: TaskRun): TaskRun {
  if (run.state.current !== 'RUNNING' || run.control?.job !== undefined) return run;
  const resolved = run.control?.resolved as Record<string, unknown> | undefined;
  if (!resolved) return run;
  const task = d.index.node(run.taskId).task;
  const lists = listsOf(task);
  const scope = childScope(run);
  const withLists = (main: TaskList): ScopeLists => ({ main, errors: lists.errors, finally: lists.finally });
  let outcome: Outcome;
  switch (task.type) {
    case T.parallel:
    case T.dag:
      outcome = lists.onChildFailure
        ? progressInterrupting(d, run, scope, lists, lists.onChildFailure)
        : progressScope(d, scope, withLists(lists.tasks));
      break;
    case T.sequential:
    case T.forEachItem: // its parts: split, items, merge
      outcome = progressScope(d, scope, withLists(lists.tasks));
      break;
    case T.workingDirectory:
      outcome = progressScope(d, scope, withLists(lists.tasks));
      // Its `outputFiles` are collected, and its cache saved, by a `run` job once its tasks
      // ended well (results.ts).
      if (
        outcome !== 'running' &&
        isSuccessful(outcome) &&
        ((Array.isArray(task.outputFiles) && task.outputFiles.length > 0) || task.cache !== undefined)
      ) {
        const waiting = d.update(d.run(run.id)!, { control: { ...run.control, outcome } });
        return dispatch(d, waiting, 'run');
      }
      break;
    case T.allowFailure:
      outcome = progressScope(d, scope, withLists(lists.tasks));
      if (outcome === 'FAILED') outcome = 'WARNING';
      break;
    case T.if:
      outcome = progressScope(d, scope, withLists(resolved.condition === true ? lists.then : lists.else));
      break;
    case T.switch: {
      const key = resolved.value === undefined || resolved.value === null ? '' : toText(resolved.value);
      const matched = Object.hasOwn(lists.cases, key) ? lists.cases[key] : undefined;
      const chosen = matched ?? (lists.defaults.tasks.length > 0 ? lists.defaults : undefined);
      if (!chosen) {
        // As Kestra (SwitchTest.switchImpossible): nothing to run is a failure of the Switch.
        d.log('ERROR', `No case of \`${run.taskId}\` matches \`${key}\` and it has no \`defaults\``, run);
        return finishRun(d, run, 'FAILED');
      }
      outcome = progressScope(d, scope, withLists(chosen));
      // Kestra's Switch outputs: the rendered value, and whether no case matched.
      if (outcome !== 'running')
        return finishRun(d, d.run(run.id)!, outcome, { value: key, defaults: matched === undefined });
      break;
    }
    case T.forEach:
      outcome = progressForEach(d, run, task, lists, resolved).outcome;
      break;
    case T.loop: {
      // ForEach's machinery; its tasks read the item as `item` (worker/variables.ts).
      const { outcome: loopOutcome, iterations } = progressForEach(d, run, task, lists, resolved);
      return loopOutcome === 'running'
        ? run
        : finishRun(d, d.run(run.id)!, loopOutcome, loopOutputs(iterations));
    }
    case T.loopUntil:
      return progressLoop(d, run, lists, resolved);
    case T.pause:
      // Only a resumed Pause with (deprecated) `tasks` is still RUNNING here.
      if (resolved.resumed !== true) return run;
      outcome = progressScope(d, scope, withLists(lists.tasks));
      break;
    default:
      return run; // Pause, Sleep, Subflow, ForEachItem's items: moved by events
  }
  return outcome === 'running' ? run : finishRun(d, d.run(run.id)!, outcome);
}

/**
 * ForEach and Loop: one scope per value (children carry it), `concurrencyLimit` of them at once
 * (0: all; by default 1 for ForEach, 0 for Loop, as in Kestra).
 */
function progressForEach(
  d: Draft,
  run: TaskRun,
  task: FlowTask,
  lists: FlowableLists,
  resolved: Record<string, unknown>,
): { outcome: Outcome; iterations: Outcome[] } {
  // Loop: a failed iteration stops it only with `transmitFailed` (default true), and an
  // iteration ending WARNING does not make it WARNING (Kestra's loop counts failures only).
  const isLoop = task.type === T.loop;
  const transmitFailed = !isLoop || task.transmitFailed !== false;
  const values = Array.isArray(resolved.values) ? (resolved.values as string[]) : [];
  const limitValue = Number(task.concurrencyLimit ?? (task.type === T.loop ? 0 : 1));
  const limit = Number.isFinite(limitValue) && limitValue > 0 ? limitValue : Infinity;
  const scopes = values.map((value, iteration): Scope => ({ parentId: run.id, value, iteration }));
  const started = (scope: Scope) => lists.tasks.tasks.some((t) => d.find(scope, t.id) !== undefined);
  const outcomes: Outcome[] = [];
  let active = 0;
  let failed = false;
  for (const scope of scopes) {
    if (!started(scope)) {
      outcomes.push('running');
      continue;
    }
    const outcome = progressScope(d, scope, { main: lists.tasks });
    outcomes.push(outcome);
    if (outcome === 'running') active++;
    else if (!isSuccessful(outcome) && transmitFailed) failed = true;
  }
  for (let i = 0; i < scopes.length && !failed && active < limit; i++) {
    const scope = scopes[i]!;
    if (started(scope) || lists.tasks.tasks.length === 0) continue;
    const outcome = progressScope(d, scope, { main: lists.tasks });
    outcomes[i] = outcome;
    if (outcome === 'running') active++;
    else if (!isSuccessful(outcome) && transmitFailed) failed = true;
  }
  if (active > 0) return { outcome: 'running', iterations: outcomes };
  const ended = outcomes.filter((o): o is State => o !== 'running');
  const main: State = failed
    ? aggregate([...ended, 'FAILED'])
    : lists.tasks.tasks.length === 0 || isLoop
      ? 'SUCCESS'
      : aggregate(ended);
  const scope = { parentId: run.id, ...(run.value !== undefined ? { value: run.value } : {}) };
  return { outcome: afterMain(d, scope, main, lists), iterations: outcomes };
}

/** A Loop's outputs once it ended: how many iterations, and how many ended in each state. */
function loopOutputs(iterations: readonly Outcome[]): Record<string, unknown> {
  const terminatedIterations: Record<string, number> = {};
  for (const outcome of iterations)
    if (outcome !== 'running') terminatedIterations[outcome] = (terminatedIterations[outcome] ?? 0) + 1;
  return { iterationCount: iterations.length, runningIterations: 0, terminatedIterations };
}

/**
 * A Parallel or Dag with `failFast` or `onChildFailure`: once a task failed, the others are
 * interrupted (child-failure.ts); the flowable ends FAILED once they all stopped, then runs its
 * `errors` and `finally`.
 */
function progressInterrupting(
  d: Draft,
  run: TaskRun,
  scope: Scope,
  lists: FlowableLists,
  state: State,
): Outcome {
  let main = progressList(d, lists.tasks, scope);
  const current = interruptOnChildFailure(d, run, scope, lists.tasks, state);
  if (current.control?.interruptedBy === undefined)
    return main === 'running' ? main : afterMain(d, scope, main, lists);
  if (current !== run) main = progressList(d, lists.tasks, scope); // the interrupted ones ended
  if (main === 'running' || stillStopping(d, scope, lists.tasks)) return 'running';
  // Killed by failFast, not by a user: the cause is a failure (as Kestra's Parallel reads it).
  if (main === 'KILLED' && d.execution.state.current !== 'KILLING') main = 'FAILED';
  return afterMain(d, scope, main, lists);
}

/** `errors` (when the main part failed) and `finally` of a flowable whose main part is done. */
function afterMain(d: Draft, scope: Scope, main: State, lists: FlowableLists): Outcome {
  if (main === 'KILLED') return main;
  if (main === 'FAILED' && lists.errors.tasks.length > 0) {
    if (progressList(d, lists.errors, scope) === 'running') return 'running';
  }
  if (lists.finally.tasks.length > 0) {
    const fin = progressList(d, lists.finally, scope);
    if (fin === 'running') return 'running';
    return worse(main, fin);
  }
  return main;
}

interface LoopControl {
  iteration: number;
  startedAt: string;
  /** Waiting for the timer before the next iteration. */
  waiting?: boolean;
  /** The condition's value after this iteration, once evaluated. */
  result?: boolean;
}

/** LoopUntil: run the tasks, evaluate the condition, wait `interval`, again, within the limits. */
function progressLoop(
  d: Draft,
  input: TaskRun,
  lists: FlowableLists,
  resolved: Record<string, unknown>,
): TaskRun {
  let run = input;
  let loop = run.control?.loop as LoopControl | undefined;
  if (!loop) {
    loop = { iteration: 0, startedAt: d.nowIso };
    run = d.update(run, { control: { ...run.control, loop }, outputs: { iterationCount: 1 } });
  }
  if (loop.waiting) return run;
  // Iterations are told apart by `iteration` only: their outputs replace the previous ones
  // (Kestra: `outputs.<task>` inside a LoopUntil is the latest iteration's).
  const scope: Scope = { ...childScope(run), iteration: loop.iteration };
  const outcome = progressScope(d, scope, { main: lists.tasks });
  if (outcome === 'running') return d.run(run.id)!;
  run = d.run(run.id)!;
  const end = (state: State) => {
    const after = afterMain(d, { parentId: run.id }, state, lists);
    return after === 'running' ? d.run(run.id)! : finishRun(d, d.run(run.id)!, after);
  };
  if (!isSuccessful(outcome)) return end(outcome);
  const check = (resolved.checkFrequency ?? {}) as {
    maxIterations?: number;
    maxDuration?: number;
    interval?: number;
  };
  // Kestra ≥ 0.23: no limits unless given; one minute between iterations. As in Kestra, the
  // limits are checked before the condition: the last allowed iteration ends the loop.
  const maxIterations = check.maxIterations ?? Infinity;
  const maxDuration = check.maxDuration ?? Infinity;
  const elapsed = d.env.now.getTime() - Date.parse(loop.startedAt);
  if (loop.iteration + 1 >= maxIterations || elapsed > maxDuration) {
    const reason =
      loop.iteration + 1 >= maxIterations ? `${maxIterations} iterations` : 'its maximum duration';
    const fail = resolved.failOnMaxReached === true;
    d.log(fail ? 'ERROR' : 'WARN', `\`${run.taskId}\` reached ${reason}, its limit`, run);
    return end(fail ? 'FAILED' : 'SUCCESS');
  }
  if (loop.result === undefined) return dispatch(d, run, 'evaluate');
  if (loop.result) return end(outcome);
  const next: LoopControl = { iteration: loop.iteration + 1, startedAt: loop.startedAt, waiting: true };
  d.timers.push({
    executionId: d.execution.id,
    at: new Date(d.env.now.getTime() + (check.interval ?? 60_000)).toISOString(),
    event: { kind: 'timer', purpose: 'loopNext', taskRunId: run.id },
    key: `${run.id}:loop`,
  });
  return d.update(run, { control: { ...run.control, loop: next } });
}

setFlowableProgress(progress);

export { progress as progressFlowable };

/**
 * Parallel `failFast` and Parallel/Dag `onChildFailure`: once a direct child has failed (no
 * retry left), every task run still going under the flowable, at any depth, is interrupted into
 * one state (KILLED, CANCELLED or FAILED). One that a worker runs is aborted and stays KILLING
 * until the worker answers; the others end at once; a Subflow's child execution is killed.
 */
import type { FlowTask } from '../../flow/model.js';
import type { State, TaskRun } from '../model.js';
import { isTerminal } from '../model.js';
import type { Draft, Scope } from './draft.js';
import { T } from './flow-index.js';
import type { TaskList } from './flow-index.js';
import { finishRun } from './flowables.js';
import { interruptRun } from './results.js';

/** The state a Parallel or Dag interrupts its other tasks into when one fails; undefined: they go on. */
export function childFailureState(task: FlowTask): State | undefined {
  if (task.type === T.parallel && task.failFast === true) return 'KILLED';
  if (task.type !== T.parallel && task.type !== T.dag) return undefined;
  const policy = typeof task.onChildFailure === 'string' ? task.onChildFailure : 'CONTINUE';
  switch (policy.toUpperCase()) {
    case 'CANCEL':
    case 'CANCELLED':
      return 'CANCELLED';
    case 'FAIL':
    case 'FAILED':
      return 'FAILED';
    default:
      return undefined; // CONTINUE, and (as Kestra reads it) any other value
  }
}

/**
 * Interrupts the flowable's other tasks when one of its direct children has failed and it did
 * not already; returns the flowable's run (marked as interrupted when it did).
 */
export function interruptOnChildFailure(
  d: Draft,
  parent: TaskRun,
  scope: Scope,
  list: TaskList,
  state: State,
): TaskRun {
  if (parent.control?.interruptedBy !== undefined) return parent;
  let cause: TaskRun | undefined;
  for (const task of list.tasks) {
    const run = d.find(scope, task.id);
    if (run?.state.current === 'FAILED') {
      cause = run;
      break;
    }
  }
  if (!cause) return parent;
  const abort: string[] = [];
  for (const run of unfinishedUnder(d, parent.id)) {
    const current = d.run(run.id)!;
    if (isTerminal(current.state.current) || current.state.current === 'KILLING') continue;
    d.log('WARN', `Task terminated because sibling task '${cause.taskId}' failed`, current);
    const job = interruptRun(d, current);
    if (job === undefined) {
      finishRun(d, current, state);
      continue;
    }
    abort.push(job);
    d.setState(current, 'KILLING', { control: { ...current.control, interruptAs: state } });
  }
  if (abort.length > 0) d.actions.push({ kind: 'abortJobs', jobIds: abort });
  return d.update(d.run(parent.id)!, { control: { ...parent.control, interruptedBy: cause.taskId } });
}

/** Whether an interrupted task of the list is still stopping (KILLING on its worker), at any depth. */
export function stillStopping(d: Draft, scope: Scope, list: TaskList): boolean {
  return list.tasks.some((task) => {
    const run = d.find(scope, task.id);
    return run !== undefined && (!isTerminal(run.state.current) || unfinishedUnder(d, run.id).length > 0);
  });
}

/** The unfinished task runs under a task run, parents before their children. */
function unfinishedUnder(d: Draft, runId: string): TaskRun[] {
  const out: TaskRun[] = [];
  const visit = (id: string) => {
    for (const child of d.childrenOf(id)) {
      if (!isTerminal(child.state.current)) out.push(child);
      visit(child.id);
    }
  };
  visit(runId);
  return out;
}

/**
 * Replay: a new execution of the same flow with the same inputs, either from the start or from
 * one task run of the old execution (what ended before that task run started is kept; that
 * task run and everything after it runs again).
 */
import type { Execution, TaskRun } from '../model.js';
import { isTerminal } from '../model.js';
import { moveState, newState } from './draft.js';
import type { FlowIndex } from './flow-index.js';
import type { StepEnvironment } from './types.js';

/** Slots whose runs reacted to the old outcome: never kept. */
const REACTIVE = new Set(['errors', 'finally', 'afterExecution']);

export class ReplayError extends Error {
  readonly code = 'WH_REPLAY_INVALID' as const;
}

/** The new execution (CREATED; the runtime admits it like any new execution). */
export function replayExecution(
  index: FlowIndex,
  source: Execution,
  env: StepEnvironment,
  options: { fromTaskRunId?: string; revision?: number } = {},
): Execution {
  const now = env.now.toISOString();
  const id = env.newId();
  const execution: Execution = {
    id,
    namespace: source.namespace,
    flowId: source.flowId,
    flowRevision: options.revision ?? source.flowRevision,
    state: newState('CREATED', now),
    inputs: source.inputs,
    labels: source.labels,
    ...(source.trigger ? { trigger: source.trigger } : {}),
    taskRunList: [],
    originalId: source.originalId ?? source.id,
    ...(source.parent ? { parent: source.parent } : {}),
    control: { replayOf: source.id },
    version: 1,
  };
  if (options.fromTaskRunId === undefined) return execution;

  const byId = new Map(source.taskRunList.map((r) => [r.id, r]));
  const target = byId.get(options.fromTaskRunId);
  if (!target) throw new ReplayError(`Task run ${options.fromTaskRunId} is not in execution ${source.id}`);
  const ancestors = new Set<string>();
  for (let p = target.parentTaskRunId; p; p = byId.get(p)?.parentTaskRunId) ancestors.add(p);
  const descends = (run: TaskRun): boolean => {
    for (let p: string | undefined = run.id; p; p = byId.get(p)?.parentTaskRunId)
      if (p === target.id) return true;
    return false;
  };
  const startedAt = target.state.startDate;
  const kept = source.taskRunList.filter((run) => {
    if (ancestors.has(run.id)) return true;
    if (run.id === target.id || descends(run) || REACTIVE.has(index.nodes.get(run.taskId)?.slot ?? ''))
      return false;
    if (!isTerminal(run.state.current) || run.state.current === 'FAILED' || run.state.current === 'KILLED')
      return false;
    return (
      run.state.endDate !== undefined &&
      run.state.endDate <= startedAt &&
      !descendsFromDropped(run, byId, ancestors, target.id)
    );
  });
  const keptIds = new Set(kept.map((r) => r.id));
  // A run is kept only with its parents; new ids keep the tree.
  const finalRuns = kept.filter((r) => !r.parentTaskRunId || keptIds.has(r.parentTaskRunId));
  const newIds = new Map(finalRuns.map((r) => [r.id, env.newId()]));
  execution.taskRunList = finalRuns.map((run) => {
    const copy: TaskRun = {
      ...run,
      id: newIds.get(run.id)!,
      executionId: id,
      ...(run.parentTaskRunId ? { parentTaskRunId: newIds.get(run.parentTaskRunId)! } : {}),
    };
    if (ancestors.has(run.id)) {
      copy.state = moveState(run.state, 'RUNNING', now);
      const control = { ...run.control };
      delete control.job;
      copy.control = control;
    }
    return copy;
  });
  return execution;
}

/** Whether a run sits under a run that is dropped (not an ancestor of the target). */
function descendsFromDropped(
  run: TaskRun,
  byId: Map<string, TaskRun>,
  ancestors: Set<string>,
  targetId: string,
): boolean {
  for (let p = run.parentTaskRunId; p; p = byId.get(p)?.parentTaskRunId) {
    if (p === targetId) return true;
    if (ancestors.has(p)) return false;
  }
  return false;
}

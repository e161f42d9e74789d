/**
 * The variables the outputs debugger renders against: what the worker gives a task's templates
 * (src/engine/worker/variables.ts) for a finished execution — flow, execution, inputs, vars,
 * labels, outputs and tasks (keyed by loop value under ForEach and Loop), trigger. `envs` is
 * empty: the server's environment stays on the server.
 */
import type { Execution, Label, TaskRun } from '../../../api/types';

/** The parts of the execution's flow revision the variables read. */
export interface FlowDefinition {
  variables?: Record<string, unknown>;
  tasks?: unknown[];
}

/** Each task's type by id, found anywhere in the flow (tasks, then, cases, errors, finally…). */
export function taskTypes(definition: unknown): Map<string, string> {
  const types = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string' && typeof record.type === 'string') types.set(record.id, record.type);
      Object.values(record).forEach(visit);
    }
  };
  visit(definition);
  return types;
}

/** ForEach and Loop (any alias): their children's outputs are keyed by the child's value. */
const isEachType = (type: string | undefined) => /(^|\.)(ForEach|Loop)$/.test(type ?? '');

/** `labels`: dotted keys nest (`labels.system.correlationId`) and also answer as written. */
function labelsVariable(labels: readonly Label[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of labels) {
    const parts = key.split('.');
    let node: Record<string, unknown> | undefined = out;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = node[part];
      if (next === undefined) node = node[part] = {};
      else if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
      else {
        node = undefined;
        break;
      }
    }
    const last = parts[parts.length - 1]!;
    if (node && typeof node[last] !== 'object') node[last] = value;
    if (parts.length > 1)
      Object.defineProperty(out, key, { value, enumerable: false, configurable: true, writable: true });
  }
  return out;
}

/** By task id, then by loop value for runs under ForEach/Loop (later runs win). */
function byTask(
  runs: readonly TaskRun[],
  types: ReadonlyMap<string, string>,
  pick: (run: TaskRun) => unknown,
): Record<string, unknown> {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const out: Record<string, unknown> = {};
  for (const run of runs) {
    const value = pick(run);
    if (value === undefined) continue;
    const loop: string[] = [];
    for (let current: TaskRun | undefined = run; current;) {
      const parent: TaskRun | undefined = current.parentTaskRunId
        ? byId.get(current.parentTaskRunId)
        : undefined;
      if (parent && current.value !== undefined && isEachType(types.get(parent.taskId)))
        loop.unshift(current.value);
      current = parent;
    }
    const path = [run.taskId, ...loop];
    let node = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = (next !== null && typeof next === 'object' ? next : (node[key] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return out;
}

/** The variables of an execution, as its tasks' templates saw them. */
export function debugVariables(
  execution: Execution,
  flow: FlowDefinition | undefined,
): Record<string, unknown> {
  const types = taskTypes(flow?.tasks ?? []);
  const runs = execution.taskRunList;
  const vars: Record<string, unknown> = {
    flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision },
    execution: {
      id: execution.id,
      startDate: execution.state.startDate,
      state: execution.state.current,
      originalId: execution.originalId ?? execution.id,
    },
    inputs: execution.inputs ?? {},
    vars: flow?.variables ?? {},
    labels: labelsVariable(execution.labels),
    outputs: byTask(runs, types, (run) => run.outputs),
    tasks: byTask(runs, types, (run) => ({ state: run.state.current })),
    envs: {},
    globals: {},
  };
  if (execution.trigger) vars.trigger = execution.trigger.variables;
  return vars;
}

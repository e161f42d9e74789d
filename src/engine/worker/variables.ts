/**
 * The variables a task's templates see (Kestra's run context): flow, execution, inputs, vars,
 * outputs and tasks (keyed by loop value inside ForEach), taskrun, parent/parents,
 * workerTaskrun, labels, trigger, envs. Pure: built from the execution as committed.
 */
import type { Flow, FlowTask } from '../../flow/model.js';
import type { Label } from '../../flow/model.js';
import type { Execution, State, TaskRun } from '../model.js';
import { T } from '../executor/flow-index.js';
import type { FlowIndex } from '../executor/flow-index.js';
import { OWN_LOOP_VALUE } from '../../expr/index.js';

/** The loop levels a task run sits in, outermost first: the values of its ForEach iterations. */
export function loopPath(execution: IndexedExecution, run: TaskRun): string[] {
  const path: string[] = [];
  for (let current: TaskRun | undefined = run; current; current = execution.parentOf(current)) {
    const parent = execution.parentOf(current);
    if (parent && current.value !== undefined && isEachType(execution.typeOf(parent)))
      path.push(current.value);
  }
  return path.reverse();
}

/** ForEach and Loop: their children carry one item each, and their outputs are keyed by it. */
function isEachType(type: string | undefined): boolean {
  return type === T.forEach || type === T.loop;
}

/** One Loop iteration a task run sits in: Kestra's `item` (`LoopRun`). */
interface LoopItem {
  loopRunId: string;
  index: number;
  value: string;
  key?: string;
}

/** The Loop iterations a task run sits in, outermost first. */
function loopItemsOf(indexed: IndexedExecution, run: TaskRun): LoopItem[] {
  const items: LoopItem[] = [];
  for (let current: TaskRun | undefined = run; current; current = indexed.parentOf(current)) {
    const parent = indexed.parentOf(current);
    if (!parent || indexed.typeOf(parent) !== T.loop) continue;
    if (current.iteration === undefined || current.value === undefined) continue;
    const keys = (parent.control?.resolved as { keys?: unknown } | undefined)?.keys;
    const key: unknown = Array.isArray(keys) ? (keys as unknown[])[current.iteration] : undefined;
    items.push({
      loopRunId: parent.id,
      index: current.iteration,
      value: current.value,
      ...(typeof key === 'string' ? { key } : {}),
    });
  }
  return items.reverse();
}

/** `item`, `item.parent` and `item.parents` as Kestra shows a LoopRun. */
function itemVariable(items: readonly LoopItem[]): Record<string, unknown> {
  const shown = ({ index, value, key }: LoopItem) => ({
    index,
    value,
    ...(key !== undefined ? { key } : {}),
  });
  const item: Record<string, unknown> = shown(items[items.length - 1]!);
  if (items.length > 1) {
    const parents = items.slice(0, -1).map(shown);
    item.parents = parents;
    item.parent = parents[parents.length - 1];
  }
  return item;
}

/**
 * `outputs` inside Loop iterations: as everywhere, plus the outputs of the tasks of the same
 * iterations by task id alone (`outputs.<id>.value`), as Kestra runs each iteration in its own
 * context. Inner iterations win over outer ones.
 */
function iterationOutputs(indexed: IndexedExecution, items: readonly LoopItem[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...indexed.outputs() };
  for (const level of items) {
    for (const other of indexed.execution.taskRunList) {
      if (other.outputs !== undefined && indexed.iterationUnder(other, level.loopRunId) === level.index)
        out[other.taskId] = other.outputs;
    }
  }
  return out;
}

/** An execution with its task runs indexed by id, and each task's type. */
export class IndexedExecution {
  /** Built on first use: a task at the top level outside any loop never needs it. */
  private byIdIndex: Map<string, TaskRun> | undefined;
  private outputsCache: Record<string, unknown> | undefined;
  private tasksCache: Record<string, unknown> | undefined;

  constructor(
    readonly execution: Execution,
    readonly flow: Flow,
    private readonly index: FlowIndex,
  ) {}

  private get byId(): Map<string, TaskRun> {
    if (this.byIdIndex === undefined) {
      this.byIdIndex = new Map();
      for (const run of this.execution.taskRunList) this.byIdIndex.set(run.id, run);
    }
    return this.byIdIndex;
  }

  run(id: string): TaskRun | undefined {
    return this.byId.get(id);
  }

  parentOf(run: TaskRun): TaskRun | undefined {
    return run.parentTaskRunId ? this.byId.get(run.parentTaskRunId) : undefined;
  }

  typeOf(run: TaskRun): string | undefined {
    return this.index.nodes.get(run.taskId)?.task.type;
  }

  /** The iteration of the Loop (or ForEach) run `loopRunId` that a task run sits in, if any. */
  iterationUnder(run: TaskRun, loopRunId: string): number | undefined {
    for (let current: TaskRun | undefined = run; current; current = this.parentOf(current))
      if (current.parentTaskRunId === loopRunId) return current.iteration;
    return undefined;
  }

  /** `outputs`: by task id, then by loop value for tasks inside ForEach (later runs win). */
  outputs(): Record<string, unknown> {
    return (this.outputsCache ??= this.byTask((run) => run.outputs));
  }

  /** `tasks`: `{state}` by task id, keyed by loop value like outputs. */
  tasks(): Record<string, unknown> {
    return (this.tasksCache ??= this.byTask((run) => ({ state: run.state.current })));
  }

  private byTask(pick: (run: TaskRun) => Record<string, unknown> | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const run of this.execution.taskRunList) {
      const value = pick(run);
      if (value === undefined) continue;
      const path = [run.taskId, ...loopPath(this, run)];
      let node = out;
      for (let i = 0; i < path.length - 1; i++) {
        const key = path[i]!;
        const next = node[key];
        node = (next !== null && typeof next === 'object' ? next : (node[key] = {})) as Record<
          string,
          unknown
        >;
      }
      node[path[path.length - 1]!] = value;
    }
    return out;
  }
}

/** Where the variables are for. */
export interface VariablesFor {
  indexed: IndexedExecution;
  /** Absent for the flow's `outputs`. */
  run?: TaskRun;
  task?: FlowTask;
  /** Environment variables (`ENV_*` become `envs.*`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory path, when the task has one. */
  workingDir?: string;
  /** The state shown as `execution.state` (the final one while afterExecution runs). */
  executionState?: State;
}

/** Builds the variables; `outputs`, `tasks` and `labels` are computed only if a template reads them. */
export function buildVariables(input: VariablesFor): Record<string, unknown> {
  const { indexed, run, task } = input;
  const execution = indexed.execution;
  const flow = indexed.flow;
  const vars: Record<string, unknown> = {
    flow: { id: flow.id, namespace: flow.namespace, revision: execution.flowRevision },
    execution: {
      id: execution.id,
      startDate: execution.state.startDate,
      state: input.executionState ?? execution.state.current,
      originalId: execution.originalId ?? execution.id,
    },
    inputs: execution.inputs,
    vars: flow.variables,
    labels: undefined,
    envs: envsOf(input.env),
    globals: {},
  };
  if (execution.trigger) vars.trigger = execution.trigger.variables;
  if (input.workingDir !== undefined) {
    vars.workingDir = input.workingDir;
    // Script tasks make this folder and keep its files as output files (plugins/scripts/run).
    vars.outputDir = `${input.workingDir}/_output`;
  }
  let labels: Record<string, unknown> | undefined;
  Object.defineProperty(vars, 'labels', {
    enumerable: true,
    get: () => (labels ??= labelsVariable(execution.labels)),
  });
  Object.defineProperty(vars, 'tasks', { enumerable: true, get: () => indexed.tasks() });
  const items = run ? loopItemsOf(indexed, run) : [];
  if (items.length > 0) {
    vars.item = itemVariable(items);
    let outputs: Record<string, unknown> | undefined;
    Object.defineProperty(vars, 'outputs', {
      enumerable: true,
      get: () => (outputs ??= iterationOutputs(indexed, items)),
    });
  } else Object.defineProperty(vars, 'outputs', { enumerable: true, get: () => indexed.outputs() });
  if (run && task) {
    vars.task = { id: task.id, type: task.type };
    const taskrun = taskrunOf(run);
    // currentEachOutput() reads whether this run's own value is a loop level (it is propagated
    // to the tasks under a ForEach's child, where it is not).
    Object.defineProperty(taskrun, OWN_LOOP_VALUE, { value: isLoopLevel(indexed, run) });
    vars.taskrun = taskrun;
    const { parents, workingDirectory } = ancestorsOf(indexed, run);
    vars.parents = parents;
    if (parents.length > 0) vars.parent = parents[0];
    if (workingDirectory) vars.workerTaskrun = taskrunOf(workingDirectory);
  }
  return vars;
}

/** `taskrun`: what Kestra's run context shows of a task run. */
function taskrunOf(run: TaskRun): Record<string, unknown> {
  return {
    id: run.id,
    startDate: run.state.startDate,
    attemptsCount: Math.max(0, run.attempts.length - 1),
    ...(run.parentTaskRunId ? { parentId: run.parentTaskRunId } : {}),
    ...(run.value !== undefined ? { value: run.value } : {}),
    ...(run.iteration !== undefined ? { iteration: run.iteration } : {}),
  };
}

/** Whether a run's value is the item of a ForEach level (`taskrun.value`): it is a ForEach's child. */
function isLoopLevel(indexed: IndexedExecution, run: TaskRun): boolean {
  const parent = indexed.parentOf(run);
  return run.value !== undefined && parent !== undefined && indexed.typeOf(parent) === T.forEach;
}

/** One entry of `parents`: an enclosing task run's loop value and outputs. */
interface ParentEntry {
  taskrun?: { value: string };
  outputs?: Record<string, unknown>;
}

/**
 * `parents` as Kestra builds them: every enclosing task run, nearest first, as
 * `{taskrun: {value}, outputs}`, leaving out those with neither. A value counts where Kestra
 * has one, on a ForEach's children (Windhover also hands it down to their own tasks, as
 * `taskrun.value`). Also the nearest enclosing WorkingDirectory, whose run is `workerTaskrun`.
 */
function ancestorsOf(
  indexed: IndexedExecution,
  run: TaskRun,
): { parents: ParentEntry[]; workingDirectory?: TaskRun } {
  const parents: ParentEntry[] = [];
  let workingDirectory: TaskRun | undefined;
  for (let current = indexed.parentOf(run); current; current = indexed.parentOf(current)) {
    if (!workingDirectory && indexed.typeOf(current) === T.workingDirectory) workingDirectory = current;
    const entry: ParentEntry = {};
    if (isLoopLevel(indexed, current)) entry.taskrun = { value: current.value! };
    if (current.outputs && Object.keys(current.outputs).length > 0) entry.outputs = current.outputs;
    if (entry.taskrun || entry.outputs) parents.push(entry);
  }
  return workingDirectory ? { parents, workingDirectory } : { parents };
}

/**
 * `labels`: a dotted key nests as Kestra nests it (`labels.system.correlationId`); the dotted
 * key itself also answers (`labels['app.name']`), without being listed twice.
 */
export function labelsVariable(labels: readonly Label[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const dotted: Label[] = [];
  for (const label of labels) {
    if (!label.key.includes('.')) out[label.key] = label.value;
    else dotted.push(label);
  }
  for (const { key, value } of dotted) {
    const parts = key.split('.');
    let node: Record<string, unknown> | undefined = out;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = node[part];
      if (next === undefined) node = node[part] = {};
      else if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
      else {
        node = undefined; // a label holds this name already: only the dotted key answers
        break;
      }
    }
    const last = parts[parts.length - 1]!;
    if (node && typeof node[last] !== 'object') node[last] = value;
    Object.defineProperty(out, key, { value, enumerable: false, configurable: true, writable: true });
  }
  return out;
}

const envsCache = new WeakMap<object, Record<string, string>>();

/** `ENV_FOO` → `envs.foo`; read once per environment object (process.env is slow to walk). */
function envsOf(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const hit = envsCache.get(env);
  if (hit) return hit;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('ENV_') && value !== undefined) out[key.slice(4).toLowerCase()] = value;
  }
  envsCache.set(env, out);
  return out;
}

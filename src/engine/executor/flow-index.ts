import type { Flow, FlowTask, RetryPolicy } from '../../flow/model.js';
import { hasRenderedTimeout } from './timeout-spec.js';

/** Canonical type names the executor orchestrates itself (they have no worker `run`). */
export const T = {
  sequential: 'io.kestra.plugin.core.flow.Sequential',
  parallel: 'io.kestra.plugin.core.flow.Parallel',
  if: 'io.kestra.plugin.core.flow.If',
  switch: 'io.kestra.plugin.core.flow.Switch',
  forEach: 'io.kestra.plugin.core.flow.ForEach',
  loop: 'io.kestra.plugin.core.flow.Loop',
  forEachItem: 'io.kestra.plugin.core.flow.ForEachItem',
  dag: 'io.kestra.plugin.core.flow.Dag',
  subflow: 'io.kestra.plugin.core.flow.Subflow',
  pause: 'io.kestra.plugin.core.flow.Pause',
  sleep: 'io.kestra.plugin.core.flow.Sleep',
  workingDirectory: 'io.kestra.plugin.core.flow.WorkingDirectory',
  allowFailure: 'io.kestra.plugin.core.flow.AllowFailure',
  loopUntil: 'io.kestra.plugin.core.flow.LoopUntil',
  /** ForEachItem's second part: one subflow execution per batch (see forEachItemParts). */
  forEachItemItems: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable',
} as const;

/** ForEachItem's runnable parts, which workers run (Kestra's internal task types). */
export const FOR_EACH_ITEM_SPLIT = 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit';
export const FOR_EACH_ITEM_MERGE = 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs';

/** Keys of a ForEachItem task that its `_items` part takes over. */
const ITEMS_KEYS = [
  'namespace',
  'flowId',
  'revision',
  'labels',
  'wait',
  'transmitFailed',
  'inheritLabels',
  'scheduleDate',
  'concurrencyLimit',
  'restartBehavior',
] as const;

const partsCache = new WeakMap<FlowTask, FlowTask[]>();

/**
 * The three tasks a ForEachItem runs, as Kestra models it (their task runs are what users see):
 * `<id>_split` splits the file into batches, `<id>_items` starts one subflow execution per batch,
 * `<id>_merge` gathers the subflow executions' outputs into one file.
 */
export function forEachItemParts(task: FlowTask): FlowTask[] {
  let parts = partsCache.get(task);
  if (parts) return parts;
  const items: FlowTask = { id: `${task.id}_items`, type: T.forEachItemItems };
  for (const key of ITEMS_KEYS) if (task[key] !== undefined) items[key] = task[key];
  // Rendered per batch by the worker (with `taskrun.items`), not before: kept as text.
  if (task.inputs !== undefined) items.inputsTemplate = JSON.stringify(task.inputs);
  parts = [
    { id: `${task.id}_split`, type: FOR_EACH_ITEM_SPLIT, items: task.items, batch: task.batch },
    items,
    { id: `${task.id}_merge`, type: FOR_EACH_ITEM_MERGE },
  ];
  partsCache.set(task, parts);
  return parts;
}

/** Types whose control properties a worker renders before the executor can go on. */
const RESOLVED_TYPES: ReadonlySet<string> = new Set([
  T.if,
  T.switch,
  T.forEach,
  T.loop,
  T.forEachItemItems,
  T.subflow,
  T.pause,
  T.sleep,
  T.loopUntil,
]);

/** Types that hold tasks, and Pause/Sleep/Subflow, which the executor runs without a worker `run`. */
const ORCHESTRATED_TYPES: ReadonlySet<string> = new Set(Object.values(T));

/** A list of tasks (a flow's `tasks`, a flowable's `then`, a Dag's entries…) and how it runs. */
export interface TaskList {
  tasks: FlowTask[];
  /** Dependencies by task id; a list is a DAG when any task has them. */
  dependsOn?: ReadonlyMap<string, readonly string[]>;
  mode: 'sequential' | 'parallel' | 'dag';
  /** Most tasks running at once (0: no limit). */
  concurrency: number;
}

/** A task of the flow and where it sits. */
export interface TaskNode {
  task: FlowTask;
  /** The flowable it is in; undefined at the top level (tasks, errors, finally, afterExecution). */
  parent?: TaskNode;
  /** The list of its parent (or of the flow) it is in: `tasks`, `then`, `errors`, `finally`… */
  slot: string;
  /** The retry policy that applies: its own, else its nearest flowable's, else the flow's. */
  retry?: RetryPolicy;
}

/** The tasks of a flow, indexed for the executor. Built once per flow (cached). */
export class FlowIndex {
  readonly nodes = new Map<string, TaskNode>();
  readonly root: { tasks: TaskList; errors: TaskList; finally: TaskList; afterExecution: TaskList };

  constructor(readonly flow: Flow) {
    for (const name of ['tasks', 'errors', 'finally', 'afterExecution'] as const) {
      for (const task of flow[name]) this.add(task, undefined, name);
    }
    this.root = {
      tasks: listOf(flow.tasks, 'sequential', 0),
      errors: listOf(flow.errors, 'sequential', 0),
      finally: listOf(flow.finally, 'sequential', 0),
      afterExecution: listOf(flow.afterExecution, 'sequential', 0),
    };
  }

  private add(task: FlowTask, parent: TaskNode | undefined, slot: string): void {
    const node: TaskNode = {
      task,
      parent,
      slot,
      retry: (task.retry as RetryPolicy | undefined) ?? parent?.retry ?? this.flow.retry,
    };
    this.nodes.set(task.id, node);
    for (const [childSlot, child] of childTasks(task)) this.add(child, node, childSlot);
  }

  node(taskId: string): TaskNode {
    const node = this.nodes.get(taskId);
    if (!node) throw new Error(`task ${taskId} is not in flow ${this.flow.namespace}.${this.flow.id}`);
    return node;
  }
}

const cache = new WeakMap<Flow, FlowIndex>();

/** The index of a flow (built on first use, then cached with the flow object). */
export function indexFlow(flow: Flow): FlowIndex {
  let index = cache.get(flow);
  if (!index) {
    index = new FlowIndex(flow);
    cache.set(flow, index);
  }
  return index;
}

/** Whether the executor runs this type itself rather than a worker (flowables, Pause, Sleep, Subflow). */
export function isOrchestrated(type: string): boolean {
  return ORCHESTRATED_TYPES.has(type);
}

/** Whether a task needs a worker to render something before it starts (its control values, its runIf). */
export function needsResolve(task: FlowTask): boolean {
  if (RESOLVED_TYPES.has(task.type) || (task.runIf !== undefined && task.runIf !== null)) return true;
  // A `timeout` that is an expression is rendered with the control values.
  if (hasRenderedTimeout(task)) return true;
  // A WorkingDirectory's cache, input and namespace files are written before its tasks start.
  return (
    task.type === T.workingDirectory &&
    (task.inputFiles !== undefined || task.namespaceFiles !== undefined || task.cache !== undefined)
  );
}

/** A list of enabled tasks; a DAG when any declares `dependsOn`. */
export function listOf(
  tasks: readonly FlowTask[] | undefined,
  mode: 'sequential' | 'parallel',
  concurrency: number,
): TaskList {
  const enabled = (tasks ?? []).filter((t) => t.disabled !== true);
  const deps = new Map<string, string[]>();
  for (const t of enabled)
    if (Array.isArray(t.dependsOn))
      deps.set(
        t.id,
        (t.dependsOn as unknown[]).filter((d): d is string => typeof d === 'string'),
      );
  if (deps.size > 0)
    return { tasks: enabled, dependsOn: dropDisabled(deps, enabled), mode: 'dag', concurrency };
  return { tasks: enabled, mode, concurrency };
}

/** A Dag task's `tasks: [{task, dependsOn}]` as a list. */
export function dagListOf(entries: unknown, concurrency: number): TaskList {
  const tasks: FlowTask[] = [];
  const deps = new Map<string, string[]>();
  for (const entry of Array.isArray(entries)
    ? (entries as Array<{ task?: FlowTask; dependsOn?: string[] }>)
    : []) {
    if (!entry.task || entry.task.disabled === true) continue;
    tasks.push(entry.task);
    deps.set(entry.task.id, entry.dependsOn ?? []);
  }
  return { tasks, dependsOn: dropDisabled(deps, tasks), mode: 'dag', concurrency };
}

/** A dependency on a disabled task is met (the task is left out of the execution). */
function dropDisabled(deps: Map<string, string[]>, enabled: readonly FlowTask[]): Map<string, string[]> {
  const ids = new Set(enabled.map((t) => t.id));
  for (const [id, list] of deps)
    deps.set(
      id,
      list.filter((d) => ids.has(d)),
    );
  return deps;
}

/** Every task directly held by a task, with the slot it is in. */
function childTasks(task: FlowTask): Array<[string, FlowTask]> {
  const out: Array<[string, FlowTask]> = [];
  if (task.type === T.forEachItem) for (const part of forEachItemParts(task)) out.push(['tasks', part]);
  for (const [key, value] of Object.entries(task)) {
    if (key === 'tasks' && task.type === T.dag && Array.isArray(value)) {
      for (const entry of value as Array<{ task?: FlowTask }>) if (entry.task) out.push([key, entry.task]);
    } else if (
      ['tasks', 'then', 'else', 'errors', 'finally', 'defaults'].includes(key) &&
      Array.isArray(value)
    ) {
      for (const child of value as FlowTask[]) out.push([key, child]);
    } else if (key === 'cases' && value && typeof value === 'object') {
      for (const list of Object.values(value as Record<string, FlowTask[]>))
        if (Array.isArray(list)) for (const child of list) out.push([key, child]);
    }
  }
  return out.filter(([, t]) => t && typeof t === 'object' && typeof t.id === 'string');
}

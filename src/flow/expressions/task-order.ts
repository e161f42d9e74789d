import type { PluginCatalog } from '../catalog.js';
import { isRecord } from '../schema/prop.js';

/**
 * What may have ended before a point of a flow: a chain of the task subtrees that ended, shared
 * between the tasks that follow (a list of 50,000 tasks would otherwise hold 50,000 copies of
 * growing sets). A DAG task joins the chains of what it depends on.
 */
class Ended {
  constructor(
    readonly parents: readonly Ended[],
    readonly ids: ReadonlySet<string>,
  ) {}

  static readonly NONE = new Ended([], new Set());

  /** These, and then `ids`. */
  then(ids: ReadonlySet<string>): Ended {
    return ids.size === 0 ? this : new Ended([this], ids);
  }

  has(id: string): boolean {
    const stack: Ended[] = [this];
    const seen = new Set<Ended>();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.ids.has(id)) return true;
      for (const parent of node.parents) {
        if (!seen.has(parent)) {
          seen.add(parent);
          stack.push(parent);
        }
      }
    }
    return false;
  }
}

/**
 * Which tasks may have ended before each task starts, from the flow's structure alone: order in
 * a list, `dependsOn` in a DAG list, branches of If and Switch (exclusive), Parallel children
 * (concurrent), and `errors`/`finally` (after the tasks they guard). Used to tell, statically,
 * whether `outputs.x` can exist where it is read.
 */
export interface TaskOrder {
  /** Every task id of the flow, nested ones included. */
  ids: ReadonlySet<string>;
  /** Whether task `earlier` may have ended before task `later` starts. */
  endsBefore(earlier: string, later: string): boolean;
  /** A task's descendants (tasks nested in it, at any depth). */
  descendants: ReadonlyMap<string, ReadonlySet<string>>;
  /** Each task's canonical type. */
  types: ReadonlyMap<string, string>;
}

const PARALLEL_TYPES = new Set(['io.kestra.plugin.core.flow.Parallel']);
const FOR_EACH_ITEM = 'io.kestra.plugin.core.flow.ForEachItem';
const FOR_EACH_ITEM_PARTS = ['_split', '_items', '_merge'] as const;

/** Computes the order of a flow's tasks (the raw flow, as written). */
export function computeTaskOrder(flow: Record<string, unknown>, catalog: PluginCatalog): TaskOrder {
  const ids = new Set<string>();
  const before = new Map<string, Ended>();
  const descendants = new Map<string, Set<string>>();
  const types = new Map<string, string>();

  /** Visits one task given what may have ended before it; returns the ids of its subtree. */
  const visitTask = (task: unknown, done: Ended): Set<string> => {
    const subtree = new Set<string>();
    if (!isRecord(task) || typeof task.id !== 'string') return subtree;
    const id = task.id;
    ids.add(id);
    before.set(id, done);
    subtree.add(id);
    const def = typeof task.type === 'string' ? catalog.lookup('task', task.type) : undefined;
    const inner = new Set<string>();
    if (def) {
      types.set(id, def.type);
      // Branches of If and Switch never see each other: each is visited from the same `done`.
      for (const slot of def.slots) {
        if (slot.name === 'errors' || slot.name === 'finally') continue;
        const value = task[slot.name];
        if (slot.kind === 'tasks' && Array.isArray(value)) {
          addAll(inner, visitList(value, done, PARALLEL_TYPES.has(def.type) ? 'parallel' : 'sequential'));
        } else if (slot.kind === 'taskMap' && isRecord(value)) {
          for (const list of Object.values(value))
            if (Array.isArray(list)) addAll(inner, visitList(list, done, 'sequential'));
        } else if (slot.kind === 'dagTasks' && Array.isArray(value)) {
          const entries = value.map((e) =>
            isRecord(e)
              ? { task: e.task, dependsOn: e.dependsOn }
              : { task: undefined, dependsOn: undefined },
          );
          addAll(inner, visitDag(entries, done));
        } else if (slot.kind === 'task') {
          addAll(inner, visitTask(value, done));
        }
      }
      const afterMain = done.then(new Set(inner));
      for (const name of ['errors', 'finally'] as const) {
        const list = task[name];
        if (Array.isArray(list)) addAll(inner, visitList(list, afterMain, 'sequential'));
      }
    }
    descendants.set(id, inner);
    addAll(subtree, inner);
    // ForEachItem runs as three task runs whose outputs later tasks read (`outputs.<id>_items`).
    if (def?.type === FOR_EACH_ITEM) {
      for (const part of FOR_EACH_ITEM_PARTS) {
        ids.add(`${id}${part}`);
        before.set(`${id}${part}`, done);
        subtree.add(`${id}${part}`);
      }
    }
    return subtree;
  };

  /** A task list: in order, in parallel, or as a DAG when a task has `dependsOn`. */
  const visitList = (list: unknown[], done: Ended, mode: 'sequential' | 'parallel'): Set<string> => {
    if (list.some((t) => isRecord(t) && Array.isArray(t.dependsOn))) {
      return visitDag(
        list.map((t) => ({ task: t, dependsOn: isRecord(t) ? t.dependsOn : undefined })),
        done,
      );
    }
    const all = new Set<string>();
    let acc = done;
    for (const task of list) {
      const subtree = visitTask(task, mode === 'parallel' ? done : acc);
      addAll(all, subtree);
      if (mode === 'sequential') acc = acc.then(subtree);
    }
    return all;
  };

  /** A DAG list: a task sees the subtrees of what it depends on, transitively. */
  const visitDag = (entries: Array<{ task: unknown; dependsOn: unknown }>, done: Ended): Set<string> => {
    const byId = new Map<string, { task: unknown; deps: string[] }>();
    for (const e of entries) {
      if (isRecord(e.task) && typeof e.task.id === 'string') {
        const deps = Array.isArray(e.dependsOn)
          ? e.dependsOn.filter((d): d is string => typeof d === 'string')
          : [];
        byId.set(e.task.id, { task: e.task, deps });
      }
    }
    // What has ended once a task of the list ends: what it saw, then its subtree.
    const endedAfter = new Map<string, Ended>();
    const visiting = new Set<string>();
    const all = new Set<string>();
    const visit = (id: string): Ended => {
      const known = endedAfter.get(id);
      if (known) return known;
      const entry = byId.get(id)!;
      visiting.add(id);
      const parents = entry.deps.filter((dep) => byId.has(dep) && !visiting.has(dep)).map(visit); // unknown ids and cycles are reported elsewhere
      visiting.delete(id);
      const seen = parents.length === 0 ? done : new Ended([done, ...parents], new Set());
      const subtree = visitTask(entry.task, seen);
      addAll(all, subtree);
      const ended = seen.then(subtree);
      endedAfter.set(id, ended);
      return ended;
    };
    for (const id of byId.keys()) visit(id);
    return all;
  };

  const list = (name: string) => (Array.isArray(flow[name]) ? (flow[name] as unknown[]) : []);
  const main = visitList(list('tasks'), Ended.NONE, 'sequential');
  const afterMain = Ended.NONE.then(main);
  const errors = visitList(list('errors'), afterMain, 'sequential');
  const afterErrors = afterMain.then(errors);
  const finallyTasks = visitList(list('finally'), afterErrors, 'sequential');
  visitList(list('afterExecution'), afterErrors.then(finallyTasks), 'sequential');
  return {
    ids,
    endsBefore: (earlier, later) => before.get(later)?.has(earlier) ?? false,
    descendants,
    types,
  };
}

function addAll(target: Set<string>, source: Iterable<string>): void {
  for (const x of source) target.add(x);
}

import type { PluginCatalog } from '../catalog.js';
import { isRecord } from '../schema/prop.js';

/**
 * Which tasks may have ended before each task starts, from the flow's structure alone: order in
 * a list, `dependsOn` in a DAG list, branches of If and Switch (exclusive), Parallel children
 * (concurrent), and `errors`/`finally` (after the tasks they guard). Used to tell, statically,
 * whether `outputs.x` can exist where it is read.
 */
export interface TaskOrder {
  /** Every task id of the flow, nested ones included. */
  ids: ReadonlySet<string>;
  /** Tasks that may have ended before the task starts. */
  before: ReadonlyMap<string, ReadonlySet<string>>;
  /** A task's descendants (tasks nested in it, at any depth). */
  descendants: ReadonlyMap<string, ReadonlySet<string>>;
}

const PARALLEL_TYPES = new Set(['io.kestra.plugin.core.flow.Parallel']);

type Tasks = unknown[];

/** Computes the order of a flow's tasks (the raw flow, as written). */
export function computeTaskOrder(flow: Record<string, unknown>, catalog: PluginCatalog): TaskOrder {
  const ids = new Set<string>();
  const before = new Map<string, Set<string>>();
  const descendants = new Map<string, Set<string>>();

  /** Visits one task given what may have ended before it; returns the ids of its subtree. */
  const visitTask = (task: unknown, done: ReadonlySet<string>): Set<string> => {
    const subtree = new Set<string>();
    if (!isRecord(task) || typeof task.id !== 'string') return subtree;
    const id = task.id;
    ids.add(id);
    before.set(id, new Set(done));
    subtree.add(id);
    const def = typeof task.type === 'string' ? catalog.lookup('task', task.type) : undefined;
    const inner = new Set<string>();
    if (def) {
      const type = def.type;
      const mainSlots = def.slots.filter((s) => s.name !== 'errors' && s.name !== 'finally');
      for (const slot of mainSlots) {
        const value = task[slot.name];
        if (slot.kind === 'tasks' && Array.isArray(value)) {
          const mode = PARALLEL_TYPES.has(type) ? 'parallel' : 'sequential';
          addAll(inner, visitList(value, done, mode));
        } else if (slot.kind === 'taskMap' && isRecord(value)) {
          for (const list of Object.values(value)) if (Array.isArray(list)) addAll(inner, visitList(list, done, 'sequential'));
        } else if (slot.kind === 'dagTasks' && Array.isArray(value)) {
          addAll(inner, visitDag(value.map((e) => (isRecord(e) ? { task: e.task, dependsOn: e.dependsOn } : { task: undefined, dependsOn: undefined })), done));
        } else if (slot.kind === 'task') {
          addAll(inner, visitTask(value, done));
        }
      }
      // Branches of If and Switch never see each other: each is visited from the same `done`.
      const afterMain = union(done, inner);
      for (const name of ['errors', 'finally'] as const) {
        const list = task[name];
        if (Array.isArray(list)) addAll(inner, visitList(list, afterMain, 'sequential'));
      }
    }
    descendants.set(id, inner);
    addAll(subtree, inner);
    return subtree;
  };

  /** A task list: in order, in parallel, or as a DAG when a task has `dependsOn`. */
  const visitList = (list: Tasks, done: ReadonlySet<string>, mode: 'sequential' | 'parallel'): Set<string> => {
    if (list.some((t) => isRecord(t) && Array.isArray(t.dependsOn))) {
      return visitDag(list.map((t) => ({ task: t, dependsOn: isRecord(t) ? t.dependsOn : undefined })), done);
    }
    const all = new Set<string>();
    let acc: ReadonlySet<string> = done;
    for (const task of list) {
      const subtree = visitTask(task, mode === 'parallel' ? done : acc);
      addAll(all, subtree);
      if (mode === 'sequential') acc = union(acc, subtree);
    }
    return all;
  };

  /** A DAG list: a task sees the subtrees of what it depends on, transitively. */
  const visitDag = (entries: Array<{ task: unknown; dependsOn: unknown }>, done: ReadonlySet<string>): Set<string> => {
    const byId = new Map<string, { task: unknown; deps: string[] }>();
    for (const e of entries) {
      if (isRecord(e.task) && typeof e.task.id === 'string') {
        byId.set(e.task.id, { task: e.task, deps: Array.isArray(e.dependsOn) ? e.dependsOn.filter((d): d is string => typeof d === 'string') : [] });
      }
    }
    const subtrees = new Map<string, Set<string>>();
    const visiting = new Set<string>();
    const all = new Set<string>();
    const visit = (id: string): Set<string> => {
      const known = subtrees.get(id);
      if (known) return known;
      const entry = byId.get(id)!;
      visiting.add(id);
      let seen: ReadonlySet<string> = done;
      for (const dep of entry.deps) {
        if (!byId.has(dep) || visiting.has(dep)) continue; // unknown ids and cycles are reported elsewhere
        seen = union(seen, visit(dep));
        seen = union(seen, before.get(dep) ?? new Set());
      }
      visiting.delete(id);
      const subtree = visitTask(entry.task, seen);
      subtrees.set(id, subtree);
      return subtree;
    };
    for (const id of byId.keys()) addAll(all, visit(id));
    return all;
  };

  const list = (name: string) => (Array.isArray(flow[name]) ? (flow[name] as Tasks) : []);
  const main = visitList(list('tasks'), new Set(), 'sequential');
  const errors = visitList(list('errors'), main, 'sequential');
  const finallyTasks = visitList(list('finally'), union(main, errors), 'sequential');
  visitList(list('afterExecution'), union(union(main, errors), finallyTasks), 'sequential');
  return { ids, before, descendants };
}

function addAll(target: Set<string>, source: Iterable<string>): void {
  for (const x of source) target.add(x);
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set(a);
  addAll(out, b);
  return out;
}

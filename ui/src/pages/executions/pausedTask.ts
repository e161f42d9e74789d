/** Finding a flow's task by id through its nested task lists (for a Pause task's onResume inputs). */
import type { FlowDetail, FlowTask } from '../../api/executions';

const CHILD_LISTS = ['tasks', 'then', 'else', 'errors', 'finally', 'cases'] as const;

function* children(task: FlowTask): Generator<FlowTask> {
  for (const key of CHILD_LISTS) {
    const value = task[key];
    if (Array.isArray(value)) yield* value as FlowTask[];
    else if (key === 'cases' && value && typeof value === 'object')
      for (const list of Object.values(value as Record<string, FlowTask[]>))
        if (Array.isArray(list)) yield* list;
  }
}

/** The task with `id` anywhere in the flow, or undefined. */
export function findTask(flow: FlowDetail, id: string): FlowTask | undefined {
  const stack: FlowTask[] = [...(flow.tasks ?? []), ...(flow.errors ?? []), ...(flow.finally ?? [])];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (task.id === id) return task;
    stack.push(...children(task));
  }
  return undefined;
}

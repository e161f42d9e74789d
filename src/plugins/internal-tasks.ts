/**
 * Task types the engine makes itself (ForEachItem's parts): not in the catalog, never in a flow.
 * Each is imported when a worker first runs it.
 */
import type { TaskPlugin } from './api.js';

const INTERNAL_TASKS: ReadonlyMap<string, () => Promise<{ default: TaskPlugin }>> = new Map([
  [
    'io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit',
    () => import('./core/flow/for-each-item/split.js'),
  ],
  [
    'io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable',
    () => import('./core/flow/for-each-item/items.js'),
  ],
  [
    'io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs',
    () => import('./core/flow/for-each-item/merge.js'),
  ],
]);

/** The names of the internal task types. */
export const INTERNAL_TASK_TYPES: readonly string[] = [...INTERNAL_TASKS.keys()];

/** An internal task type, for the worker; undefined for any other type. */
export async function internalTaskPlugin(type: string): Promise<TaskPlugin | undefined> {
  const load = INTERNAL_TASKS.get(type);
  return load ? (await load()).default : undefined;
}

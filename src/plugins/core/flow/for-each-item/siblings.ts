/**
 * ForEachItem's parts read each other's outputs: the `_items` part the `_split` part's, the
 * `_merge` part the `_items` part's, as Kestra's ForEachItem.extractOutput does. They are siblings
 * under one ForEachItem task run, so a ForEachItem inside a loop finds those of its own iteration.
 */
import { isRecord } from '../../../api.js';
import type { TaskContext } from '../../../api.js';

/** The outputs of the part `suffix` (`_split`, `_items`) of the same ForEachItem task run. */
export function siblingOutputs(ctx: TaskContext, suffix: string): Record<string, unknown> | undefined {
  const runs = ctx.execution().taskRunList;
  const list = Array.isArray(runs) ? runs.filter(isRecord) : [];
  const own = list.find((r) => r.id === ctx.run.taskRunId);
  const base = ctx.run.taskId.slice(0, ctx.run.taskId.lastIndexOf('_'));
  const sibling = list.find(
    (r) => r.taskId === `${base}${suffix}` && r.parentTaskRunId === own?.parentTaskRunId,
  );
  return sibling && isRecord(sibling.outputs) ? sibling.outputs : undefined;
}

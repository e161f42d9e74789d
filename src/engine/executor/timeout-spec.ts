/**
 * A task's `timeout` as the executor reads it: a literal ISO-8601 duration is parsed once per
 * task object; an expression is rendered by the task's `resolve` job (worker/jobs.ts), which
 * answers it as the control value `timeoutMs`. No imports of the executor: the flow index and
 * the worker read it too.
 */
import { parseIsoDuration } from '../../flow/duration.js';
import type { FlowTask } from '../../flow/model.js';
import { isExpression } from '../../flow/schema/prop.js';

/** A literal timeout in ms; `rendered` when it is an expression. */
type TimeoutSpec = number | 'rendered' | undefined;

const specs = new WeakMap<FlowTask, TimeoutSpec>();

function specOf(task: FlowTask): TimeoutSpec {
  if (task.timeout === undefined || task.timeout === null) return undefined;
  if (specs.has(task)) return specs.get(task);
  const text = typeof task.timeout === 'string' ? task.timeout : undefined;
  // Validation makes it a duration (or an expression); anything else arms nothing.
  const spec: TimeoutSpec =
    text === undefined ? undefined : isExpression(text) ? 'rendered' : parseIsoDuration(text);
  specs.set(task, spec);
  return spec;
}

/** Whether a task's `timeout` is an expression, which a worker must render (with its control values). */
export function hasRenderedTimeout(task: FlowTask): boolean {
  return specOf(task) === 'rendered';
}

/** The timeout in ms of a task run: literal, or rendered by its `resolve` job (`resolved` control values). */
export function timeoutMsOf(
  task: FlowTask,
  resolved: Record<string, unknown> | undefined,
): number | undefined {
  const spec = specOf(task);
  if (typeof spec === 'number') return spec;
  if (spec !== 'rendered') return undefined;
  return typeof resolved?.timeoutMs === 'number' ? resolved.timeoutMs : undefined;
}

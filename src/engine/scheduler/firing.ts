/**
 * What an execution started by a trigger carries: inputs rendered with the trigger variables,
 * the trigger's labels (a map or a list) and `system.correlationId`, and the
 * ExecutionTrigger `{id, type, variables}` the flow reads as `trigger.*`.
 */
import { templates } from '../../expr/index.js';
import type { Flow, FlowTrigger, Label } from '../../flow/model.js';
import { textOf } from './conditions.js';
import { labelsVariable } from '../worker/variables.js';
import { CORRELATION_ID } from '../runtime/new-execution.js';

export { CORRELATION_ID } from '../runtime/new-execution.js';

/** Variables a trigger's templates (inputs, condition dates) are rendered with. */
export function renderContext(flow: Flow, variables: Record<string, unknown>): Record<string, unknown> {
  return {
    trigger: variables,
    flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
    labels: labelsVariable(flow.labels),
  };
}

/** A renderer of templates against a context, typed (an expression alone keeps its type). */
export function renderer(context: Record<string, unknown>, timeZone: string): (template: string) => unknown {
  return (template) => templates.renderTyped(template, context, { timeZone });
}

/** Renders the strings of a value (maps and lists deeply) as text. */
export function renderDeep(value: unknown, context: Record<string, unknown>, timeZone: string): unknown {
  if (typeof value === 'string') return templates.render(value, context, { timeZone });
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, context, timeZone));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderDeep(item, context, timeZone)]),
    );
  }
  return value;
}

/** Labels as written on a trigger or a backfill: a map `key: value` or a list of `{key, value}`. */
export function labelList(labels: unknown): Label[] {
  if (Array.isArray(labels)) {
    return (labels as Array<{ key?: unknown; value?: unknown }>)
      .filter((l) => l && l.key !== undefined)
      .map((l) => ({ key: String(l.key), value: textOf(l.value) }));
  }
  if (labels !== null && typeof labels === 'object') {
    return Object.entries(labels).map(([key, value]) => ({ key, value: String(value) }));
  }
  return [];
}

/** The labels of an execution a trigger starts, later ones winning on the same key. */
export function triggerLabels(correlationId: string, ...lists: unknown[]): Label[] {
  const byKey = new Map<string, Label>();
  for (const list of lists) for (const label of labelList(list)) byKey.set(label.key, label);
  byKey.set(CORRELATION_ID, { key: CORRELATION_ID, value: correlationId });
  return [...byKey.values()];
}

/** Whether the trigger is off in the YAML (its own `disabled`, or its flow's). */
export function disabledInFlow(flow: Flow, trigger: FlowTrigger): boolean {
  return flow.disabled === true || trigger.disabled === true || trigger.disabled === 'true';
}

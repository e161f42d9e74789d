/** Building executions: a new one from a submit request, and the empty step of a commit made outside the loop. */
import type { Flow, Label } from '../../flow/model.js';
import { newState } from '../executor/draft.js';
import type { StepResult } from '../executor/types.js';
import { newId } from '../ids.js';
import type { Execution } from '../model.js';
import type { SubmitRequest } from './runtime.js';

/** A new execution in CREATED, for a submit request, labelled `system.correlationId`. */
export function newExecution(flow: Flow, request: SubmitRequest): Execution {
  const id = request.id ?? newId();
  return {
    id,
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision ?? 1,
    state: newState('CREATED', new Date().toISOString()),
    inputs: request.inputs ?? {},
    labels: withCorrelationId(mergeLabels(flow.labels, request.labels ?? []), id),
    taskRunList: [],
    ...(request.trigger ? { trigger: request.trigger } : {}),
    ...(request.originalId ? { originalId: request.originalId } : {}),
    ...(request.parent ? { parent: request.parent } : {}),
    ...(request.scheduleDate ? { scheduleDate: request.scheduleDate } : {}),
    ...(request.control ? { control: request.control } : {}),
    version: 1,
  };
}

export function emptyResult(execution: Execution): StepResult {
  return {
    execution: { ...execution, version: execution.version + 1 },
    changedTaskRuns: [],
    removedTaskRunIds: [],
    jobs: [],
    timers: [],
    events: [],
    actions: [],
    logs: [],
  };
}

/**
 * Flow labels, then the execution's own (which win on the same key). A flow's system labels
 * (`system.readOnly`) describe the flow and are not copied, as in Kestra.
 */
export function mergeLabels(flowLabels: readonly Label[], labels: readonly Label[]): Label[] {
  const keys = new Set(labels.map((l) => l.key));
  return [...flowLabels.filter((l) => !keys.has(l.key) && !l.key.startsWith('system.')), ...labels];
}

/** The label Kestra puts on every execution to tie together those started by one another. */
export const CORRELATION_ID = 'system.correlationId';

/**
 * Labels with `system.correlationId`: the one given (a subflow's or a triggered execution's,
 * from the execution that started it), else the execution's own id, as Kestra sets it.
 */
function withCorrelationId(labels: Label[], executionId: string): Label[] {
  if (labels.some((l) => l.key === CORRELATION_ID)) return labels;
  return [...labels, { key: CORRELATION_ID, value: executionId }];
}

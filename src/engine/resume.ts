/**
 * Resuming a paused execution, as the API, the runtime and the `execution.Resume` task do it:
 * the paused task runs (all, or one), each with the values of its Pause's `onResume` inputs
 * checked and typed as a flow's inputs are. A wrong or missing value refuses the resume
 * (WH_INPUT_INVALID) and the execution stays PAUSED; nothing paused is WH_EXECUTION_STATE.
 */
import { ErrorCodes, WindhoverError } from '../errors.js';
import type { TemplateEngine } from '../expr/index.js';
import type { Flow, FlowInput, FlowTask } from '../flow/model.js';
import { indexFlow } from './executor/flow-index.js';
import type { ExecutorEvent } from './executor/types.js';
import type { Store } from '../store/contract.js';
import type { Execution } from './model.js';
import { checkInputValues } from './runtime/inputs.js';

/** The `onResume` inputs a Pause declares (`name` is the old spelling of `id`). */
function onResumeInputs(task: FlowTask): FlowInput[] {
  if (!Array.isArray(task.onResume)) return [];
  const inputs: FlowInput[] = [];
  for (const entry of task.onResume as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const declared = entry as Record<string, unknown>;
    const id = declared.id ?? declared.name;
    if (typeof id === 'string' && typeof declared.type === 'string')
      inputs.push({ ...(declared as unknown as FlowInput), id });
  }
  return inputs;
}

/**
 * The events that resume an execution's paused task runs (`taskRunId`: only that one) with
 * these raw values (strings from a form, or JSON values). Throws when nothing is paused or
 * when a value is missing or wrong for a Pause's `onResume` inputs.
 */
export function resumeEvents(
  flow: Flow,
  execution: Execution,
  raw: Readonly<Record<string, unknown>>,
  engine: TemplateEngine,
  taskRunId?: string,
): ExecutorEvent[] {
  const paused = execution.taskRunList.filter(
    (run) => run.state.current === 'PAUSED' && (taskRunId === undefined || run.id === taskRunId),
  );
  if (paused.length === 0)
    throw new WindhoverError(
      ErrorCodes.EXECUTION_STATE,
      `Execution ${execution.id} is ${execution.state.current}: ${taskRunId === undefined ? 'no task run is paused' : `task run ${taskRunId} is not paused`}`,
      { executionId: execution.id, state: execution.state.current },
    );
  const index = indexFlow(flow);
  return paused.map((run): ExecutorEvent => {
    const declared = onResumeInputs(index.node(run.taskId).task);
    // Without declared inputs, the values given are the Pause's `onResume` output as they are.
    const inputs =
      declared.length > 0
        ? checkInputValues(declared, raw, engine, {
            namespace: execution.namespace,
            title: `Invalid onResume inputs for \`${run.taskId}\` of execution ${execution.id}`,
          })
        : Object.keys(raw).length > 0
          ? { ...raw }
          : undefined;
    return { kind: 'resume', taskRunId: run.id, ...(inputs !== undefined ? { inputs } : {}) };
  });
}

/** Which execution a task resumes: `executionId` (else its own), of `namespace`/`flowId` when given. */
export interface ResumeTarget {
  executionId?: string;
  namespace?: string;
  flowId?: string;
}

/** What resuming from a task needs: the worker's access to executions, flows and events. */
export interface ResumeServices {
  loadExecution(id: string, fresh?: boolean): Promise<Execution | undefined>;
  loadFlow(namespace: string, flowId: string, revision: number): Promise<Flow | undefined>;
  store: Pick<Store, 'appendEvents'>;
  templates: TemplateEngine;
  /** Wakes the executor of this process, if it has one (another one is woken by the store). */
  eventsAppended?: () => void;
}

/**
 * Resumes an execution from a task (`execution.Resume`) running in `current`: the target's
 * paused task runs go on with these `onResume` values, checked as the API checks them. Answers
 * which execution it resumed.
 */
export async function resumeFromTask(
  services: ResumeServices,
  current: Execution,
  target: ResumeTarget,
  raw: Readonly<Record<string, unknown>>,
): Promise<{ id: string; namespace: string; flowId: string }> {
  const id = target.executionId ?? current.id;
  const found = await services.loadExecution(id, true);
  const ofFlow = target.namespace !== undefined ? ` of flow ${target.namespace}.${target.flowId ?? ''}` : '';
  if (
    !found ||
    (target.namespace !== undefined && found.namespace !== target.namespace) ||
    (target.flowId !== undefined && found.flowId !== target.flowId)
  )
    throw new WindhoverError(ErrorCodes.NOT_FOUND, `No execution ${id}${ofFlow} to resume`, {
      executionId: id,
    });
  const flow = await services.loadFlow(found.namespace, found.flowId, found.flowRevision);
  if (!flow)
    throw new Error(`Flow ${found.namespace}.${found.flowId} revision ${found.flowRevision} not found`);
  const events = resumeEvents(flow, found, raw, services.templates);
  await services.store.appendEvents(events.map((event) => ({ executionId: found.id, event })));
  services.eventsAppended?.();
  return { id: found.id, namespace: found.namespace, flowId: found.flowId };
}

/**
 * One poll of a polling trigger (gcs.Trigger, bigquery.Trigger), run with a task's context: the
 * trigger's properties rendered as a task's are (flow variables, `kv()`, `secret()`, plugin
 * defaults applied at load), files it stores filed under the execution it may start, its log
 * lines masked and written to the process's log (a poll belongs to no execution yet).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Flow, FlowTrigger } from '../../flow/model.js';
import type { TriggerPollOutcome } from '../../plugins/context.js';
import type { TriggerPlugin } from '../../plugins/api.js';
import { indexFlow } from '../executor/flow-index.js';
import type { Execution, TaskRun } from '../model.js';
import { environmentSecrets } from '../secret-mask.js';
import { hostFunctions } from './host-functions.js';
import type { WorkerServices } from './jobs.js';
import { renderTaskProperties } from './render-props.js';
import { createTaskContext } from './task-context.js';
import { buildVariables, IndexedExecution } from './variables.js';

/** What a poll needs to know. */
export interface TriggerPollInput {
  flow: Flow;
  trigger: FlowTrigger;
  plugin: TriggerPlugin & { poll: NonNullable<TriggerPlugin['poll']> };
  /** What the trigger remembered after its last poll. */
  memory: Readonly<Record<string, unknown>> | undefined;
  /** The id the execution it may start will have: its files are stored under it. */
  executionId: string;
  signal: AbortSignal;
}

/** Polls once; a failure (a bad property, an unreachable service) is thrown with its message masked. */
export async function pollTrigger(
  services: WorkerServices,
  input: TriggerPollInput,
): Promise<TriggerPollOutcome> {
  const { flow, trigger } = input;
  const now = new Date().toISOString();
  // The execution the poll would start, as far as it exists: its id, flow and (no) inputs.
  const execution: Execution = {
    id: input.executionId,
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision ?? 1,
    state: { current: 'CREATED', histories: [{ state: 'CREATED', date: now }], startDate: now },
    inputs: {},
    labels: [],
    taskRunList: [],
    version: 0,
  };
  const run: TaskRun = {
    id: `trigger-${trigger.id}`,
    executionId: execution.id,
    namespace: flow.namespace,
    flowId: flow.id,
    taskId: trigger.id,
    attempts: [],
    state: { current: 'RUNNING', histories: [{ state: 'RUNNING', date: now }], startDate: now },
  };
  let mask = environmentSecrets(services.env);
  const host = hostFunctions({
    store: services.store,
    storage: services.storage,
    namespace: flow.namespace,
    executionId: execution.id,
    env: services.env,
    onSecret: (value) => {
      mask = mask.with([value], 1);
    },
  });
  const options = { host, ...(services.timeZone ? { timeZone: services.timeZone } : {}) };
  const vars = buildVariables({
    indexed: new IndexedExecution(execution, flow, indexFlow(flow)),
    env: services.env,
  });
  const renderTyped = (template: string) => services.templates.renderTypedAsync(template, vars, options);
  const where = `trigger ${flow.namespace}.${flow.id}.${trigger.id}`;
  const workingDir = join(services.workRoot, `${execution.id}-trigger`);
  let made = false;
  try {
    const props = await renderTaskProperties(input.plugin.properties, trigger, renderTyped);
    const ctx = createTaskContext({
      services,
      execution,
      run,
      job: {
        id: run.id,
        executionId: execution.id,
        namespace: flow.namespace,
        flowId: flow.id,
        purpose: 'run',
        taskRunId: run.id,
        taskId: trigger.id,
        attempt: 0,
      },
      vars,
      options,
      log: (level, message) => console.log(`${where} ${level}: ${mask.text(message)}`),
      abort: { signal: input.signal },
      workingDirectory: async () => {
        if (!made) await mkdir(workingDir, { recursive: true, mode: 0o700 });
        made = true;
        return workingDir;
      },
      maskSecret: (value) => {
        mask = mask.with([value]);
      },
    });
    return await input.plugin.poll(ctx, props, input.memory);
  } catch (error) {
    throw new Error(mask.text(error instanceof Error ? error.message : String(error)), { cause: error });
  } finally {
    if (made) await rm(workingDir, { recursive: true, force: true });
  }
}

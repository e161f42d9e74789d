/**
 * What a worker does for one job: load the task run's context, check `runIf`, render the
 * properties, then run the plugin (`run`), compute a flowable's control values (`resolve`),
 * evaluate a LoopUntil condition (`evaluate`) or render the flow's outputs (`outputs`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ExpressionError, toIonText, toText } from '../../expr/index.js';
import type { PluginCatalog } from '../../flow/catalog.js';
import type { TemplateEngine } from '../../expr/index.js';
import type { AbortReason, JobAbort } from './job-abort.js';
import { coerceInputValue, isTruthyCondition, parseIsoDuration } from '../../flow/index.js';
import type { Flow, FlowTask } from '../../flow/model.js';
import type { TaskContext, TaskOutcome } from '../../plugins/context.js';
import { TaskFailure } from '../../plugins/context.js';
import type { TaskPlugin } from '../../plugins/api.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { Store } from '../../store/contract.js';
import { indexFlow } from '../executor/flow-index.js';
import { hasRenderedTimeout } from '../executor/timeout-spec.js';
import type { JobResult, WorkerJob } from '../executor/types.js';
import type { Execution, LogEntry, State, TaskRun } from '../model.js';
import { executionSecrets, secretsReadBy } from '../secret-mask.js';
import type { SecretMask } from '../secret-mask.js';
import { hostFunctions } from './host-functions.js';
import { renderTaskProperties, renderValue } from './render-props.js';
import { AttemptLogFile } from './log-file.js';
import { createTaskContext } from './task-context.js';
import { buildVariables, IndexedExecution } from './variables.js';

/** What jobs need from the process they run in. */
export interface WorkerServices {
  store: Store;
  storage: InternalStorage;
  templates: TemplateEngine;
  /**
   * The execution as last committed: from the executor's cache in its process, or, `fresh`,
   * from the store (the job may have been claimed before that executor saw its own commit).
   */
  loadExecution(id: string, fresh?: boolean): Promise<Execution | undefined>;
  /** A revision of a flow. */
  loadFlow(namespace: string, flowId: string, revision: number): Promise<Flow | undefined>;
  /** Environment of the worker: `ENV_*` → `envs`, `SECRET_*` → `secret()`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The catalog flows saved by tasks (SyncFlows) are validated with; default: the built-in one. */
  catalog?: PluginCatalog;
  /** The task types it runs (the built-in registry; tests add their own). */
  taskPlugin: (type: string) => TaskPlugin | undefined | Promise<TaskPlugin | undefined>;
  /** The web UI's address, for links to executions (notifications). */
  publicUrl: string;
  /** Where working directories are made. */
  workRoot: string;
  /** The zone dates render in (default: the process's). */
  timeZone?: string;
  /** Wakes this process's executor: a task appended events (execution.Resume). */
  eventsAppended?: () => void;
}

/** How the worker controls a running job. */
export interface JobControl {
  /** Aborts the job: its reason says why (kill, timeout, shutdown). */
  abort: JobAbort;
  log: (level: LogEntry['level'], message: string, run?: TaskRun) => void;
  /** Called when the job made its working directory. */
  madeDirectory: () => void;
  /** Arms the task's `timeout`. */
  setTimeout: (ms: number, label: string) => void;
}

export type { AbortReason };

/**
 * The latest indexed version of each of the last 64 executions that ran a job. One entry per
 * execution, not per version: keeping the last 64 versions kept each step's copy of a running
 * execution alive long enough to reach the old generation, whose collections cost CPU on every
 * task (a job of an older version holds its own reference; it needs no cache entry).
 */
const indexedCache = new Map<string, IndexedExecution>();

/** The execution indexed for variables; shared by the jobs of one committed version. */
export function indexedFor(execution: Execution, flow: Flow): IndexedExecution {
  const cached = indexedCache.get(execution.id);
  if (cached !== undefined && cached.execution.version === execution.version) return cached;
  const indexed = new IndexedExecution(execution, flow, indexFlow(flow));
  // Deleted first so that the execution moves to the end: the entry evicted is the one used least recently.
  indexedCache.delete(execution.id);
  indexedCache.set(execution.id, indexed);
  if (indexedCache.size > 64) indexedCache.delete(indexedCache.keys().next().value!);
  return indexed;
}

/** How long a job waits for the store to answer before it fails (a store down for good). */
const STORE_WAIT_MS = 5 * 60_000;

/** Calls `read` until it answers (retrying with backoff up to 2 s), for up to STORE_WAIT_MS or until aborted. */
async function untilStoreAnswers<T>(
  read: () => Promise<T>,
  signal: { readonly aborted: boolean },
): Promise<T> {
  const deadline = Date.now() + STORE_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (signal.aborted || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}

/** Runs one job to its result. Throws only for a lost execution or flow (a store problem). */
export async function executeJob(
  services: WorkerServices,
  job: WorkerJob,
  control: JobControl,
  /** The execution read with the claim, if it was. */
  claimed?: Execution,
): Promise<JobResult> {
  // A store that does not answer (a database restart) is waited for: the task has not started.
  let execution =
    claimed ??
    (await untilStoreAnswers(
      () => services.loadExecution(job.executionId, job.purpose === 'outputs'),
      control.abort,
    ));
  // Claimed through the store as soon as its step committed: a cached copy may predate the step.
  if (execution && job.taskRunId && !execution.taskRunList.some((r) => r.id === job.taskRunId))
    execution = await untilStoreAnswers(() => services.loadExecution(job.executionId, true), control.abort);
  if (!execution) throw new Error(`execution ${job.executionId} is not in the store`);
  const flow = await untilStoreAnswers(
    () => services.loadFlow(execution.namespace, execution.flowId, execution.flowRevision),
    control.abort,
  );
  if (!flow)
    throw new Error(
      `flow ${execution.namespace}.${execution.flowId} revision ${execution.flowRevision} is not in the store`,
    );
  // No secret of the process or SECRET input of the execution reaches the job's log lines or
  // its error, whichever task reads it (the values themselves go to the task untouched).
  const secrets: JobSecrets = { mask: executionSecrets(services.env, flow, execution).mask, read: new Set() };
  const logFile =
    job.purpose === 'run' && job.taskId && indexFlow(flow).node(job.taskId).task.logToFile === true
      ? new AttemptLogFile()
      : undefined;
  const jobControl: JobControl = logFile
    ? { ...control, log: (level, message) => logFile.add(level, message) }
    : control;
  let result = await runJob(services, job, jobControl, execution, flow, secrets);
  const known = secretsReadBy(execution);
  const read = [...secrets.read].filter((name) => !known.includes(name));
  if (read.length > 0) result = { ...result, secretsRead: read };
  if (logFile && job.taskId && job.taskRunId) {
    const scope = { namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id };
    try {
      result = {
        ...result,
        logFile: await logFile.save(services.storage, scope, job.taskId, job.taskRunId, job.attempt),
      };
    } catch (error) {
      control.log('WARN', `The log file of this attempt could not be saved: ${errorMessage(error)}`);
    }
  }
  const { mask } = secrets;
  return result.error !== undefined && !mask.empty ? { ...result, error: mask.text(result.error) } : result;
}

/** What a job masks: its execution's secrets, and those its templates read however short. */
interface JobSecrets {
  mask: SecretMask;
  /** Names (upper-cased) of the secrets its templates read: the execution remembers them. */
  read: Set<string>;
}

/** executeJob once its execution and flow are loaded. */
async function runJob(
  services: WorkerServices,
  job: WorkerJob,
  control: JobControl,
  execution: Execution,
  flow: Flow,
  secrets: JobSecrets,
): Promise<JobResult> {
  const indexed = indexedFor(execution, flow);
  const host = hostFunctions({
    store: services.store,
    storage: services.storage,
    namespace: execution.namespace,
    executionId: execution.id,
    env: services.env,
    onSecret: (value, name) => {
      secrets.mask = secrets.mask.with([value], 1);
      secrets.read.add(name);
    },
  });
  const options = { host, ...(services.timeZone ? { timeZone: services.timeZone } : {}) };

  if (job.purpose === 'outputs') {
    const vars = buildVariables({ indexed, env: services.env });
    const render = (t: string) => services.templates.renderTypedAsync(t, vars, options);
    const legacy = execution.control?.subflowOutputs;
    if (flow.outputs.length === 0 && legacy !== undefined) return renderSubflowOutputs(legacy, render);
    const result = await renderFlowOutputs(flow, render, (message) =>
      control.log('WARN', secrets.mask.text(message)),
    );
    // A ForEachItem batch: its parent's `_merge` gathers these lines (Kestra's outputs.ion).
    const outputsUri = execution.parent?.outputsUri;
    if (result.state === 'SUCCESS' && outputsUri)
      await services.storage.put(outputsUri, `${toIonText(result.outputs ?? {})}\n`);
    return result;
  }

  const run = job.taskRunId ? indexed.run(job.taskRunId) : undefined;
  if (!run) throw new Error(`task run ${job.taskRunId ?? '?'} is not in execution ${execution.id}`);
  const task = indexFlow(flow).node(run.taskId).task;
  const workingDir = workingDirectoryOf(services, job);
  let made = false;
  const workingDirectory = async () => {
    if (!made) {
      // Each directory is private, and the work root lets others through without listing it:
      // a script running as another user (plugins/scripts/run/identity.ts) reaches its own only.
      await mkdir(workingDir, { mode: 0o700 }).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return; // a WorkingDirectory's, made by its first task
        if (error.code !== 'ENOENT') throw error;
        await mkdir(services.workRoot, { recursive: true, mode: 0o711 });
        await mkdir(workingDir, { recursive: true, mode: 0o700 });
      });
      control.madeDirectory();
    }
    made = true;
    return workingDir;
  };
  const finalState = execution.control?.finalState as State | undefined;
  const vars = buildVariables({
    indexed,
    run,
    task,
    env: services.env,
    workingDir,
    ...(finalState ? { executionState: finalState } : {}),
  });
  const renderTyped = (template: string) => services.templates.renderTypedAsync(template, vars, options);
  const log = (level: LogEntry['level'], message: string) =>
    control.log(level, secrets.mask.text(message), run);

  try {
    if (job.purpose === 'evaluate') {
      const text = await services.templates.renderAsync(toText(task.condition ?? ''), vars, options);
      return { state: 'SUCCESS', condition: isTruthyCondition(text) };
    }
    if (task.runIf !== undefined && task.runIf !== null && task.runIf !== true) {
      const text = toText(await renderTyped(toText(task.runIf)));
      if (!isTruthyCondition(text)) {
        log('INFO', `Skipped: runIf \`${toText(task.runIf)}\` rendered \`${text}\``);
        return { state: 'SKIPPED' };
      }
    }
    const plugin = await services.taskPlugin(task.type);
    if (!plugin) return failed(log, `Unknown task type \`${task.type}\``);
    const props = await renderTaskProperties(plugin.properties, task, renderTyped);
    const ctx = createTaskContext({
      services,
      execution,
      run,
      job,
      vars,
      options,
      log,
      abort: control.abort,
      workingDirectory,
      maskSecret: (value) => {
        secrets.mask = secrets.mask.with([value]);
      },
    });
    if (job.purpose === 'resolve') {
      const values = plugin.resolve ? await plugin.resolve(ctx, props) : {};
      // A `timeout` that is an expression: the executor arms it once rendered here.
      const timeoutMs = hasRenderedTimeout(task) ? (await renderTimeout(task, renderTyped))?.ms : undefined;
      return { state: 'SUCCESS', outputs: timeoutMs === undefined ? values : { ...values, timeoutMs } };
    }
    if (!plugin.run) return failed(log, `The task type \`${task.type}\` cannot run in Windhover yet`);
    const timeout = await renderTimeout(task, renderTyped);
    if (timeout) control.setTimeout(timeout.ms, timeout.label);
    const outcome = await runPlugin(plugin.run, ctx, props, control.abort);
    return outcomeToResult(outcome);
  } catch (error) {
    if (control.abort.reason) return abortedResult(control.abort.reason, log);
    if (error instanceof TaskFailure) return failed(log, error.message, error.outputs);
    if (error instanceof ExpressionError) return failed(log, `Rendering failed: ${error.message}`);
    return failed(log, errorMessage(error));
  }
}

/** The task's `timeout`, rendered: how long, and its text for messages. */
async function renderTimeout(
  task: FlowTask,
  renderTyped: (t: string) => Promise<unknown>,
): Promise<{ ms: number; label: string } | undefined> {
  if (task.timeout === undefined || task.timeout === null) return undefined;
  const text = toText(await renderValue(undefined, task.timeout, 'timeout', renderTyped));
  const ms = parseIsoDuration(text);
  if (ms === undefined)
    throw new TaskFailure(`Property \`timeout\`: \`${text}\` is not an ISO-8601 duration such as PT30S`);
  return { ms, label: text };
}

/** Runs a plugin, giving up when the job is aborted even if the plugin ignores its signal. */
async function runPlugin(
  run: NonNullable<TaskPlugin['run']>,
  ctx: TaskContext,
  props: Record<string, unknown>,
  abort: JobAbort,
): Promise<TaskOutcome | void> {
  // runJob's catch sees the job aborted and reports why (abort.reason), whatever is thrown.
  if (abort.aborted) throw new Error('the job was aborted');
  let stopListening: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    stopListening = abort.onAbort(() => reject(new Error('the job was aborted')));
  });
  try {
    return await Promise.race([run(ctx, props), aborted]);
  } finally {
    stopListening!();
  }
}

/** The result of a job that was aborted. */
export function abortedResult(
  reason: AbortReason,
  log: (level: LogEntry['level'], message: string) => void,
): JobResult {
  if (reason.kind === 'timeout')
    return failed(log, `Timeout: the task did not finish within ${reason.label}`);
  log('WARN', 'Killed');
  return { state: 'KILLED' };
}

function outcomeToResult(outcome: TaskOutcome | void): JobResult {
  if (!outcome) return { state: 'SUCCESS' };
  return {
    state: outcome.state ?? 'SUCCESS',
    ...(outcome.outputs ? { outputs: outcome.outputs } : {}),
    ...(outcome.labels ? { labels: outcome.labels } : {}),
    ...(outcome.exit ? { exit: outcome.exit } : {}),
  };
}

function failed(
  log: (level: LogEntry['level'], message: string) => void,
  message: string,
  outputs?: Record<string, unknown>,
): JobResult {
  log('ERROR', message);
  return { state: 'FAILED', error: message, ...(outputs ? { outputs } : {}) };
}

/** A thrown value's message, with its cause (what users need to act). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** A parent's legacy Subflow `outputs` map, rendered in this (the child) execution's context. */
async function renderSubflowOutputs(
  outputs: unknown,
  renderTyped: (t: string) => Promise<unknown>,
): Promise<JobResult> {
  try {
    const rendered = await renderValue(undefined, outputs, 'outputs', renderTyped);
    return { state: 'SUCCESS', outputs: rendered as Record<string, unknown> };
  } catch (error) {
    return { state: 'FAILED', error: errorMessage(error) };
  }
}

/** The flow's `outputs`, rendered and checked against their declared types. */
async function renderFlowOutputs(
  flow: Flow,
  renderTyped: (t: string) => Promise<unknown>,
  warn: (message: string) => void,
): Promise<JobResult> {
  const outputs: Record<string, unknown> = {};
  for (const output of flow.outputs) {
    const optional = output.required === false;
    let raw: unknown;
    try {
      raw = await renderValue(undefined, output.value, `outputs.${output.id}`, renderTyped);
    } catch (error) {
      // An optional output that cannot be rendered is left out, as in Kestra, which logs it.
      if (optional) {
        warn(`The optional output \`${output.id}\` is left out: ${errorMessage(error)}`);
        continue;
      }
      return { state: 'FAILED', error: errorMessage(error) };
    }
    if (optional && (raw === undefined || raw === null)) continue;
    // A map or list given to a STRING output is its JSON text, as Kestra renders it.
    if (output.type === 'STRING' && raw !== null && typeof raw === 'object') raw = toText(raw);
    const parsed = coerceInputValue({ id: output.id, type: output.type }, raw);
    if ('error' in parsed) return { state: 'FAILED', error: `Output \`${output.id}\` ${parsed.error}` };
    outputs[output.id] = parsed.value;
  }
  return { state: 'SUCCESS', outputs };
}

/** A WorkingDirectory's tasks share its directory; other task runs get one per attempt. */
function workingDirectoryOf(services: WorkerServices, job: WorkerJob): string {
  return join(
    services.workRoot,
    job.workingDirectoryId ?? `${job.taskRunId ?? job.executionId}-${job.attempt}`,
  );
}

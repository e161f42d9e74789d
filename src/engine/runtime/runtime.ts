/**
 * The in-process runtime: the executor loop (events → steps, committed in groups), the worker
 * pool, the timer loop, and through RuntimeActions (actions.ts) concurrency admission and the
 * runtime actions (subflows, retries by new execution). One per process; everything it acts on is committed first, so a new
 * process started after a crash resumes where this one stopped.
 */
import { EventEmitter } from 'node:events';
import { templates } from '../../expr/index.js';
import { newId } from '../ids.js';
import type { TemplateEngine } from '../../expr/index.js';
import type { PluginCatalog } from '../../flow/catalog.js';
import type { Flow, Label } from '../../flow/model.js';
import { internalTaskPlugin } from '../../plugins/internal-tasks.js';
import { plugins } from '../../plugins/on-demand.js';
import type { InternalStorage } from '../../storage/contract.js';
import type { ClaimedJob, JobCompletion, Store, TriggerStateUpdate } from '../../store/contract.js';
import { indexFlow } from '../executor/flow-index.js';
import { replayExecution } from '../executor/replay.js';
import type { ExecutorEvent, StepEnvironment, StepResult } from '../executor/types.js';
import type { Execution, ExecutionTrigger, LogEntry, TaskRun } from '../model.js';
import { isTerminal } from '../model.js';
import { Worker } from '../worker/worker.js';
import { ExecutorLoop } from './executor-loop.js';
import { POLL_MS, WOKEN_POLL_MS, defaultMemberId, pollUntilEnded, resolveCluster } from './cluster.js';
import type { ClusterOptions, RuntimeRoles, WakeSource, WakeTopic } from './cluster.js';
import { RepeatedFailure } from '../repeated-failure.js';
import { Membership } from './membership.js';
import { newExecution } from './new-execution.js';
import { Recovery } from './recovery.js';
import { RuntimeActions } from './actions.js';
import { FlowCache } from './flow-cache.js';
import { Serial } from './serial.js';
import { prepareInputs } from './inputs.js';
import { resumeEvents } from '../resume.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { InputOrigins } from './inputs.js';
import type { TriggerPollOutcome } from '../../plugins/context.js';
import type { TaskPlugin } from '../../plugins/api.js';
import type { TriggerPollInput } from '../worker/trigger-poll.js';

export interface RuntimeOptions {
  store: Store;
  storage: InternalStorage;
  /** Where task working directories are made. */
  workRoot: string;
  /** Most task runs running at once in this process. Default 32. */
  workerConcurrency?: number;
  /** Environment of tasks (`ENV_*`, `SECRET_*`). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Most events stepped in one committed group. Default 1000. */
  batchSize?: number;
  templates?: TemplateEngine;
  timeZone?: string;
  /** The web UI's address, for links in notifications. Default `WINDHOVER_URL`, else http://localhost:8080. */
  publicUrl?: string;
  /** The plugins tasks run with. Default: every built-in plugin, each imported when first run. */
  catalog?: PluginCatalog;
  /**
   * Workers commit their results as completions and the executor reads them back as events,
   * as separate worker processes must. Default false: results go to the executor in process.
   */
  resultsThroughStore?: boolean;
  /** The parts of the runtime this process runs. Default: both (one process does everything). */
  roles?: RuntimeRoles;
  /** This process in its cluster (heartbeats, member id, timeouts). */
  cluster?: ClusterOptions;
  /** Wake-ups from other processes (PostgreSQL's LISTEN); without them the loops poll each second. */
  wakeUps?: WakeSource;
}

/** What to start. */
export interface SubmitRequest {
  /** Inputs as typed values (already checked), see `prepareInputs`. */
  inputs?: Record<string, unknown>;
  labels?: Label[];
  trigger?: ExecutionTrigger;
  /** Start at this instant rather than now (ISO-8601). */
  scheduleDate?: string;
  id?: string;
  originalId?: string;
  parent?: Execution['parent'];
  control?: Record<string, unknown>;
  /** The state of the trigger that creates this execution, committed with it (scheduler). */
  triggerState?: TriggerStateUpdate;
}

export interface RuntimeEvents {
  /**
   * An execution changed (after commit); with the task runs the commit changed when they are
   * known (else any of them may have), so that a listener need not scan them all every step.
   */
  execution: [Execution, (readonly TaskRun[])?];
  /** A log line (from a worker as it is written, or from the executor after commit). */
  log: [LogEntry];
  /** An execution ended. */
  ended: [Execution];
}

export class Runtime extends EventEmitter<RuntimeEvents> {
  readonly store: Store;
  readonly storage: InternalStorage;
  readonly flows: FlowCache;
  readonly worker: Worker;
  private readonly loop: ExecutorLoop;
  private readonly serial = new Serial();
  private readonly env: StepEnvironment;
  private timerHandle: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private running = false;
  /** This process's id in the cluster: its worker claims jobs, and its executor leases executions, under it. */
  readonly memberId: string;
  readonly roles: Readonly<RuntimeRoles>;
  /** The environment tasks see (`ENV_*`, `SECRET_*`), read once at start; the API masks its secrets. */
  readonly taskEnv: Readonly<Record<string, string | undefined>>;
  private readonly membership: Membership;
  private wakeListener: { close(): Promise<void> } | undefined;

  constructor(private readonly options: RuntimeOptions) {
    super();
    this.setMaxListeners(0);
    this.store = options.store;
    this.storage = options.storage;
    this.flows = new FlowCache(options.store);
    this.roles = { executor: options.roles?.executor ?? true, worker: options.roles?.worker ?? true };
    // Read once, at start (as Kestra does): `envs` and `secret()` see the environment of then.
    this.taskEnv = options.env ?? { ...process.env };
    this.memberId = options.cluster?.id ?? defaultMemberId();
    const pollMs = options.wakeUps ? WOKEN_POLL_MS : POLL_MS;
    this.env = {
      get now() {
        return new Date();
      },
      newId,
      random: Math.random,
    };
    this.loop = new ExecutorLoop({
      store: options.store,
      executorId: this.memberId,
      pollMs,
      flows: this.flows,
      env: this.env,
      batchSize: options.batchSize ?? 1000,
      serial: this.serial,
      claimFor: () => {
        const limit = this.roles.worker ? this.worker.freeSlots : 0;
        return limit > 0 ? { workerId: this.worker.id, limit } : undefined;
      },
      afterCommit: (results, claimed, limit) => this.afterCommit(results, claimed, limit),
      deliveredCommitted: (jobIds) => this.worker.forgetHandedOver(jobIds),
    });
    const pluginsByType = new Map<string, TaskPlugin>();
    this.worker = new Worker(
      {
        store: options.store,
        storage: options.storage,
        templates: options.templates ?? templates,
        loadExecution: (id, fresh) => (fresh ? this.store.getExecution(id) : this.execution(id)),
        // Task definitions are built by defineTask, which keeps `run` and `resolve` on them.
        // A type found once is kept: its next jobs cost a map lookup, not an import check.
        taskPlugin: (type) =>
          pluginsByType.get(type) ??
          (async () => {
            let plugin = await internalTaskPlugin(type);
            if (!plugin) {
              // The built-in plugins are imported as their types first run (a subflow's too).
              if (!options.catalog) await plugins.load([type]);
              plugin = (options.catalog ?? plugins).lookup('task', type);
            }
            if (plugin) pluginsByType.set(type, plugin);
            return plugin;
          })(),
        loadFlow: (ns, id, revision) => this.flows.get(ns, id, revision),
        catalog: options.catalog ?? plugins,
        env: this.taskEnv,
        publicUrl: options.publicUrl ?? process.env.WINDHOVER_URL ?? 'http://localhost:8080',
        workRoot: options.workRoot,
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        eventsAppended: () => this.loop.wake(),
      },
      {
        id: this.memberId,
        concurrency: options.workerConcurrency ?? 32,
        pollMs,
        onCompleted: () => this.loop.wake(),
        ...(options.resultsThroughStore || !this.roles.executor
          ? {}
          : { deliver: (completion: JobCompletion) => this.loop.deliver(completion) }),
        onLog: (line) => this.emit('log', line),
      },
    );
    this.actions = new RuntimeActions({
      store: options.store,
      loop: this.loop,
      worker: this.worker,
      flows: this.flows,
      env: this.env,
      serial: this.serial,
      executor: this.roles.executor,
      prepareInputs: (flow, raw, origins) => this.prepareInputs(flow, raw, origins),
      onExecution: (execution) => this.emit('execution', execution),
      onLog: (line) => this.emit('log', line),
      onEnded: (execution) => this.emit('ended', execution),
      scheduleTimers: (at) => this.scheduleTimers(at),
    });
    this.recovery = new Recovery({
      store: options.store,
      serial: this.serial,
      execution: (id) => this.loop.execution(id),
      flow: (namespace, id, revision) => this.flows.get(namespace, id, revision),
      admit: (flow, execution) => this.actions.admitLocked(flow, execution),
      admitQueued: (namespace, flowId) => this.actions.admitQueued(namespace, flowId),
      wake: () => this.loop.wake(),
    });
    const cluster = resolveCluster(options.cluster, this.roles);
    this.exclusive = cluster.exclusive;
    this.membership = new Membership({
      store: options.store,
      id: this.memberId,
      roles: cluster.roles,
      heartbeatMs: cluster.heartbeatMs,
      memberTimeoutMs: cluster.memberTimeoutMs,
      expires: this.roles.executor,
      info: () =>
        this.roles.worker
          ? { workerSlots: options.workerConcurrency ?? 32, runningJobs: this.worker.activeCount }
          : {},
      onAbort: (jobIds) => this.worker.abort(jobIds),
      onHeld: async (jobIds) => {
        const orphans = this.roles.worker ? this.worker.orphanedClaims(jobIds) : jobIds;
        if (orphans.length === 0) return;
        console.warn(
          `worker ${this.memberId}: ${orphans.length} job(s) claimed for it never reached it (a claim's answer lost in a store outage); handing them back`,
        );
        await this.store.releaseJobs(this.memberId, orphans);
      },
      onExpired: (expired) => this.recovery.handOn(expired),
    });
  }

  private readonly exclusive: boolean;
  /** One line per store outage, not one per attempt. */
  private readonly timerFailures = new RepeatedFailure('executor: firing timers');
  private readonly recovery: Recovery;
  private readonly actions: RuntimeActions;

  /** Where this runtime is woken from by other processes, if anywhere (PostgreSQL's LISTEN). */
  get wakeUps(): WakeSource | undefined {
    return this.options.wakeUps;
  }

  /**
   * Joins the cluster, recovers what a previous process left (the only process of its store)
   * or what dead members left (in a cluster), then starts the loops of its roles.
   */
  async start(): Promise<void> {
    this.running = true;
    // Alone on its store: whatever a previous process held (jobs, leases) is free at once.
    if (this.exclusive) await this.store.expireMembers(0);
    await this.membership.start();
    const wakeUps = this.options.wakeUps;
    if (wakeUps) {
      const topics: WakeTopic[] = [
        ...(this.roles.executor ? (['events'] as const) : []),
        ...(this.roles.worker ? (['jobs'] as const) : []),
      ];
      if (topics.length > 0)
        this.wakeListener = await wakeUps(topics, (topic, events) =>
          topic === 'jobs' ? this.worker.notify() : this.loop.wake(events),
        );
    }
    if (this.roles.executor) {
      if (this.exclusive) await this.recovery.recoverAll();
      this.loop.start();
      this.scheduleTimers(Date.now());
    }
    if (this.roles.worker) this.worker.start();
  }

  /**
   * Graceful stop: running tasks get `graceMs` to finish; then the process leaves its cluster,
   * handing back what it still holds (another process, or this one after a restart, runs it).
   */
  async stop(graceMs = 30_000): Promise<void> {
    this.running = false;
    if (this.roles.worker) await this.worker.stop(graceMs);
    await this.loop.stop();
    if (this.timerHandle) clearTimeout(this.timerHandle);
    await this.wakeListener?.close();
    this.wakeListener = undefined;
    await this.membership.stop();
  }

  // ---- submitting ----

  /** Creates an execution of a flow (a stored revision) and admits it (concurrency). */
  submit(flow: Flow, request: SubmitRequest = {}): Promise<Execution> {
    const triggerStates = request.triggerState ? [request.triggerState] : [];
    return this.actions.insert(flow, newExecution(flow, request), false, triggerStates);
  }

  /** Polls a polling trigger once (the scheduler calls it; files go under `input.executionId`). */
  pollTrigger(input: TriggerPollInput): Promise<TriggerPollOutcome> {
    return this.worker.pollTrigger(input);
  }

  /** Checks and types raw inputs (strings from a form or the CLI, or JSON values) for a flow. */
  prepareInputs(
    flow: Flow,
    raw: Readonly<Record<string, unknown>>,
    origins?: InputOrigins,
  ): Record<string, unknown> {
    return prepareInputs(flow, raw, this.options.templates ?? templates, origins);
  }

  // ---- commands ----

  /** Queues a command for an execution (kill, resume, restart, setTaskRunState). */
  async command(executionId: string, event: ExecutorEvent): Promise<void> {
    await this.store.appendEvents([{ executionId, event }]);
    this.loop.wake();
  }

  /**
   * Resumes a paused execution's task runs (or only `taskRunId`) with raw `onResume` values,
   * checked and typed first: a missing or wrong one throws WH_INPUT_INVALID and nothing is
   * resumed; nothing paused throws WH_EXECUTION_STATE.
   */
  async resume(
    executionId: string,
    raw: Readonly<Record<string, unknown>>,
    taskRunId?: string,
  ): Promise<void> {
    const execution = await this.execution(executionId);
    if (!execution)
      throw new WindhoverError(ErrorCodes.NOT_FOUND, `Execution ${executionId} not found`, { executionId });
    const flow = await this.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
    if (!flow) throw new Error(`Flow ${execution.namespace}.${execution.flowId} not found`);
    const events = resumeEvents(flow, execution, raw, this.options.templates ?? templates, taskRunId);
    await this.store.appendEvents(events.map((event) => ({ executionId, event })));
    this.loop.wake();
  }

  /** A new execution replaying an old one, from the start or from a task run. */
  async replay(
    executionId: string,
    options: { fromTaskRunId?: string; revision?: number } = {},
  ): Promise<Execution> {
    const source = await this.loop.execution(executionId);
    if (!source) throw new Error(`Execution ${executionId} not found`);
    const flow = await this.flows.get(
      source.namespace,
      source.flowId,
      options.revision ?? source.flowRevision,
    );
    if (!flow) throw new Error(`Flow ${source.namespace}.${source.flowId} not found`);
    const execution = replayExecution(indexFlow(flow), source, this.env, options);
    execution.flowRevision = flow.revision ?? execution.flowRevision;
    return this.actions.insert(flow, execution, false);
  }

  /** The execution as last committed (read from the store where another process executes it). */
  execution(id: string): Promise<Execution | undefined> {
    return this.roles.executor ? this.loop.execution(id) : this.store.getExecution(id);
  }

  /** Resolves when the execution has ended (at once if it has). */
  waitForEnd(executionId: string): Promise<Execution> {
    // Executed by another process: its end is seen in the store.
    if (!this.roles.executor) return pollUntilEnded(() => this.store.getExecution(executionId), executionId);
    return new Promise((resolve, reject) => {
      const onEnded = (execution: Execution) => {
        if (execution.id !== executionId) return;
        this.off('ended', onEnded);
        resolve(execution);
      };
      this.on('ended', onEnded);
      this.loop.execution(executionId).then(
        (execution) => {
          if (execution && isTerminal(execution.state.current) && execution.control?.ended !== undefined) {
            this.off('ended', onEnded);
            resolve(execution);
          }
        },
        (error: unknown) => {
          this.off('ended', onEnded);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  // ---- after commits ----

  private async afterCommit(results: StepResult[], claimed: ClaimedJob[], claimLimit: number): Promise<void> {
    let jobs = false;
    let earliest = Infinity;
    for (const result of results) {
      this.emit('execution', result.execution, result.changedTaskRuns);
      for (const line of result.logs) this.emit('log', line);
      if (result.jobs.length > 0) jobs = true;
      for (const timer of result.timers) earliest = Math.min(earliest, Date.parse(timer.at));
    }
    // Jobs were claimed for the worker in the commit; any left wait for a free slot.
    this.worker.accept(claimed, jobs && claimed.length >= claimLimit);
    if (earliest < Infinity) this.scheduleTimers(earliest);
    for (const result of results) await this.actions.run(result);
  }

  // ---- timers ----

  /** Fires due timers at `at` (or within a second, whichever comes first). */
  private scheduleTimers(at: number): void {
    if (!this.running) return;
    const when = Math.min(at, Date.now() + 1000);
    if (this.timerHandle && when >= this.timerAt) return;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerAt = when;
    this.timerHandle = setTimeout(() => void this.fireTimers(), Math.max(0, when - Date.now()));
    this.timerHandle.unref();
  }

  private async fireTimers(): Promise<void> {
    this.timerHandle = undefined;
    this.timerAt = Infinity;
    try {
      if ((await this.store.fireDueTimers(new Date())) > 0) this.loop.wake();
      const next = await this.store.nextTimerAt();
      this.timerFailures.succeeded();
      this.scheduleTimers(next ? next.getTime() : Infinity);
    } catch (error) {
      this.timerFailures.failed(error);
      this.scheduleTimers(Date.now() + 1000);
    }
  }
}

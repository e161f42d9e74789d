/**
 * The executor loop: reads pending events, steps each execution once with all of its events,
 * and commits the whole group in one transaction (group commit), before anything is acted on.
 */
import type { Flow } from '../../flow/model.js';
import type { ClaimedJob, JobCompletion, StepCommit, StoredEvent, Store } from '../../store/contract.js';
import { VersionConflictError } from '../../store/contract.js';
import { moveState } from '../executor/draft.js';
import { step } from '../executor/step.js';
import type { ExecutorEvent, StepEnvironment, StepResult } from '../executor/types.js';
import type { Execution } from '../model.js';
import { isTerminal } from '../model.js';
import type { FlowCache } from './flow-cache.js';
import type { Serial } from './serial.js';
import { RepeatedFailure, oneLineError } from '../repeated-failure.js';

/** Longest wait between retries while the store fails (a database restart takes seconds). */
const MAX_RETRY_DELAY_MS = 2000;

export interface ExecutorLoopOptions {
  store: Store;
  /** The member id events are claimed under (one executor steps an execution at a time). */
  executorId: string;
  /** Longest sleep between reads of the store when nothing wakes it (ms). */
  pollMs: number;
  flows: FlowCache;
  env: StepEnvironment;
  batchSize: number;
  serial: Serial;
  /** The in-process worker to claim new jobs for, in the same commit, while it has free slots. */
  claimFor?: () => { workerId: string; limit: number } | undefined;
  /** Acts on committed steps (jobs claimed for the worker, timers, runtime actions). */
  afterCommit(results: StepResult[], claimed: ClaimedJob[], claimLimit: number): Promise<void>;
  /** Results handed over in process (deliver) that are now committed: the worker may forget them. */
  deliveredCommitted?(jobIds: string[]): void;
}

/** How many consumed events' seqs are remembered against late notifications of them. */
const RECENTLY_CONSUMED = 10_000;

/** A job result handed over in process (not yet in the store). */
interface Delivered {
  completion: JobCompletion;
}

export class ExecutorLoop {
  /** Executions as last committed, for the steps and the worker (the store is the truth). */
  private readonly cache = new Map<string, Execution>();
  private readonly inbox: Delivered[] = [];
  /** Executions whose actions failed after their commit, for a `recover` event. */
  private readonly toRecover: string[] = [];
  /** Events may be waiting in the store. */
  private storeWoken = true;
  /** Events a wake-up carried, of executions this executor leases: stepped without a read. */
  private readonly notified: StoredEvent[] = [];
  /**
   * Executions whose events this executor claimed, so leases (until they end, or a conflict
   * says another executor stepped them): their notified events need no claim.
   */
  private readonly leased = new Set<string>();
  /** Seqs of events consumed lately, oldest first: their notification may come after. */
  private readonly consumed = new Set<number>();
  private wakeUp: (() => void) | undefined;
  private stopped = true;
  private done: Promise<void> | undefined;
  private readonly storeFailures = new RepeatedFailure('executor: reading or committing steps');

  constructor(private readonly options: ExecutorLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.done = this.run();
  }

  /** Stops once results handed over are committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  /**
   * There are events to read in the store; `events`, when the wake-up carried them: those of
   * executions this executor leases are stepped as they are (the commit checks they are still
   * there), the others are claimed from the store.
   */
  wake(events?: readonly StoredEvent[]): void {
    if (events === undefined) this.storeWoken = true;
    else
      for (const event of events) {
        if (this.consumed.has(event.seq)) continue; // stepped already, read from the store
        if (this.leased.has(event.executionId)) this.notified.push(event);
        else this.storeWoken = true;
      }
    this.wakeUp?.();
  }

  /** A worker's result, handed over in process; committed with the step that consumes it. */
  deliver(completion: JobCompletion): void {
    this.inbox.push({ completion });
    this.wakeUp?.();
  }

  /** Caches an execution as committed, unless a newer version is cached (the loop may have stepped it first). */
  remember(execution: Execution): void {
    const cached = this.cache.get(execution.id);
    if (!cached || cached.version <= execution.version) this.cache.set(execution.id, execution);
  }

  /** Drops an execution from the cache (it ended, or changed elsewhere), and its lease with it. */
  forget(id: string): void {
    this.cache.delete(id);
    this.leased.delete(id);
  }

  /** The execution as last committed. */
  async execution(id: string): Promise<Execution | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const stored = await this.options.store.getExecution(id);
    if (stored && !isTerminal(stored.state.current)) this.cache.set(id, stored);
    return stored;
  }

  /**
   * The executions of `ids` this executor has not cached (new ones, submitted by another
   * process), read in one statement rather than one round trip each, one after the other: a
   * group of 500 new executions cost 500 serial reads.
   */
  private async readUncached(ids: readonly string[]): Promise<Map<string, Execution>> {
    const missing = ids.filter((id) => !this.cache.has(id));
    const read = new Map<string, Execution>();
    if (missing.length < 2) return read; // one is read as before
    for (const execution of await this.options.store.getExecutions(missing)) {
      read.set(execution.id, execution);
      if (!isTerminal(execution.state.current)) this.remember(execution);
    }
    return read;
  }

  private async run(): Promise<void> {
    while (!this.stopped || this.inbox.length > 0) {
      const readStore = this.storeWoken;
      this.storeWoken = false;
      const delivered = this.inbox.splice(0, this.options.batchSize);
      const notified = this.notified.splice(0);
      let events: StoredEvent[] = [];
      try {
        await this.queueRecoveries();
        const claimed = readStore
          ? await this.options.store.claimEvents(this.options.executorId, this.options.batchSize)
          : [];
        if (claimed.length >= this.options.batchSize) this.storeWoken = true; // cut short: read on
        for (const event of claimed) this.leased.add(event.executionId);
        events = this.unconsumed(claimed, notified);
        if (events.length > 0 || delivered.length > 0)
          await this.options.serial.run(() => this.stepGroup(events, delivered));
        if (delivered.length > 0)
          this.options.deliveredCommitted?.(delivered.map((item) => item.completion.jobId));
        if (readStore || delivered.length > 0 || notified.length > 0) this.storeFailures.succeeded();
        if (events.length > 0 || delivered.length > 0) continue;
      } catch (error) {
        this.inbox.unshift(...delivered); // not committed: step them again
        // Or committed after all: a connection lost during COMMIT leaves it unknown. The cached
        // executions may then be older than the store's, and the worker must not run a job of
        // the newer one against them (its task run is not there): read them again.
        for (const event of events) this.cache.delete(event.executionId);
        for (const item of delivered) this.cache.delete(item.completion.event.executionId);
        // The store is unreachable (a database restart) or refused the step: one line per
        // outage rather than a stack per attempt, and retries backing off up to 2 s.
        this.storeFailures.failed(error);
        if (this.stopped) return; // the jobs stay claimed and run again after a restart
        this.storeWoken = true;
        await this.pause(Math.min(100 * 2 ** (this.storeFailures.count - 1), MAX_RETRY_DELAY_MS));
        continue;
      }
      if (!this.storeWoken && this.inbox.length === 0 && this.notified.length === 0) await this.sleep();
    }
  }

  /**
   * The claimed and the notified events, once each, in queue order, without those consumed
   * lately (a notification can come after the claim that read the same event).
   */
  private unconsumed(claimed: StoredEvent[], notified: StoredEvent[]): StoredEvent[] {
    if (notified.length === 0) return claimed;
    const bySeq = new Map<number, StoredEvent>();
    for (const event of [...claimed, ...notified])
      if (!this.consumed.has(event.seq)) bySeq.set(event.seq, event);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Remembers consumed seqs, forgetting the oldest beyond RECENTLY_CONSUMED. */
  private rememberConsumed(seqs: readonly number[]): void {
    for (const seq of seqs) this.consumed.add(seq);
    for (const seq of this.consumed) {
      if (this.consumed.size <= RECENTLY_CONSUMED) break;
      this.consumed.delete(seq);
    }
  }

  /** Waits `ms` before retrying a failed store call; only stop() cuts it short. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      // A wake-up or a delivered result would retry at once, against a store still down.
      this.wakeUp = () => {
        if (!this.stopped) return;
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  /** Waits for a wake-up (or `pollMs`, a backstop for wake-ups lost between processes). */
  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (timedOut: boolean) => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        if (timedOut) this.storeWoken = true;
        resolve();
      };
      const timer = setTimeout(() => done(true), this.options.pollMs);
      this.wakeUp = () => done(false);
    });
  }

  private async stepGroup(events: StoredEvent[], delivered: Delivered[]): Promise<void> {
    const byExecution = new Map<string, { events: StoredEvent[]; delivered: Delivered[] }>();
    const groupOf = (id: string) => {
      let group = byExecution.get(id);
      if (!group) byExecution.set(id, (group = { events: [], delivered: [] }));
      return group;
    };
    for (const event of events) groupOf(event.executionId).events.push(event);
    for (const item of delivered) groupOf(item.completion.event.executionId).delivered.push(item);
    const commits: StepCommit[] = [];
    const results: StepResult[] = [];
    const orphans: number[] = [];
    const read = await this.readUncached([...byExecution.keys()]);
    for (const [id, group] of byExecution) {
      const input = [
        ...group.delivered.map((d) => d.completion.event.event),
        ...group.events.map((e) => e.event),
      ];
      const execution = onRestartRevision(
        this.cache.get(id) ?? read.get(id) ?? (await this.execution(id)),
        input,
      );
      const flow =
        execution &&
        (await this.options.flows.get(execution.namespace, execution.flowId, execution.flowRevision));
      if (!execution || !flow) {
        orphans.push(...group.events.map((e) => e.seq));
        continue;
      }
      const result = safeStep(flow, execution, input, this.options.env);
      results.push(result);
      const transition = transitionOf(execution, result);
      commits.push({
        ...(transition ? { transition } : {}),
        execution: result.execution,
        expectedVersion: execution.version,
        changedTaskRuns: result.changedTaskRuns,
        removedTaskRunIds: result.removedTaskRunIds,
        consumedEvents: group.events.map((e) => e.seq),
        completedJobIds: group.delivered.map((d) => d.completion.jobId),
        jobs: result.jobs,
        timers: result.timers,
        events: result.events,
        logs: [...group.delivered.flatMap((d) => d.completion.logs), ...result.logs],
      });
    }
    if (orphans.length > 0) await this.options.store.discardEvents(orphans);
    const claim = this.options.claimFor?.();
    let claimed: ClaimedJob[];
    try {
      claimed = await this.options.store.commitSteps(commits, claim ? { claimFor: claim } : {});
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Changed elsewhere meanwhile (or their events were consumed there): read them again, and
      // claim their events from the store, still pending if not consumed (notified ones too);
      // results handed over go back to the inbox.
      for (const id of error.executionIds) this.forget(id);
      this.inbox.unshift(...delivered);
      this.storeWoken = true;
      return;
    }
    for (const result of results) this.cache.set(result.execution.id, result.execution);
    this.rememberConsumed(commits.flatMap((c) => c.consumedEvents));
    if (results.some((r) => r.events.length > 0)) this.storeWoken = true;
    try {
      await this.options.afterCommit(results, claimed, claim?.limit ?? 0);
    } catch (error) {
      // Committed, but what the steps asked for (a subflow's start, an admission…) may be half
      // done: a `recover` event issues it again, once the store answers. The results stay
      // committed: they must not go back to the inbox.
      console.error(
        `executor: acting on committed steps failed (${oneLineError(error)}); they will be recovered`,
      );
      this.toRecover.push(...results.map((r) => r.execution.id));
    }
  }

  /** Queues `recover` events for executions whose runtime actions failed after their commit. */
  private async queueRecoveries(): Promise<void> {
    if (this.toRecover.length === 0) return;
    const ids = [...new Set(this.toRecover)];
    await this.options.store.appendEvents(
      ids.map((executionId) => ({ executionId, event: { kind: 'recover' } })),
    );
    this.toRecover.splice(0, ids.length);
    this.storeWoken = true;
  }
}

/** What a step's commit tells the scheduler: the execution ended, or went into PAUSED. */
export function transitionOf(before: Execution, result: StepResult): 'ended' | 'paused' | undefined {
  if (result.actions.some((action) => action.kind === 'ended')) return 'ended';
  const after = result.execution.state.current;
  return after === 'PAUSED' && before.state.current !== 'PAUSED' ? 'paused' : undefined;
}

/**
 * A step that throws is a bug in the executor: the execution fails with the error in its logs
 * rather than the loop retrying the same events forever.
 */
function safeStep(
  flow: Flow,
  execution: Execution,
  events: ExecutorEvent[],
  env: StepEnvironment,
): StepResult {
  try {
    return step(flow, execution, events, env);
  } catch (error) {
    const now = env.now.toISOString();
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const failed: Execution = {
      ...execution,
      state: isTerminal(execution.state.current)
        ? execution.state
        : moveState(execution.state, 'FAILED', now),
      control: { ...execution.control, ended: true },
      version: execution.version + 1,
    };
    return {
      execution: failed,
      changedTaskRuns: [],
      removedTaskRunIds: [],
      jobs: [],
      timers: [],
      events: [],
      actions: isTerminal(execution.state.current) ? [] : [{ kind: 'ended', state: 'FAILED' }],
      logs: [
        {
          executionId: execution.id,
          namespace: execution.namespace,
          flowId: execution.flowId,
          level: 'ERROR',
          message: `Internal error (WH_INTERNAL) while executing: ${message}`,
          timestamp: now,
        },
      ],
    };
  }
}

/**
 * The execution as a restart to another flow revision leaves it: an ended execution whose events
 * hold `restart` with a `revision` is stepped (and stored) on that revision. The API checked that
 * the revision exists and has every task the execution ran.
 */
function onRestartRevision(
  execution: Execution | undefined,
  events: readonly ExecutorEvent[],
): Execution | undefined {
  if (!execution || !isTerminal(execution.state.current)) return execution;
  let revision: number | undefined;
  for (const event of events)
    if (event.kind === 'restart' && event.revision !== undefined) revision = event.revision;
  return revision === undefined || revision === execution.flowRevision
    ? execution
    : { ...execution, flowRevision: revision };
}

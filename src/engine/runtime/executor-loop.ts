/**
 * The executor loop: reads pending events, steps each execution once with all of its events,
 * and commits the whole group in one transaction (group commit), before anything is acted on.
 */
import type { Flow } from '../../flow/model.js';
import type { StepCommit, StoredEvent, Store } from '../../store/contract.js';
import { VersionConflictError } from '../../store/contract.js';
import { moveState } from '../executor/draft.js';
import { step } from '../executor/step.js';
import type { StepEnvironment, StepResult } from '../executor/types.js';
import type { Execution } from '../model.js';
import { isTerminal } from '../model.js';
import type { FlowCache } from './flow-cache.js';
import type { Serial } from './serial.js';

export interface ExecutorLoopOptions {
  store: Store;
  flows: FlowCache;
  env: StepEnvironment;
  batchSize: number;
  serial: Serial;
  /** Acts on committed steps (notify the worker, timers, runtime actions). */
  afterCommit(results: StepResult[]): Promise<void>;
}

export class ExecutorLoop {
  /** Executions as last committed, for the steps and the worker (the store is the truth). */
  private readonly cache = new Map<string, Execution>();
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private stopped = true;
  private done: Promise<void> | undefined;

  constructor(private readonly options: ExecutorLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.done = this.run();
  }

  /** Stops after the group being stepped is committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done;
  }

  /** There are events to read. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  remember(execution: Execution): void {
    this.cache.set(execution.id, execution);
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /** The execution as last committed. */
  async execution(id: string): Promise<Execution | undefined> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const stored = await this.options.store.getExecution(id);
    if (stored && !isTerminal(stored.state.current)) this.cache.set(id, stored);
    return stored;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      try {
        const events = await this.options.store.pendingEvents(this.options.batchSize);
        if (events.length > 0) {
          await this.options.serial.run(() => this.stepGroup(events));
          continue;
        }
      } catch (error) {
        console.error(`executor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      await this.sleep();
    }
  }

  /** Waits for `wake()` (or a second, in case a wake-up was missed). */
  private sleep(): Promise<void> {
    if (this.woken || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, 1000);
      this.wakeUp = done;
    });
  }

  private async stepGroup(events: StoredEvent[]): Promise<void> {
    const byExecution = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const list = byExecution.get(event.executionId);
      if (list) list.push(event);
      else byExecution.set(event.executionId, [event]);
    }
    const commits: StepCommit[] = [];
    const results: StepResult[] = [];
    const orphans: number[] = [];
    for (const [id, group] of byExecution) {
      const execution = await this.execution(id);
      const flow =
        execution &&
        (await this.options.flows.get(execution.namespace, execution.flowId, execution.flowRevision));
      if (!execution || !flow) {
        orphans.push(...group.map((e) => e.seq));
        continue;
      }
      const result = safeStep(flow, execution, group, this.options.env);
      results.push(result);
      commits.push({
        execution: result.execution,
        expectedVersion: execution.version,
        changedTaskRuns: result.changedTaskRuns,
        removedTaskRunIds: result.removedTaskRunIds,
        consumedEvents: group.map((e) => e.seq),
        jobs: result.jobs,
        timers: result.timers,
        events: result.events,
        logs: result.logs,
      });
    }
    if (orphans.length > 0) await this.options.store.discardEvents(orphans);
    try {
      await this.options.store.commitSteps(commits);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Changed elsewhere meanwhile: read them again; their events are still pending.
      for (const id of error.executionIds) this.cache.delete(id);
      return;
    }
    for (const result of results) this.cache.set(result.execution.id, result.execution);
    if (results.some((r) => r.events.length > 0)) this.wake();
    await this.options.afterCommit(results);
  }
}

/**
 * A step that throws is a bug in the executor: the execution fails with the error in its logs
 * rather than the loop retrying the same events forever.
 */
function safeStep(flow: Flow, execution: Execution, group: StoredEvent[], env: StepEnvironment): StepResult {
  try {
    return step(
      flow,
      execution,
      group.map((e) => e.event),
      env,
    );
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

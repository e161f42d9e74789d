/**
 * What the runtime does for steps outside the executor loop: storing new executions and admitting
 * them under their flow's concurrency limit (counted and committed under the flow's admission lock,
 * which holds across processes), and the actions a committed step asks for (subflows, retries by
 * new execution, aborting jobs, admitting the queued when one ends).
 */
import type { Flow } from '../../flow/model.js';
import type { Store, TriggerStateUpdate } from '../../store/contract.js';
import { VersionConflictError } from '../../store/contract.js';
import { admit } from '../executor/admission.js';
import type { ExecutorEvent, StepEnvironment, StepResult } from '../executor/types.js';
import type { Execution, LogEntry } from '../model.js';
import type { Worker } from '../worker/worker.js';
import type { ExecutorLoop } from './executor-loop.js';
import { transitionOf } from './executor-loop.js';
import type { FlowCache } from './flow-cache.js';
import type { InputOrigins } from './inputs.js';
import { emptyResult, newExecution } from './new-execution.js';
import type { Serial } from './serial.js';

/** What the actions act through: the runtime's store, loop, worker and events. */
export interface RuntimeActionsHost {
  store: Store;
  loop: ExecutorLoop;
  worker: Worker;
  flows: FlowCache;
  env: StepEnvironment;
  serial: Serial;
  /** This process steps executions (else admission is queued for an executor). */
  executor: boolean;
  prepareInputs(
    flow: Flow,
    raw: Readonly<Record<string, unknown>>,
    origins?: InputOrigins,
  ): Record<string, unknown>;
  /** Told of an execution committed here, of a log line committed, of an ended execution. */
  onExecution(execution: Execution): void;
  onLog(line: LogEntry): void;
  onEnded(execution: Execution): void;
  /** A timer is due at this instant (ms since the epoch). */
  scheduleTimers(at: number): void;
}

/** Admission and the runtime actions of committed steps. */
export class RuntimeActions {
  constructor(private readonly host: RuntimeActionsHost) {}

  /** Stores a new execution and admits it; `locked` when the caller holds the serial section. */
  async insert(
    flow: Flow,
    execution: Execution,
    locked: boolean,
    triggerStates: TriggerStateUpdate[] = [],
  ): Promise<Execution> {
    const later = execution.scheduleDate !== undefined && Date.parse(execution.scheduleDate) > Date.now();
    if (!this.host.executor && !later && flow.concurrency) {
      // Admission counts slots under a lock, on an executor: it is queued for one, atomically.
      await this.host.store.createExecution(
        execution,
        [{ kind: 'timer', purpose: 'admission' }],
        triggerStates,
      );
      this.host.onExecution(execution);
      return execution;
    }
    if (!flow.concurrency && !later) {
      // The common case, in one statement: no slot to count, so it starts at once.
      execution.state.histories.push({ state: 'RUNNING', date: execution.state.startDate });
      execution.state.current = 'RUNNING';
      await this.host.store.createExecution(execution, [{ kind: 'start' }], triggerStates);
      this.host.loop.remember(execution);
      this.host.onExecution(execution);
      this.host.loop.wake();
      return execution;
    }
    const admitNew = async () => {
      await this.host.store.createExecution(execution, [], triggerStates);
      this.host.loop.remember(execution);
      if (!later) return this.admitLocked(flow, execution);
      const at = execution.scheduleDate!;
      await this.commitResult(execution, {
        ...emptyResult(execution),
        timers: [
          { executionId: execution.id, at, event: { kind: 'timer', purpose: 'admission' }, key: 'admission' },
        ],
      });
      return execution;
    };
    return locked ? admitNew() : this.host.serial.run(admitNew);
  }

  /**
   * Admission of one CREATED/QUEUED execution; the caller holds the serial section. The count
   * of active executions and the commit happen under the flow's admission lock (executors of
   * other processes admit too); what the admission asks for runs after the lock is released.
   */
  async admitLocked(flow: Flow, execution: Execution): Promise<Execution> {
    const decided = await this.host.store.withAdmissionLock(flow.namespace, flow.id, () =>
      this.decideAdmission(flow, execution),
    );
    if (decided.result) await this.run(decided.result);
    return decided.execution;
  }

  private async decideAdmission(
    flow: Flow,
    execution: Execution,
  ): Promise<{ execution: Execution; result?: StepResult }> {
    let current = execution;
    for (let attempt = 1; ; attempt++) {
      const active = await this.host.store.countActiveExecutions(current.namespace, current.flowId);
      const result = admit(flow, current, active, this.host.env);
      try {
        await this.commitResult(current, result);
      } catch (error) {
        // Two routes may admit one execution (its admission timer, a slot freed by another):
        // the one that lost reads the execution again and admits it only if still waiting.
        if (!(error instanceof VersionConflictError) || attempt >= 3) throw error;
        this.host.loop.forget(current.id);
        const fresh = await this.host.loop.execution(current.id);
        const waiting = fresh?.state.current === 'CREATED' || fresh?.state.current === 'QUEUED';
        if (!fresh || !waiting) return { execution: fresh ?? current };
        current = fresh;
        continue;
      }
      return { execution: result.execution, result };
    }
  }

  /** Commits a step made outside the executor loop (admission). */
  private async commitResult(before: Execution, result: StepResult): Promise<void> {
    const transition = transitionOf(before, result);
    await this.host.store.commitSteps([
      {
        ...(transition ? { transition } : {}),
        execution: result.execution,
        expectedVersion: before.version,
        changedTaskRuns: result.changedTaskRuns,
        removedTaskRunIds: result.removedTaskRunIds,
        consumedEvents: [],
        jobs: result.jobs,
        timers: result.timers,
        events: result.events,
        logs: result.logs,
      },
    ]);
    this.host.loop.remember(result.execution);
    this.host.onExecution(result.execution);
    for (const line of result.logs) this.host.onLog(line);
    if (result.events.length > 0) this.host.loop.wake();
    for (const timer of result.timers) this.host.scheduleTimers(Date.parse(timer.at));
  }

  /** Starts queued executions of a flow while it has free slots (oldest first). */
  async admitQueued(namespace: string, flowId: string): Promise<void> {
    for (;;) {
      const [next] = await this.host.store.queuedExecutions(namespace, flowId, 1);
      if (!next) return;
      const execution = await this.host.loop.execution(next.id);
      const flow = execution && (await this.host.flows.get(namespace, flowId, execution.flowRevision));
      if (!execution || !flow?.concurrency) return;
      const after = await this.admitLocked(flow, execution);
      if (after.state.current !== 'RUNNING') return; // no slot left
    }
  }

  /** Does what a step asked of the runtime; the caller holds the serial section. */
  async run(result: StepResult): Promise<void> {
    const execution = result.execution;
    for (const action of result.actions) {
      switch (action.kind) {
        case 'abortJobs':
          await this.host.store.cancelJobs(action.jobIds);
          this.host.worker.abort(action.jobIds);
          break;
        case 'releaseWorkingDirectory':
          await this.host.worker.releaseWorkingDirectory(action.workingDirectoryId);
          break;
        case 'startSubflow':
          await this.startSubflow(execution, action);
          break;
        case 'retryExecution': {
          const flow = await this.host.flows.get(
            execution.namespace,
            execution.flowId,
            execution.flowRevision,
          );
          if (!flow) break;
          await this.insert(
            flow,
            newExecution(flow, {
              inputs: execution.inputs,
              labels: execution.labels,
              ...(execution.trigger ? { trigger: execution.trigger } : {}),
              originalId: execution.originalId ?? execution.id,
              scheduleDate: action.at,
              control: {
                executionAttempt: action.attempt,
                firstStartDate: execution.control?.firstStartDate ?? execution.state.startDate,
              },
            }),
            true,
          );
          break;
        }
        case 'admit': {
          const flow = await this.host.flows.get(
            execution.namespace,
            execution.flowId,
            execution.flowRevision,
          );
          if (flow) await this.admitLocked(flow, execution);
          break;
        }
        case 'ended': {
          this.host.onEnded(execution);
          const flow = await this.host.flows.get(
            execution.namespace,
            execution.flowId,
            execution.flowRevision,
          );
          if (flow?.concurrency) await this.admitQueued(execution.namespace, execution.flowId);
          this.host.loop.forget(execution.id);
          break;
        }
      }
    }
  }

  /** Starts a Subflow's child execution; the parent learns it started, or why it could not. */
  private async startSubflow(
    parent: Execution,
    action: Extract<StepResult['actions'][number], { kind: 'startSubflow' }>,
  ): Promise<void> {
    const tell = async (event: ExecutorEvent) => {
      await this.host.store.appendEvents([{ executionId: parent.id, event }]);
      this.host.loop.wake();
    };
    const fail = (error: string) =>
      tell({
        kind: 'subflowEnded',
        taskRunId: action.taskRunId,
        childExecutionId: action.executionId,
        state: 'FAILED',
        error,
      });
    if (await this.host.store.getExecution(action.executionId)) {
      // Re-issued after a restart: it started already.
      await tell({
        kind: 'subflowStarted',
        taskRunId: action.taskRunId,
        childExecutionId: action.executionId,
      });
      return;
    }
    const flow = await this.host.flows.get(action.namespace, action.flowId, action.revision);
    if (!flow)
      return fail(
        `the flow ${action.namespace}.${action.flowId}${action.revision ? ` revision ${action.revision}` : ''} does not exist`,
      );
    let inputs: Record<string, unknown>;
    try {
      // A subflow may be given its parent's files (Kestra's usual way of passing them on).
      inputs = this.host.prepareInputs(flow, action.inputs, { fileNamespaces: [parent.namespace] });
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    await this.insert(
      flow,
      newExecution(flow, {
        id: action.executionId,
        inputs,
        labels: action.labels,
        parent: {
          executionId: parent.id,
          taskRunId: action.taskRunId,
          namespace: parent.namespace,
          flowId: parent.flowId,
          ...(action.iteration !== undefined ? { iteration: action.iteration } : {}),
          ...(action.outputsUri ? { outputsUri: action.outputsUri } : {}),
        },
        ...(action.scheduleDate ? { scheduleDate: action.scheduleDate } : {}),
        ...(action.trigger ? { trigger: action.trigger } : {}),
        // Legacy Subflow `outputs` are rendered by the child, when its flow declares none.
        ...(action.outputs && flow.outputs.length === 0
          ? { control: { subflowOutputs: action.outputs } }
          : {}),
      }),
      true,
    );
    await tell({ kind: 'subflowStarted', taskRunId: action.taskRunId, childExecutionId: action.executionId });
  }
}

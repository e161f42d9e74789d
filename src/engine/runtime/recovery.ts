/**
 * Recovery: what a process does for work that another one (or its own previous run) left
 * unfinished. The only process of a store recovers everything at start; in a cluster, an
 * executor hands on the work of members that stopped heartbeating.
 */
import type { Flow } from '../../flow/model.js';
import type { ExpiredMembers, Store } from '../../store/contract.js';
import type { ExecutorEvent } from '../executor/types.js';
import type { Execution, State } from '../model.js';
import type { Serial } from './serial.js';

/** What recovery acts through: the runtime's store, executions, flows and admission. */
export interface RecoveryHost {
  store: Store;
  serial: Serial;
  execution(id: string): Promise<Execution | undefined>;
  flow(namespace: string, id: string, revision: number): Promise<Flow | undefined>;
  /** Admits a CREATED or QUEUED execution; the caller holds the serial section. */
  admit(flow: Flow, execution: Execution): Promise<Execution>;
  /** Starts queued executions of a flow while it has free slots; the caller holds the serial section. */
  admitQueued(namespace: string, flowId: string): Promise<void>;
  /** Events were queued for the executor. */
  wake(): void;
}

export class Recovery {
  constructor(private readonly host: RecoveryHost) {}

  /**
   * Members stopped heartbeating and their work was handed back: the executions they leased
   * get a `recover` event (what they had issued and not done is issued again), and, when an
   * executor died, waiting executions are admitted (it may have died before freeing a slot).
   */
  async handOn(expired: ExpiredMembers): Promise<void> {
    const names = expired.members.map((m) => `${m.id} (${m.roles.join(', ')})`);
    console.warn(
      `cluster: ${names.length > 0 ? `${names.join('; ')} stopped heartbeating; ` : ''}handed back ` +
        `${expired.releasedJobs} job(s) and ${expired.releasedExecutionIds.length} execution(s)`,
    );
    if (expired.releasedExecutionIds.length > 0) {
      await this.host.store.appendEvents(
        expired.releasedExecutionIds.map((executionId) => ({ executionId, event: { kind: 'recover' } })),
      );
      this.host.wake();
    }
    if (expired.members.some((m) => m.roles.includes('executor')))
      await this.host.serial.run(() => this.admitWaiting());
  }

  /** Admits executions waiting for a slot or never admitted (after an executor died). */
  private async admitWaiting(): Promise<void> {
    const flows = new Map<string, [string, string]>();
    const queued = await this.host.store.searchExecutions({ states: ['QUEUED'], size: 1000 });
    for (const e of queued.results) flows.set(`${e.namespace}.${e.flowId}`, [e.namespace, e.flowId]);
    for (const [namespace, flowId] of flows.values()) await this.host.admitQueued(namespace, flowId);
    const created = await this.host.store.searchExecutions({ states: ['CREATED'], size: 1000 });
    for (const summary of created.results) {
      const execution = await this.host.execution(summary.id);
      if (!execution || execution.state.current !== 'CREATED') continue;
      if (execution.scheduleDate !== undefined && Date.parse(execution.scheduleDate) > Date.now()) continue;
      const flow = await this.host.flow(execution.namespace, execution.flowId, execution.flowRevision);
      if (flow) await this.host.admit(flow, execution);
    }
  }

  /**
   * After a crash of the only process of the store (start() freed the jobs it held): every unfinished
   * execution gets a `recover` event (re-issuing lost subflow starts); executions created but
   * never admitted are admitted; queues move on.
   */
  async recoverAll(): Promise<void> {
    const ids = await this.host.store.unfinishedExecutionIds();
    const events: Array<{ executionId: string; event: ExecutorEvent }> = [];
    const queuedFlows = new Map<string, [string, string]>();
    await this.host.serial.run(async () => {
      for (const id of ids) {
        const execution = await this.host.execution(id);
        if (!execution) continue;
        const state: State = execution.state.current;
        if (state === 'QUEUED')
          queuedFlows.set(`${execution.namespace}.${execution.flowId}`, [
            execution.namespace,
            execution.flowId,
          ]);
        else if (state === 'CREATED') {
          const scheduled =
            execution.scheduleDate !== undefined && Date.parse(execution.scheduleDate) > Date.now();
          const flow = await this.host.flow(execution.namespace, execution.flowId, execution.flowRevision);
          if (!scheduled && flow) await this.host.admit(flow, execution);
        } else events.push({ executionId: id, event: { kind: 'recover' } });
      }
      await this.host.store.appendEvents(events);
      for (const [namespace, flowId] of queuedFlows.values()) await this.host.admitQueued(namespace, flowId);
    });
  }
}

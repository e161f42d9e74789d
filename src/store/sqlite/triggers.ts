/**
 * The scheduler's state of each trigger, free JSON keyed by (namespace, flowId, triggerId).
 */
import { LeaseLostError } from '../contract.js';
import type { TriggerState, TriggerStateUpdate } from '../contract.js';
import type { Database, Statement } from './driver.js';
import { parseJson } from './shared.js';

interface TriggerRow {
  namespace: string;
  flow_id: string;
  trigger_id: string;
  state: string;
  updated: string;
}

const COLUMNS = 'namespace, flow_id, trigger_id, state, updated';

function toState(row: TriggerRow): TriggerState {
  return {
    namespace: row.namespace,
    flowId: row.flow_id,
    triggerId: row.trigger_id,
    state: parseJson<Record<string, unknown>>(row.state),
    updated: row.updated,
  };
}

/** The scheduler's trigger states. */
export class SqliteTriggers {
  private readonly selectOne: Statement<TriggerRow>;
  private readonly selectAll: Statement<TriggerRow>;
  private readonly upsert: Statement;
  private readonly leaseHolder: Statement<{ holder: string }>;

  constructor(
    db: Database,
    private readonly clock: () => Date,
  ) {
    this.selectOne = db.prepare(
      `SELECT ${COLUMNS} FROM trigger_states WHERE namespace = ? AND flow_id = ? AND trigger_id = ?`,
    );
    this.selectAll = db.prepare(
      `SELECT ${COLUMNS} FROM trigger_states ORDER BY namespace, flow_id, trigger_id`,
    );
    this.leaseHolder = db.prepare('SELECT holder FROM cluster_leases WHERE name = ?');
    this.upsert = db.prepare(
      `INSERT INTO trigger_states (${COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET state = excluded.state, updated = excluded.updated`,
    );
  }

  /** One trigger's state. */
  get(namespace: string, flowId: string, triggerId: string): TriggerState | undefined {
    const row = this.selectOne.get(namespace, flowId, triggerId);
    return row && toState(row);
  }

  /** Creates or replaces a trigger's state (in the caller's transaction, if any). */
  save(state: TriggerStateUpdate): void {
    const fence = state.fence;
    if (fence && this.leaseHolder.get(fence.lease)?.holder !== fence.holder)
      throw new LeaseLostError(fence.lease, fence.holder);
    this.upsert.run(
      state.namespace,
      state.flowId,
      state.triggerId,
      JSON.stringify(state.state),
      this.clock().toISOString(),
    );
  }

  /** Every trigger's state, by namespace, flow and trigger id. */
  list(): TriggerState[] {
    return this.selectAll.all().map(toState);
  }
}

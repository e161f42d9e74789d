/**
 * The scheduler's state of each trigger on PostgreSQL, free JSON keyed by
 * (namespace, flowId, triggerId).
 */
import type pg from 'pg';
import { LeaseLostError } from '../contract.js';
import type { TriggerState, TriggerStateUpdate } from '../contract.js';
import { iso } from './db.js';
import type { Queryable } from './db.js';

interface TriggerRow {
  namespace: string;
  flow_id: string;
  trigger_id: string;
  state: Record<string, unknown>;
  updated: Date;
}

const COLUMNS = 'namespace, flow_id, trigger_id, state, updated';

function toState(row: TriggerRow): TriggerState {
  return {
    namespace: row.namespace,
    flowId: row.flow_id,
    triggerId: row.trigger_id,
    state: row.state,
    updated: iso(row.updated),
  };
}

/** The scheduler's trigger states. */
export class PostgresTriggers {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  /** One trigger's state. */
  async get(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined> {
    const { rows } = await this.pool.query<TriggerRow>(
      `SELECT ${COLUMNS} FROM trigger_states WHERE namespace = $1 AND flow_id = $2 AND trigger_id = $3`,
      [namespace, flowId, triggerId],
    );
    return rows[0] && toState(rows[0]);
  }

  /** Creates or replaces a trigger's state, on the pool or in the caller's transaction. */
  async save(state: TriggerStateUpdate, db: Queryable = this.pool): Promise<void> {
    const values = [
      state.namespace,
      state.flowId,
      state.triggerId,
      JSON.stringify(state.state),
      this.clock().toISOString(),
    ];
    const upsert = `ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET state = excluded.state, updated = excluded.updated`;
    if (!state.fence) {
      await db.query(
        `INSERT INTO trigger_states (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5) ${upsert}`,
        values,
      );
      return;
    }
    // FOR SHARE: a takeover (an UPDATE of the lease) waits for this write, or this write sees it.
    const { rowCount } = await db.query(
      `INSERT INTO trigger_states (${COLUMNS})
       SELECT $1, $2, $3, $4::jsonb, $5
       WHERE EXISTS (SELECT 1 FROM cluster_leases WHERE name = $6 AND holder = $7 FOR SHARE)
       ${upsert}`,
      [...values, state.fence.lease, state.fence.holder],
    );
    if (rowCount === 0) throw new LeaseLostError(state.fence.lease, state.fence.holder);
  }

  /** Every trigger's state, by namespace, flow and trigger id. */
  async list(): Promise<TriggerState[]> {
    const { rows } = await this.pool.query<TriggerRow>(
      `SELECT ${COLUMNS} FROM trigger_states ORDER BY namespace, flow_id, trigger_id`,
    );
    return rows.map(toState);
  }
}

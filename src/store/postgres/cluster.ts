/**
 * Several processes on one database, on PostgreSQL: members and their heartbeats, execution
 * leases (which executor steps which execution), named leases with an expiry (the active
 * scheduler), the admission lock of a flow (an advisory lock), and the executions that ended
 * or paused, queued for the scheduler. Liveness is membership: a lease or a claimed job whose
 * holder is no longer a member is free again.
 */
import pg from 'pg';
import type {
  ClusterMember,
  ClusterRole,
  ExecutionTransition,
  ExpiredMembers,
  HeartbeatReply,
  LeaseHolder,
  MemberReport,
  StoredEvent,
} from '../contract.js';
import type { ExecutorEvent } from '../../engine/executor/types.js';
import { KeyedSerial } from '../keyed-serial.js';
import { iso, num } from './db.js';
import type { Queryable } from './db.js';
import { WAKE_CHANNELS } from './migrations.js';

/** The first key of the advisory locks that admit executions of a flow (the second is its hash). */
const ADMISSION_LOCK_CLASS = 0x77686164; // 'whad'

interface MemberRow {
  id: string;
  roles: ClusterRole[];
  host: string;
  pid: number;
  started_at: Date;
  heartbeat_at: Date;
  info: Record<string, unknown>;
}

function memberOf(row: MemberRow): ClusterMember {
  return {
    id: row.id,
    roles: row.roles,
    host: row.host,
    pid: row.pid,
    startedAt: iso(row.started_at),
    heartbeatAt: iso(row.heartbeat_at),
    info: row.info,
  };
}

/** Records an execution's transition, in the caller's transaction (commitSteps). */
export async function recordTransition(
  db: Queryable,
  executionId: string,
  transition: 'ended' | 'paused' | undefined,
): Promise<void> {
  if (transition === undefined) return;
  await db.query('INSERT INTO execution_transitions (execution_id, transition) VALUES ($1, $2)', [
    executionId,
    transition,
  ]);
  if (transition === 'ended')
    await db.query('DELETE FROM execution_leases WHERE execution_id = $1', [executionId]);
}

export class PostgresCluster {
  /** The connection that holds admission locks (session locks need one connection throughout). */
  private lockClient: Promise<pg.Client> | undefined;
  /** Advisory locks are re-entrant within a session: this process's admissions of a flow queue first. */
  private readonly admissions = new KeyedSerial();

  constructor(
    private readonly pool: pg.Pool,
    /** Without waiting for the WAL flush (index.ts RELAXED_OPTIONS): heartbeats and event claims. */
    private readonly relaxed: pg.Pool,
    private readonly url: string,
    private readonly clock: () => Date,
  ) {}

  async heartbeat(report: MemberReport): Promise<HeartbeatReply> {
    const { rows } = await this.relaxed.query<{ id: string; abort_requested: boolean }>(
      `WITH member AS (
         INSERT INTO cluster_members (id, roles, host, pid, started_at, heartbeat_at, info)
         VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7::jsonb)
         ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, heartbeat_at = excluded.heartbeat_at,
           info = excluded.info)
       SELECT id, abort_requested FROM jobs WHERE worker_id = $1 ORDER BY seq`,
      [
        report.id,
        JSON.stringify(report.roles),
        report.host,
        report.pid,
        report.startedAt,
        this.clock().toISOString(),
        JSON.stringify(report.info),
      ],
    );
    return {
      abortJobIds: rows.filter((row) => row.abort_requested).map((row) => row.id),
      heldJobIds: rows.map((row) => row.id),
    };
  }

  async listMembers(): Promise<ClusterMember[]> {
    const { rows } = await this.pool.query<MemberRow>(
      'SELECT * FROM cluster_members ORDER BY roles::text, started_at, id',
    );
    return rows.map(memberOf);
  }

  async leaveCluster(memberId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `WITH gone AS (DELETE FROM cluster_members WHERE id = $1),
         leases AS (DELETE FROM execution_leases WHERE executor_id = $1),
         released AS (UPDATE jobs SET worker_id = NULL, claimed_at = NULL
           WHERE worker_id = $1 RETURNING 1)
       SELECT n, CASE WHEN n > 0 THEN pg_notify('${WAKE_CHANNELS.jobs}', '') END AS notified
       FROM (SELECT count(*)::int AS n FROM released) counted`,
      [memberId],
    );
    return rows[0]?.n ?? 0;
  }

  async expireMembers(silentForMs: number): Promise<ExpiredMembers> {
    const cutoff = new Date(this.clock().getTime() - silentForMs).toISOString();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const gone = await client.query<MemberRow>(
        'DELETE FROM cluster_members WHERE heartbeat_at < $1 RETURNING *',
        [cutoff],
      );
      // What no member holds, whoever held it: a process that died before its first heartbeat too.
      const jobs = await client.query<{ n: number }>(
        `WITH released AS (
           UPDATE jobs SET worker_id = NULL, claimed_at = NULL
           WHERE worker_id IS NOT NULL AND worker_id NOT IN (SELECT id FROM cluster_members) RETURNING 1)
         SELECT n, CASE WHEN n > 0 THEN pg_notify('${WAKE_CHANNELS.jobs}', '') END AS notified
         FROM (SELECT count(*)::int AS n FROM released) counted`,
      );
      const leases = await client.query<{ execution_id: string }>(
        `DELETE FROM execution_leases WHERE executor_id NOT IN (SELECT id FROM cluster_members)
         RETURNING execution_id`,
      );
      await client.query('COMMIT');
      return {
        members: gone.rows.map(memberOf),
        releasedJobs: jobs.rows[0]?.n ?? 0,
        releasedExecutionIds: leases.rows.map((row) => row.execution_id),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * One statement: the oldest executions with pending events that are free (no lease, or one
   * whose executor is no member) or already this executor's; the free ones are leased to it
   * (a concurrent claim of the same one waits on the row and then finds it taken); then their
   * events, each execution's through events_execution. (As `events WHERE execution_id IN
   * (mine)`, the planner, taking mine for a few rows, scanned all of mine once per event: 150 ms
   * for 1,000 events in PostgreSQL's auto_explain.)
   */
  async claimEvents(executorId: string, limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const { rows } = await this.relaxed.query<{ seq: string; execution_id: string; body: ExecutorEvent }>({
      name: 'windhover_claim_events',
      text: `WITH pending AS (
         SELECT e.execution_id, min(e.seq) AS first, min(l.executor_id) AS owner
         FROM events e LEFT JOIN execution_leases l ON l.execution_id = e.execution_id
         GROUP BY e.execution_id),
       candidates AS (
         SELECT execution_id, owner FROM pending
         WHERE owner IS NULL OR owner = $1 OR owner NOT IN (SELECT id FROM cluster_members)
         ORDER BY first LIMIT $2),
       taken AS (
         INSERT INTO execution_leases (execution_id, executor_id)
         SELECT execution_id, $1 FROM candidates WHERE owner IS DISTINCT FROM $1
         ON CONFLICT (execution_id) DO UPDATE SET executor_id = excluded.executor_id
           WHERE execution_leases.executor_id NOT IN (SELECT id FROM cluster_members)
         RETURNING execution_id),
       mine AS (
         SELECT execution_id FROM candidates WHERE owner = $1
         UNION ALL SELECT execution_id FROM taken)
       SELECT e.seq, e.execution_id, e.body
       FROM (SELECT DISTINCT execution_id FROM mine) m JOIN events e ON e.execution_id = m.execution_id
       ORDER BY e.seq LIMIT $3`,
      values: [executorId, Math.floor(limit), Math.floor(limit)],
    });
    return rows.map((row) => ({ seq: num(row.seq), executionId: row.execution_id, event: row.body }));
  }

  async withAdmissionLock<T>(namespace: string, flowId: string, work: () => Promise<T>): Promise<T> {
    const key = `${namespace}:${flowId}`; // text cannot hold NUL; neither part holds a colon
    return this.admissions.run(key, async () => {
      const client = await this.lockConnection();
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [ADMISSION_LOCK_CLASS, key]);
      try {
        return await work();
      } finally {
        await client
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [ADMISSION_LOCK_CLASS, key])
          .catch(() => {}); // a lost connection released it already
      }
    });
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const { rows } = await this.pool.query<{ holder: string }>(
      `INSERT INTO cluster_leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE cluster_leases.holder = excluded.holder OR cluster_leases.expires_at < $4
       RETURNING holder`,
      [name, holder, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
    );
    return rows.length === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM cluster_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async leaseHolder(name: string): Promise<LeaseHolder | undefined> {
    const { rows } = await this.pool.query<{ holder: string; expires_at: Date }>(
      'SELECT holder, expires_at FROM cluster_leases WHERE name = $1 AND expires_at >= $2',
      [name, this.clock().toISOString()],
    );
    const row = rows[0];
    return row ? { holder: row.holder, expiresAt: iso(row.expires_at) } : undefined;
  }

  async readExecutionTransitions(limit: number): Promise<ExecutionTransition[]> {
    if (limit <= 0) return [];
    const { rows } = await this.pool.query<{ seq: string; execution_id: string; transition: string }>(
      'SELECT seq, execution_id, transition FROM execution_transitions ORDER BY seq LIMIT $1',
      [Math.floor(limit)],
    );
    return rows.map((row) => ({
      seq: num(row.seq),
      executionId: row.execution_id,
      transition: row.transition as ExecutionTransition['transition'],
    }));
  }

  async removeExecutionTransitions(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.pool.query('DELETE FROM execution_transitions WHERE seq = ANY($1::bigint[])', [seqs]);
  }

  /** Closes the admission-lock connection. */
  async close(): Promise<void> {
    const pending = this.lockClient;
    this.lockClient = undefined;
    if (pending) await (await pending.catch(() => undefined))?.end().catch(() => {});
  }

  /** The lock connection, opened on first use and again after it was lost. */
  private lockConnection(): Promise<pg.Client> {
    if (!this.lockClient) {
      const client = new pg.Client({ connectionString: this.url });
      const forget = () => {
        if (this.lockClient === opening) this.lockClient = undefined;
      };
      client.on('error', forget);
      client.on('end', forget);
      const opening = client.connect().then(
        () => client,
        (error: unknown) => {
          forget();
          throw error;
        },
      );
      this.lockClient = opening;
    }
    return this.lockClient;
  }
}

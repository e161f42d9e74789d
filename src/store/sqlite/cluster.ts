/**
 * The cluster tables on SQLite (see src/store/postgres/cluster.ts for their purpose). A SQLite
 * store has one process, so the admission lock is that process's own serial section; the
 * rest behaves as on PostgreSQL, so one conformance suite covers both.
 */
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
import type { Database, Statement, Transaction } from './driver.js';
import { BOUND_LIMIT, parseJson } from './shared.js';

interface MemberRow {
  id: string;
  roles: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_ms: number;
  info: string;
}

function memberOf(row: MemberRow): ClusterMember {
  return {
    id: row.id,
    roles: parseJson<ClusterRole[]>(row.roles),
    host: row.host,
    pid: row.pid,
    startedAt: row.started_at,
    heartbeatAt: new Date(row.heartbeat_ms).toISOString(),
    info: parseJson<Record<string, unknown>>(row.info),
  };
}

const FREE_OWNER = 'owner IS NULL OR owner = ? OR owner NOT IN (SELECT id FROM cluster_members)';

export class SqliteCluster {
  private readonly upsertMember: Statement;
  private readonly heldBy: Statement<{ id: string; abort_requested: number }>;
  private readonly selectMembers: Statement<MemberRow>;
  private readonly insertTransition: Statement;
  private readonly deleteLease: Statement;
  private readonly heartbeatTx: Transaction<[MemberReport], HeartbeatReply>;
  private readonly leaveTx: Transaction<[string], number>;
  private readonly expireTx: Transaction<[number], ExpiredMembers>;
  private readonly claimTx: Transaction<[string, number], StoredEvent[]>;
  private readonly leaseTx: Transaction<[string, string, number], boolean>;
  private readonly selectTransitions: Statement<{ seq: number; execution_id: string; transition: string }>;
  private readonly removeTransitionsTx: Transaction<[readonly number[]], void>;
  private readonly releaseLeaseStmt: Statement;
  private readonly leaseHolderStmt: Statement<{ holder: string; expires_ms: number }>;

  constructor(
    db: Database,
    private readonly clock: () => Date,
  ) {
    this.upsertMember = db.prepare(
      `INSERT INTO cluster_members (id, roles, host, pid, started_at, heartbeat_ms, info) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, heartbeat_ms = excluded.heartbeat_ms, info = excluded.info`,
    );
    this.heldBy = db.prepare('SELECT id, abort_requested FROM jobs WHERE worker_id = ? ORDER BY seq');
    this.selectMembers = db.prepare('SELECT * FROM cluster_members ORDER BY roles, started_at, id');
    this.insertTransition = db.prepare(
      'INSERT INTO execution_transitions (execution_id, transition) VALUES (?, ?)',
    );
    this.deleteLease = db.prepare('DELETE FROM execution_leases WHERE execution_id = ?');
    this.releaseLeaseStmt = db.prepare('DELETE FROM cluster_leases WHERE name = ? AND holder = ?');
    this.leaseHolderStmt = db.prepare(
      'SELECT holder, expires_ms FROM cluster_leases WHERE name = ? AND expires_ms >= ?',
    );

    this.heartbeatTx = db.transaction((report: MemberReport) => {
      this.upsertMember.run(
        report.id,
        JSON.stringify(report.roles),
        report.host,
        report.pid,
        report.startedAt,
        this.clock().getTime(),
        JSON.stringify(report.info),
      );
      const held = this.heldBy.all(report.id);
      return {
        abortJobIds: held.filter((row) => row.abort_requested === 1).map((row) => row.id),
        heldJobIds: held.map((row) => row.id),
      };
    });

    const removeMember = db.prepare('DELETE FROM cluster_members WHERE id = ?');
    const removeLeasesOf = db.prepare('DELETE FROM execution_leases WHERE executor_id = ?');
    const releaseJobsOf = db.prepare(
      'UPDATE jobs SET worker_id = NULL, claimed_at = NULL WHERE worker_id = ?',
    );
    this.leaveTx = db.transaction((id: string) => {
      removeMember.run(id);
      removeLeasesOf.run(id);
      return releaseJobsOf.run(id).changes;
    });

    const expired = db.prepare<MemberRow>('DELETE FROM cluster_members WHERE heartbeat_ms < ? RETURNING *');
    const releaseOrphanJobs = db.prepare(
      `UPDATE jobs SET worker_id = NULL, claimed_at = NULL
       WHERE worker_id IS NOT NULL AND worker_id NOT IN (SELECT id FROM cluster_members)`,
    );
    const freeLeases = db.prepare<{ execution_id: string }>(
      `DELETE FROM execution_leases WHERE executor_id NOT IN (SELECT id FROM cluster_members)
       RETURNING execution_id`,
    );
    this.expireTx = db.transaction((cutoffMs: number) => ({
      members: expired.all(cutoffMs).map(memberOf),
      releasedJobs: releaseOrphanJobs.run().changes,
      releasedExecutionIds: freeLeases.all().map((row) => row.execution_id),
    }));

    const candidates = db.prepare<{ execution_id: string; owner: string | null }>(
      `SELECT execution_id, owner FROM (
         SELECT e.execution_id, min(e.seq) AS first, min(l.executor_id) AS owner
         FROM events e LEFT JOIN execution_leases l ON l.execution_id = e.execution_id
         GROUP BY e.execution_id)
       WHERE ${FREE_OWNER} ORDER BY first ${BOUND_LIMIT}`,
    );
    const lease = db.prepare(
      `INSERT INTO execution_leases (execution_id, executor_id) VALUES (?, ?)
       ON CONFLICT (execution_id) DO UPDATE SET executor_id = excluded.executor_id`,
    );
    const eventsOf = db.prepare<{ seq: number; execution_id: string; body: string }>(
      `SELECT seq, execution_id, body FROM events
       WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY seq ${BOUND_LIMIT}`,
    );
    this.claimTx = db.transaction((executorId: string, limit: number) => {
      const ids: string[] = [];
      for (const row of candidates.all(executorId, limit)) {
        if (row.owner !== executorId) lease.run(row.execution_id, executorId);
        ids.push(row.execution_id);
      }
      if (ids.length === 0) return [];
      return eventsOf.all(JSON.stringify(ids), limit).map((row) => ({
        seq: row.seq,
        executionId: row.execution_id,
        event: parseJson<ExecutorEvent>(row.body),
      }));
    });

    const takeLease = db.prepare<{ holder: string }>(
      `INSERT INTO cluster_leases (name, holder, expires_ms) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
         WHERE cluster_leases.holder = excluded.holder OR cluster_leases.expires_ms < ?
       RETURNING holder`,
    );
    this.leaseTx = db.transaction((name: string, holder: string, ttlMs: number) => {
      const now = this.clock().getTime();
      return takeLease.get(name, holder, now + ttlMs, now) !== undefined;
    });

    this.selectTransitions = db.prepare(
      `SELECT seq, execution_id, transition FROM execution_transitions ORDER BY seq ${BOUND_LIMIT}`,
    );
    const deleteTransition = db.prepare('DELETE FROM execution_transitions WHERE seq = ?');
    this.removeTransitionsTx = db.transaction((seqs: readonly number[]) => {
      for (const seq of seqs) deleteTransition.run(seq);
    });
  }

  /** Records an execution's transition; the caller holds the transaction (commitSteps). */
  recordTransition(executionId: string, transition: 'ended' | 'paused'): void {
    this.insertTransition.run(executionId, transition);
    if (transition === 'ended') this.deleteLease.run(executionId);
  }

  heartbeat(report: MemberReport): HeartbeatReply {
    return this.heartbeatTx.immediate(report);
  }

  listMembers(): ClusterMember[] {
    return this.selectMembers.all().map(memberOf);
  }

  leaveCluster(memberId: string): number {
    return this.leaveTx.immediate(memberId);
  }

  expireMembers(silentForMs: number): ExpiredMembers {
    return this.expireTx.immediate(this.clock().getTime() - silentForMs);
  }

  claimEvents(executorId: string, limit: number): StoredEvent[] {
    return limit <= 0 ? [] : this.claimTx.immediate(executorId, Math.floor(limit));
  }

  acquireLease(name: string, holder: string, ttlMs: number): boolean {
    return this.leaseTx.immediate(name, holder, ttlMs);
  }

  releaseLease(name: string, holder: string): void {
    this.releaseLeaseStmt.run(name, holder);
  }

  leaseHolder(name: string): LeaseHolder | undefined {
    const row = this.leaseHolderStmt.get(name, this.clock().getTime());
    return row ? { holder: row.holder, expiresAt: new Date(row.expires_ms).toISOString() } : undefined;
  }

  readExecutionTransitions(limit: number): ExecutionTransition[] {
    if (limit <= 0) return [];
    return this.selectTransitions.all(Math.floor(limit)).map((row) => ({
      seq: row.seq,
      executionId: row.execution_id,
      transition: row.transition as ExecutionTransition['transition'],
    }));
  }

  removeExecutionTransitions(seqs: readonly number[]): void {
    if (seqs.length > 0) this.removeTransitionsTx.immediate(seqs);
  }
}

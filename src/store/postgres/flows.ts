/**
 * Flows and their revisions on PostgreSQL: `flows` holds one row per flow (latest revision,
 * deleted flag), `flow_revisions` every revision. Saving takes a transaction-level advisory
 * lock on the flow so two saves of one flow at once number their revisions one after the other.
 */
import type pg from 'pg';
import type { FlowFilter, Page, SaveFlowResult, StoredFlow } from '../contract.js';
import { Conditions, containsPattern, iso, pageBounds, transaction } from './db.js';
import type { Queryable } from './db.js';

interface FlowRow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  definition: Record<string, unknown>;
  deleted: boolean;
  updated: Date;
}

type NewFlow = { namespace: string; id: string; source: string; definition: Record<string, unknown> };

const SELECT = `SELECT r.namespace, r.id, r.revision, r.source, r.definition, f.deleted, r.updated
  FROM flows f JOIN flow_revisions r ON r.namespace = f.namespace AND r.id = f.id`;

function toFlow(row: FlowRow): StoredFlow {
  return {
    namespace: row.namespace,
    id: row.id,
    revision: row.revision,
    source: row.source,
    definition: row.definition,
    deleted: row.deleted,
    updated: iso(row.updated),
  };
}

/** Flows and their revisions. */
export class PostgresFlows {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  /** Saves a flow: a new revision when the source changed or the flow was deleted. */
  save(flow: NewFlow): Promise<SaveFlowResult> {
    return transaction(this.pool, (client) => this.saveIn(client, flow));
  }

  private async saveIn(client: Queryable, flow: NewFlow): Promise<SaveFlowResult> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `flow:${flow.namespace}/${flow.id}`,
    ]);
    const { rows } = await client.query<FlowRow>(
      `${SELECT} AND r.revision = f.revision WHERE f.namespace = $1 AND f.id = $2`,
      [flow.namespace, flow.id],
    );
    const current = rows[0];
    if (current !== undefined && !current.deleted && current.source === flow.source) {
      return { flow: toFlow(current), changed: false, created: false };
    }
    const revision = current === undefined ? 1 : current.revision + 1;
    const updated = this.clock().toISOString();
    if (current === undefined) {
      await client.query('INSERT INTO flows (namespace, id, revision) VALUES ($1, $2, $3)', [
        flow.namespace,
        flow.id,
        revision,
      ]);
    } else {
      await client.query('UPDATE flows SET revision = $1, deleted = false WHERE namespace = $2 AND id = $3', [
        revision,
        flow.namespace,
        flow.id,
      ]);
    }
    await client.query(
      `INSERT INTO flow_revisions (namespace, id, revision, source, definition, updated)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [flow.namespace, flow.id, revision, flow.source, JSON.stringify(flow.definition), updated],
    );
    const saved: StoredFlow = {
      namespace: flow.namespace,
      id: flow.id,
      revision,
      source: flow.source,
      definition: flow.definition,
      deleted: false,
      updated,
    };
    return { flow: saved, changed: true, created: current === undefined };
  }

  /** The latest revision unless deleted, or the given revision even if deleted. */
  async get(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    if (revision !== undefined) {
      const { rows } = await this.pool.query<FlowRow>(
        `${SELECT} WHERE f.namespace = $1 AND f.id = $2 AND r.revision = $3`,
        [namespace, id, revision],
      );
      return rows[0] && toFlow(rows[0]);
    }
    const { rows } = await this.pool.query<FlowRow>(
      `${SELECT} AND r.revision = f.revision WHERE f.namespace = $1 AND f.id = $2 AND NOT f.deleted`,
      [namespace, id],
    );
    return rows[0] && toFlow(rows[0]);
  }

  /** Latest revisions of the flows not deleted, by namespace then id, one page. */
  async list(filter: FlowFilter): Promise<Page<StoredFlow>> {
    const where = new Conditions();
    where.add('NOT f.deleted');
    if (filter.namespace !== undefined) where.namespace('f.namespace', filter.namespace);
    if (filter.query !== undefined && filter.query !== '') {
      const pattern = containsPattern(filter.query);
      where.add('(r.id ILIKE ? OR r.namespace ILIKE ? OR r.source ILIKE ?)', pattern, pattern, pattern);
    }
    const conditions = `AND r.revision = f.revision ${where.where()}`;
    const { limit, offset } = pageBounds(filter);
    const count = await this.pool.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM flows f JOIN flow_revisions r ON r.namespace = f.namespace AND r.id = f.id ${conditions}`,
      where.params,
    );
    const page = `LIMIT ${where.next(limit)} OFFSET ${where.next(offset)}`;
    const { rows } = await this.pool.query<FlowRow>(
      `${SELECT} ${conditions} ORDER BY f.namespace, f.id ${page}`,
      where.params,
    );
    return { results: rows.map(toFlow), total: count.rows[0]?.total ?? 0 };
  }

  /** Every revision, oldest first. */
  async allRevisions(namespace: string, id: string): Promise<StoredFlow[]> {
    const { rows } = await this.pool.query<FlowRow>(
      `${SELECT} WHERE f.namespace = $1 AND f.id = $2 ORDER BY r.revision`,
      [namespace, id],
    );
    return rows.map(toFlow);
  }

  /** Marks the flow deleted; false when it does not exist or is deleted already. */
  async delete(namespace: string, id: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE flows SET deleted = true WHERE namespace = $1 AND id = $2 AND NOT deleted',
      [namespace, id],
    );
    return (result.rowCount ?? 0) > 0;
  }
}

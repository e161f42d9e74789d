/**
 * Flows and their revisions. `flows` holds one row per flow (latest revision, deleted flag),
 * `flow_revisions` every revision's source and definition. Deleting marks the flow, not a
 * revision: `StoredFlow.deleted` says whether the flow is deleted now, for every revision.
 */
import type { FlowFilter, Page, SaveFlowResult, StoredFlow } from '../contract.js';
import type { BindValue, Database, Statement, Transaction } from './driver.js';
import { StatementCache, containsPattern, namespaceCondition, pageBounds, parseJson } from './shared.js';

interface FlowRow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  definition: string;
  deleted: number;
  updated: string;
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
    definition: parseJson<Record<string, unknown>>(row.definition),
    deleted: row.deleted !== 0,
    updated: row.updated,
  };
}

/** Flows and their revisions. */
export class SqliteFlows {
  private readonly latest: Statement<FlowRow>;
  private readonly byRevision: Statement<FlowRow>;
  private readonly revisions: Statement<FlowRow>;
  private readonly insertFlow: Statement;
  private readonly updateFlow: Statement;
  private readonly insertRevision: Statement;
  private readonly markDeleted: Statement;
  private readonly cache: StatementCache;
  private readonly saveTx: Transaction<[NewFlow], SaveFlowResult>;

  constructor(
    db: Database,
    private readonly clock: () => Date,
  ) {
    this.latest = db.prepare(`${SELECT} AND r.revision = f.revision WHERE f.namespace = ? AND f.id = ?`);
    this.byRevision = db.prepare(`${SELECT} WHERE f.namespace = ? AND f.id = ? AND r.revision = ?`);
    this.revisions = db.prepare(`${SELECT} WHERE f.namespace = ? AND f.id = ? ORDER BY r.revision`);
    this.insertFlow = db.prepare('INSERT INTO flows (namespace, id, revision, deleted) VALUES (?, ?, ?, 0)');
    this.updateFlow = db.prepare('UPDATE flows SET revision = ?, deleted = 0 WHERE namespace = ? AND id = ?');
    this.insertRevision = db.prepare(
      'INSERT INTO flow_revisions (namespace, id, revision, source, definition, updated) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.markDeleted = db.prepare(
      'UPDATE flows SET deleted = 1 WHERE namespace = ? AND id = ? AND deleted = 0',
    );
    this.cache = new StatementCache(db);
    this.saveTx = db.transaction((flow: NewFlow) => this.saveInTransaction(flow));
  }

  /** Saves a flow: a new revision when the source changed or the flow was deleted. */
  save(flow: NewFlow): SaveFlowResult {
    return this.saveTx.immediate(flow);
  }

  private saveInTransaction(flow: NewFlow): SaveFlowResult {
    const current = this.latest.get(flow.namespace, flow.id);
    if (current !== undefined && current.deleted === 0 && current.source === flow.source) {
      return { flow: toFlow(current), changed: false, created: false };
    }
    const revision = current === undefined ? 1 : current.revision + 1;
    const updated = this.clock().toISOString();
    if (current === undefined) this.insertFlow.run(flow.namespace, flow.id, revision);
    else this.updateFlow.run(revision, flow.namespace, flow.id);
    this.insertRevision.run(
      flow.namespace,
      flow.id,
      revision,
      flow.source,
      JSON.stringify(flow.definition),
      updated,
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
  get(namespace: string, id: string, revision?: number): StoredFlow | undefined {
    if (revision !== undefined) {
      const row = this.byRevision.get(namespace, id, revision);
      return row && toFlow(row);
    }
    const row = this.latest.get(namespace, id);
    return row && row.deleted === 0 ? toFlow(row) : undefined;
  }

  /** Latest revisions of the flows not deleted, by namespace then id, one page. */
  list(filter: FlowFilter): Page<StoredFlow> {
    const where = ['f.deleted = 0'];
    const params: BindValue[] = [];
    if (filter.namespace !== undefined) {
      const condition = namespaceCondition('f.namespace', filter.namespace);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    if (filter.query !== undefined && filter.query !== '') {
      where.push(
        "(r.id LIKE ? ESCAPE '\\' OR r.namespace LIKE ? ESCAPE '\\' OR r.source LIKE ? ESCAPE '\\')",
      );
      const pattern = containsPattern(filter.query);
      params.push(pattern, pattern, pattern);
    }
    const conditions = `AND r.revision = f.revision WHERE ${where.join(' AND ')}`;
    const { limit, offset } = pageBounds(filter);
    const rows = this.cache
      .get<FlowRow>(`${SELECT} ${conditions} ORDER BY f.namespace, f.id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
    const count = this.cache
      .get<{ total: number }>(
        `SELECT count(*) AS total FROM flows f JOIN flow_revisions r ON r.namespace = f.namespace AND r.id = f.id ${conditions}`,
      )
      .get(...params);
    return { results: rows.map(toFlow), total: count?.total ?? 0 };
  }

  /** Every revision, oldest first. */
  allRevisions(namespace: string, id: string): StoredFlow[] {
    return this.revisions.all(namespace, id).map(toFlow);
  }

  /** Marks the flow deleted; false when it does not exist or is deleted already. */
  delete(namespace: string, id: string): boolean {
    return this.markDeleted.run(namespace, id).changes > 0;
  }
}

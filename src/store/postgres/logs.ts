/**
 * Log lines on PostgreSQL: one row each, the level as a number (a minimum level is a
 * comparison), batches inserted with one statement over arrays.
 */
import type pg from 'pg';
import type { LogFilter, LogSearch, LogSearchPage, StoredLog } from '../contract.js';
import type { LogEntry } from '../../engine/model.js';
import { Conditions, containsPattern, iso, num, pageBounds } from './db.js';
import type { Queryable } from './db.js';

type Level = LogEntry['level'];

const LEVELS: readonly Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
/** Levels as stored: a minimum level is a comparison. */
const RANK: Readonly<Record<Level, number>> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

const COLUMNS =
  'seq, execution_id, namespace, flow_id, task_id, task_run_id, attempt_number, level, message, timestamp';

interface LogRow {
  seq: string;
  execution_id: string;
  namespace: string;
  flow_id: string;
  task_id: string | null;
  task_run_id: string | null;
  attempt_number: number | null;
  level: number;
  message: string;
  timestamp: Date;
}

function toLog(row: LogRow): StoredLog {
  const log: StoredLog = {
    seq: num(row.seq),
    executionId: row.execution_id,
    namespace: row.namespace,
    flowId: row.flow_id,
    level: LEVELS[row.level] ?? 'INFO',
    message: row.message,
    timestamp: iso(row.timestamp),
  };
  if (row.task_id !== null) log.taskId = row.task_id;
  if (row.task_run_id !== null) log.taskRunId = row.task_run_id;
  if (row.attempt_number !== null) log.attemptNumber = row.attempt_number;
  return log;
}

/** PostgreSQL text cannot hold NUL: a script printing one keeps the rest of its line. */
const noNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);

/**
 * An INSERT of `logs` in the order given, its parameters numbered by `param`; `where` may gate
 * it (a CTE of a larger statement).
 */
export function insertLogsSql(
  logs: readonly LogEntry[],
  param: (value: unknown) => string,
  where = '',
): string {
  return `INSERT INTO logs (execution_id, namespace, flow_id, task_id, task_run_id, attempt_number, level, message, timestamp)
     SELECT e, ns, f, ti, tr, a, l, m, ts FROM unnest(${param(logs.map((l) => l.executionId))}::text[],
       ${param(logs.map((l) => l.namespace))}::text[], ${param(logs.map((l) => l.flowId))}::text[],
       ${param(logs.map((l) => l.taskId ?? null))}::text[], ${param(logs.map((l) => l.taskRunId ?? null))}::text[],
       ${param(logs.map((l) => l.attemptNumber ?? null))}::int[], ${param(logs.map((l) => RANK[l.level]))}::smallint[],
       ${param(logs.map((l) => noNul(l.message)))}::text[], ${param(logs.map((l) => l.timestamp))}::timestamptz[])
       WITH ORDINALITY AS t(e, ns, f, ti, tr, a, l, m, ts, n) ${where} ORDER BY n`;
}

/** A parameter list and the function numbering its placeholders. */
export function parameters(): { params: unknown[]; param: (value: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    param: (value) => {
      params.push(value);
      return `$${params.length}`;
    },
  };
}

/** Inserts lines in one statement, in the order given; the caller chooses the transaction. */
export async function writeLogs(db: Queryable, logs: readonly LogEntry[]): Promise<void> {
  if (logs.length === 0) return;
  const { params, param } = parameters();
  await db.query(insertLogsSql(logs, param), params);
}

/** Reading log lines. */
export class PostgresLogs {
  constructor(private readonly pool: pg.Pool) {}

  /** Appends a batch of lines (one statement: atomic). */
  append(logs: LogEntry[]): Promise<void> {
    return writeLogs(this.pool, logs);
  }

  /** Lines of an execution, in order, filtered. A NULL parameter switches its condition off. */
  async read(executionId: string, filter: LogFilter = {}): Promise<StoredLog[]> {
    const limit = filter.limit !== undefined && filter.limit >= 0 ? Math.floor(filter.limit) : null;
    const { rows } = await this.pool.query<LogRow>(
      `SELECT ${COLUMNS} FROM logs
       WHERE execution_id = $1 AND seq > $2 AND level >= $3
         AND ($4::text IS NULL OR task_run_id = $4) AND ($5::text IS NULL OR task_id = $5)
       ORDER BY seq LIMIT $6`,
      [
        executionId,
        filter.afterSeq ?? 0,
        filter.minLevel === undefined ? 0 : RANK[filter.minLevel],
        filter.taskRunId ?? null,
        filter.taskId ?? null,
        limit,
      ],
    );
    return rows.map(toLog);
  }

  /** Lines of every execution matching a search, newest first, one page. */
  async search(search: LogSearch): Promise<LogSearchPage> {
    // The page holds no line past the newest one now, so that following it from `lastSeq` shows
    // each later line once (a line of a transaction still open then, with a lower seq, is missed).
    const mark = await this.pool.query<{ last: string }>('SELECT coalesce(max(seq), 0) AS last FROM logs');
    const lastSeq = num(mark.rows[0]?.last ?? '0');
    const where = new Conditions();
    where.add('seq <= ?', lastSeq);
    if (search.afterSeq !== undefined) where.add('seq > ?', Math.max(0, Math.floor(search.afterSeq)));
    if (search.namespace !== undefined) where.namespace('namespace', search.namespace);
    if (search.flowId !== undefined) where.add('flow_id = ?', search.flowId);
    if (search.minLevel !== undefined) where.add('level >= ?', RANK[search.minLevel]);
    // ILIKE as SQLite's LIKE ignores case; logs_message_trigrams (pg_trgm) serves it when present.
    if (search.query !== undefined && search.query !== '')
      where.add('message ILIKE ?', containsPattern(search.query));
    if (search.startDate !== undefined) where.add('timestamp >= ?', new Date(search.startDate).toISOString());
    if (search.endDate !== undefined) where.add('timestamp <= ?', new Date(search.endDate).toISOString());
    const { limit, offset } = pageBounds(search);
    // Counting stops at `totalUpTo` when asked: a million matches are not counted one by one.
    const count = await this.pool.query<{ total: number }>(
      search.totalUpTo !== undefined
        ? `SELECT count(*)::int AS total FROM (SELECT 1 FROM logs ${where.where()} LIMIT $${where.params.length + 1}) AS matches`
        : `SELECT count(*)::int AS total FROM logs ${where.where()}`,
      search.totalUpTo !== undefined
        ? [...where.params, Math.max(0, Math.floor(search.totalUpTo))]
        : where.params,
    );
    // The next page by keyset: lines before the cursor, read from the index where the last page
    // ended rather than counted past from the newest line.
    if (search.before !== undefined)
      where.add('(timestamp, seq) < (?::timestamptz, ?)', search.before.timestamp, search.before.seq);
    const conditions = where.where();
    const page = `LIMIT ${where.next(limit)} OFFSET ${where.next(search.before !== undefined ? 0 : offset)}`;
    const { rows } = await this.pool.query<LogRow>(
      `SELECT ${COLUMNS} FROM logs ${conditions} ORDER BY timestamp DESC, seq DESC ${page}`,
      where.params,
    );
    return { results: rows.map(toLog), total: count.rows[0]?.total ?? 0, lastSeq };
  }
}

/**
 * Log lines of executions: one row each, in columns (no JSON to encode on the hot path), with
 * the level as a number so that a minimum level is a comparison.
 */
import type { LogFilter, LogSearch, LogSearchPage, StoredLog } from '../contract.js';
import type { LogEntry } from '../../engine/model.js';
import type { BindValue, Database, Statement, Transaction } from './driver.js';
import { TEXT_INDEX_SQL } from './log-text-index.js';
import { containsPattern, namespaceCondition, pageBounds, StatementCache } from './shared.js';

type Level = LogEntry['level'];

const LEVELS: readonly Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const RANK: Readonly<Record<Level, number>> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
const COLUMNS =
  'seq, execution_id, namespace, flow_id, task_id, task_run_id, attempt_number, level, message, timestamp';
/** A message holding a text: its parameter is a containsPattern (LIKE ignores ASCII case). */
const TEXT_CONDITION = "message LIKE ? ESCAPE '\\'";
/** Newest lines a text search reads by index before it scans the table instead. */
const TEXT_PROBE = 20_000;

interface LogRow {
  seq: number;
  execution_id: string;
  namespace: string;
  flow_id: string;
  task_id: string | null;
  task_run_id: string | null;
  attempt_number: number | null;
  level: number;
  message: string;
  timestamp: string;
}

function toLog(row: LogRow): StoredLog {
  const log: StoredLog = {
    seq: row.seq,
    executionId: row.execution_id,
    namespace: row.namespace,
    flowId: row.flow_id,
    level: LEVELS[row.level] ?? 'INFO',
    message: row.message,
    timestamp: row.timestamp,
  };
  if (row.task_id !== null) log.taskId = row.task_id;
  if (row.task_run_id !== null) log.taskRunId = row.task_run_id;
  if (row.attempt_number !== null) log.attemptNumber = row.attempt_number;
  return log;
}

/** Writing and reading log lines. */
export class SqliteLogs {
  private readonly insert: Statement;
  private readonly select: Statement<LogRow>;
  private readonly appendTx: Transaction<[LogEntry[]], void>;

  private readonly cache: StatementCache;

  constructor(db: Database) {
    this.cache = new StatementCache(db);
    this.insert = db.prepare(
      `INSERT INTO logs (execution_id, namespace, flow_id, task_id, task_run_id, attempt_number, level, message, timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // One statement for every filter: a NULL parameter switches its condition off. The index
    // (execution_id, seq) serves the execution, the order and `afterSeq`.
    this.select = db.prepare(
      `SELECT seq, execution_id, namespace, flow_id, task_id, task_run_id, attempt_number, level, message, timestamp
       FROM logs
       WHERE execution_id = @executionId AND seq > @afterSeq AND level >= @minLevel
         AND (@taskRunId IS NULL OR task_run_id = @taskRunId) AND (@taskId IS NULL OR task_id = @taskId)
       ORDER BY seq LIMIT @limit`,
    );
    this.appendTx = db.transaction((logs: LogEntry[]) => this.write(logs));
  }

  /** Inserts lines; the caller holds the transaction. */
  write(logs: readonly LogEntry[]): void {
    for (const log of logs) {
      this.insert.run(
        log.executionId,
        log.namespace,
        log.flowId,
        log.taskId ?? null,
        log.taskRunId ?? null,
        log.attemptNumber ?? null,
        RANK[log.level],
        log.message,
        log.timestamp,
      );
    }
  }

  /** Appends a batch of lines in one transaction. */
  append(logs: LogEntry[]): void {
    if (logs.length > 0) this.appendTx.immediate(logs);
  }

  /** Lines of an execution, in order, filtered. */
  read(executionId: string, filter: LogFilter = {}): StoredLog[] {
    const limit = filter.limit !== undefined && filter.limit >= 0 ? Math.floor(filter.limit) : -1;
    return this.select
      .all({
        executionId,
        afterSeq: filter.afterSeq ?? 0,
        minLevel: filter.minLevel === undefined ? 0 : RANK[filter.minLevel],
        taskRunId: filter.taskRunId ?? null,
        taskId: filter.taskId ?? null,
        limit,
      })
      .map(toLog);
  }

  /** Lines of every execution matching a search, newest first, one page. */
  search(search: LogSearch): LogSearchPage {
    // Read in the same synchronous call as the page: no line can be appended in between.
    const lastSeq =
      this.cache.get<{ last: number }>('SELECT coalesce(max(seq), 0) AS last FROM logs').get()?.last ?? 0;
    // '+seq' keeps the planner off the rowid for this bound: it holds for (nearly) every line.
    const where: string[] = ['+seq <= ?'];
    const params: BindValue[] = [lastSeq];
    if (search.namespace !== undefined) {
      const condition = namespaceCondition('namespace', search.namespace);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    if (search.flowId !== undefined) {
      where.push('flow_id = ?');
      params.push(search.flowId);
    }
    if (search.minLevel !== undefined) {
      where.push('level >= ?');
      params.push(RANK[search.minLevel]);
    }
    // Timestamps are stored as ISO-8601 UTC text (toISOString), which sorts as time does.
    if (search.startDate !== undefined) {
      where.push('timestamp >= ?');
      params.push(new Date(search.startDate).toISOString());
    }
    if (search.endDate !== undefined) {
      where.push('timestamp <= ?');
      params.push(new Date(search.endDate).toISOString());
    }
    if (search.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(Math.max(0, Math.floor(search.afterSeq)));
    }
    const text =
      search.query !== undefined && search.query !== '' ? containsPattern(search.query) : undefined;
    const all = text !== undefined ? [...where, TEXT_CONDITION] : where;
    const allParams = text !== undefined ? [...params, text] : params;
    const conditions = all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
    const source = this.textSource(search.query);
    const { limit, offset } = pageBounds(search);
    // Counting stops at `totalUpTo` when asked: a million matches are not counted one by one.
    const total =
      search.totalUpTo !== undefined
        ? this.cache
            .get<{ total: number }>(
              `SELECT count(*) AS total FROM (SELECT 1 FROM ${source.sql} ${conditions} LIMIT ?)`,
            )
            .get(...source.params, ...allParams, Math.max(0, Math.floor(search.totalUpTo)))
        : this.cache
            .get<{ total: number }>(`SELECT count(*) AS total FROM ${source.sql} ${conditions}`)
            .get(...source.params, ...allParams);
    // The next page by keyset: lines before the cursor, read from the index where the last page
    // ended rather than counted past from the newest line.
    const before = search.before;
    if (before !== undefined) {
      where.push('(timestamp, seq) < (?, ?)');
      params.push(before.timestamp, before.seq);
    }
    const skip = before !== undefined ? 0 : offset;
    const rows =
      search.afterSeq !== undefined
        ? this.appendedSince(where, params, text, limit, skip)
        : text === undefined
          ? this.newest(where, params, limit, skip)
          : this.newestWithText(where, params, text, source, limit, skip);
    return { results: rows.map(toLog), total: total?.total ?? 0, lastSeq };
  }

  /**
   * The newest lines under `where`, which bounds seq from below (`afterSeq`): read from that
   * rowid range (the few lines appended since) and sorted, rather than found by walking the
   * timestamp index past a million older ones ('+timestamp' keeps the planner off it).
   */
  private appendedSince(
    where: string[],
    params: BindValue[],
    text: string | undefined,
    limit: number,
    offset: number,
  ): LogRow[] {
    const all = text !== undefined ? [...where, TEXT_CONDITION] : where;
    const allParams = text !== undefined ? [...params, text] : params;
    return this.cache
      .get<LogRow>(
        `SELECT ${COLUMNS} FROM logs WHERE ${all.join(' AND ')} ORDER BY +timestamp DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...allParams, limit, offset);
  }

  /**
   * Where a text search reads: the lines whose trigrams hold the text's, as far as the index
   * reaches, and every line written after that (read directly: few, unless the index is behind).
   * A text of fewer than three characters has no trigram: the table itself.
   */
  private textSource(query: string | undefined): { sql: string; params: BindValue[] } {
    if (query === undefined || [...query].length < 3) return { sql: 'logs', params: [] };
    const indexed = this.cache.get<{ indexed: number }>(TEXT_INDEX_SQL.progress).get()?.indexed ?? 0;
    return {
      sql: `(SELECT * FROM logs WHERE seq IN (SELECT rowid FROM logs_text WHERE logs_text MATCH ?) AND seq <= ?
             UNION ALL SELECT * FROM logs WHERE seq > ?) AS logs`,
      // One FTS5 phrase: the text quoted, its quotes doubled; the trigram tokenizer finds it anywhere.
      params: [`"${query.replaceAll('"', '""')}"`, indexed, indexed],
    };
  }

  /** The newest lines under `where`, walked from the (timestamp, seq) index: a page stops at its LIMIT. */
  private newest(where: string[], params: BindValue[], limit: number, offset: number): LogRow[] {
    const conditions = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.cache
      .get<LogRow>(
        `SELECT ${COLUMNS} FROM logs ${conditions} ORDER BY timestamp DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset);
  }

  /**
   * The newest lines under `where` whose message holds a text. Walking the index row by row is
   * fast when the text is common (the page fills at once) and slow when it is rare (every row is
   * a lookup: 0.4 s on a million lines); the text index (or, for a text too short for it, a
   * scan of the table) is the reverse. So: the newest TEXT_PROBE lines first, and `source` only
   * when they held too few.
   */
  private newestWithText(
    where: string[],
    params: BindValue[],
    text: string,
    source: { sql: string; params: BindValue[] },
    limit: number,
    offset: number,
  ): LogRow[] {
    const conditions = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const probed = this.cache
      .get<LogRow>(
        `SELECT ${COLUMNS} FROM (
           SELECT ${COLUMNS} FROM logs ${conditions} ORDER BY timestamp DESC, seq DESC LIMIT ?
         ) WHERE ${TEXT_CONDITION} ORDER BY timestamp DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, TEXT_PROBE, text, limit, offset);
    if (probed.length === limit) return probed;
    // '+timestamp' keeps the planner off the index walk for the order (a range on it still uses it).
    const textWhere = `${conditions ? `${conditions} AND` : 'WHERE'} ${TEXT_CONDITION}`;
    return this.cache
      .get<LogRow>(
        `SELECT ${COLUMNS} FROM ${source.sql} ${textWhere} ORDER BY +timestamp DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...source.params, ...params, text, limit, offset);
  }
}

/**
 * Log lines of executions: one row each, in columns (no JSON to encode on the hot path), with
 * the level as a number so that a minimum level is a comparison.
 */
import type { LogFilter, StoredLog } from '../contract.js';
import type { LogEntry } from '../../engine/model.js';
import type { Database, Statement, Transaction } from './driver.js';

type Level = LogEntry['level'];

const LEVELS: readonly Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const RANK: Readonly<Record<Level, number>> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

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

  constructor(db: Database) {
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
}

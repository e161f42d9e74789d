/**
 * Counts for monitoring (the server's /metrics) and the home page: executions by state, per
 * interval of their start, and the flows that ran longest. Grouped queries in SQL, so the
 * answer stays small whatever the number of executions; the windows read the executions_start
 * index.
 */
import type { ExecutionTimelineCount, ExecutionTimelineRequest, FlowDurationStats } from '../contract.js';
import type { State } from '../../engine/model.js';
import type { Database, Statement } from './driver.js';

/** Counts of executions, for metrics and the home page. */
export class SqliteStats {
  private readonly byState: Statement<{ state: string; total: number }>;
  private readonly overTime: Statement<{ slot: number; state: string; total: number }>;
  private readonly durations: Statement<{
    namespace: string;
    flow_id: string;
    executions: number;
    max_ms: number;
    avg_ms: number;
  }>;

  constructor(db: Database) {
    this.byState = db.prepare('SELECT state, COUNT(*) AS total FROM executions GROUP BY state');
    this.overTime = db.prepare(
      `SELECT CAST((start_ms - @from) / @interval AS INTEGER) AS slot, state, COUNT(*) AS total
       FROM executions WHERE start_ms >= @from AND start_ms < @to GROUP BY slot, state`,
    );
    // The end date lives in the header only: it is read once per execution of the window (the
    // materialized CTE keeps SQLite from extracting it twice), which halves the time.
    this.durations = db.prepare(
      `WITH in_window AS MATERIALIZED (
         SELECT namespace, flow_id, start_ms, header ->> '$.state.endDate' AS end_iso
         FROM executions WHERE start_ms >= @from AND start_ms < @to
       )
       SELECT namespace, flow_id, COUNT(*) AS executions, MAX(ms) AS max_ms, AVG(ms) AS avg_ms FROM (
         SELECT namespace, flow_id,
           CAST(ROUND((julianday(end_iso) - 2440587.5) * 86400000.0) AS INTEGER) - start_ms AS ms
         FROM in_window WHERE end_iso IS NOT NULL
       )
       GROUP BY namespace, flow_id ORDER BY max_ms DESC, avg_ms DESC, namespace, flow_id LIMIT @limit`,
    );
  }

  countExecutionsByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.byState.all()) out[row.state] = row.total;
    return out;
  }

  /** Executions per interval of their start and state. */
  countOverTime(request: ExecutionTimelineRequest): ExecutionTimelineCount[] {
    return this.overTime
      .all({ from: Date.parse(request.from), to: Date.parse(request.to), interval: request.intervalMs })
      .map((row) => ({ interval: row.slot, state: row.state as State, count: row.total }));
  }

  /** The flows whose ended executions took longest. */
  slowestFlows(request: { from: string; to: string; limit: number }): FlowDurationStats[] {
    return this.durations
      .all({ from: Date.parse(request.from), to: Date.parse(request.to), limit: request.limit })
      .map((row) => ({
        namespace: row.namespace,
        flowId: row.flow_id,
        executions: row.executions,
        maxMs: row.max_ms,
        avgMs: Math.round(row.avg_ms),
      }));
  }
}

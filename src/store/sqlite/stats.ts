/**
 * Counts for monitoring (the server's /metrics): executions by state. One grouped query on
 * the `state` column; SQLite reads it from the executions_flow_state index.
 */
import type { Database, Statement } from './driver.js';

/** Counts of executions, for metrics. */
export class SqliteStats {
  private readonly byState: Statement<{ state: string; total: number }>;

  constructor(db: Database) {
    this.byState = db.prepare('SELECT state, COUNT(*) AS total FROM executions GROUP BY state');
  }

  countExecutionsByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.byState.all()) out[row.state] = row.total;
    return out;
  }
}

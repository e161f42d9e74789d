/**
 * Which pool (hence which `synchronous_commit`) the PostgreSQL store commits an executor's step
 * through, without a server: pools that record what they were sent.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresExecutions } from '../../src/store/postgres/executions.js';
import type { PostgresTriggers } from '../../src/store/postgres/triggers.js';
import { execution, job, step } from './builders.js';

/** A pool answering every query as a committed one-statement step, recording that it was used. */
function recordingPool(name: string, used: string[]): pg.Pool {
  const pool = {
    query: (config: pg.QueryConfig) => {
      used.push(`${name}: ${config.text.split(' ').slice(0, 4).join(' ')}`);
      return Promise.resolve({ rows: [{ n: 1, claimed: [] }], rowCount: 1 });
    },
  };
  // Only `query` is reached by a lone step's commit; the rest of pg.Pool is not needed here.
  return pool as unknown as pg.Pool;
}

describe('PostgreSQL executor steps', () => {
  it('commit a task run result handed over in process without waiting for the WAL flush, as a worker completion does', async () => {
    const used: string[] = [];
    const executions = new PostgresExecutions(
      recordingPool('flushed', used),
      recordingPool('relaxed', used),
      // Not reached: only creations with trigger states save triggers.
      {} as PostgresTriggers,
      () => new Date('2026-12-07T00:00:00Z'),
    );
    await executions.commit(
      [step(execution('e1', { version: 2 }), { completedJobIds: ['j1'], jobs: [job('e1', 'j2')] })],
      { claimFor: { workerId: 'w1', limit: 4 } },
    );
    await executions.commit([step(execution('e2', { version: 2 }), { jobs: [job('e2', 'j3')] })]);
    // Was the flushed pool for the first: 1.7-2.5 ms more per chained task on the bench machine.
    expect(used).toEqual(['relaxed: WITH upd AS (UPDATE', 'relaxed: WITH upd AS (UPDATE']);
  });
});

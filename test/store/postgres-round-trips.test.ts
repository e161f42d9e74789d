/**
 * Round trips of the PostgreSQL store's hot paths, read from the server's own statement log (a
 * private cluster with `log_statement=all`): what a client pays per execution it submits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { newExecution as submitted } from '../../src/engine/runtime/new-execution.js';
import { Runtime } from '../../src/engine/runtime/runtime.js';
import { LocalStorage } from '../../src/storage/local.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { startPrivatePostgres } from '../support/private-postgres.js';
import { job, execution as newExecution, step, taskRun } from './builders.js';

const started = await startPrivatePostgres('round-trips', ['log_statement=all']);
const cluster = started.cluster;

afterAll(() => cluster?.destroy());

/** The statements (round trips) the server logged after `from` characters of its log. */
function statementsSince(from: number): string[] {
  return cluster!
    .log()
    .slice(from)
    .split(/\n(?=\d{4}-\d\d-\d\d )/) // one entry per statement, its lines kept together
    .filter((entry) => /LOG: {2}(statement|execute)/.test(entry));
}

describe.skipIf(!started.available)(`PostgreSQL round trips ${started.reason}`, () => {
  it('creates an execution with its task runs and first event in one statement, without BEGIN/COMMIT', async () => {
    const db = await cluster!.createDatabase('round_trips');
    const store = await openPostgresStore(db.url, { poolSize: 1 });
    try {
      const execution = newExecution('e1', { taskRunList: [taskRun('e1', 'tr1')] });
      // The pool's connection is open (migrations): only the create's statements follow.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const from = cluster!.log().length;
      await store.createExecution(execution, [{ kind: 'start' }]);
      // The server writes its log asynchronously: give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const statements = statementsSince(from);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(
        /INSERT INTO executions[\s\S]*INSERT INTO task_runs[\s\S]*INSERT INTO events/,
      );
      // Both rows are there, the event queued for the executor.
      expect((await store.getExecution(execution.id))?.taskRunList.map((t) => t.id)).toEqual(['tr1']);
      expect((await store.pendingEvents(10)).map((e) => [e.executionId, e.event.kind])).toEqual([
        [execution.id, 'start'],
      ]);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('reads a group of executions it has not cached (submitted elsewhere) in one statement', async () => {
    const db = await cluster!.createDatabase('round_trips_group');
    const store = await openPostgresStore(db.url);
    const dir = mkdtempSync(join(tmpdir(), 'wh-round-trips-'));
    const executor = new Runtime({
      store,
      storage: new LocalStorage(join(dir, 'storage')),
      workRoot: join(dir, 'work'),
      roles: { executor: true, worker: false },
      cluster: { exclusive: false },
    });
    try {
      const flow = await deployFlow(
        store,
        'id: one\nnamespace: rt\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
      );
      // Queued before the executor starts, as another process (a web server) would: none is cached.
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const execution = submitted(flow, {});
        execution.state = { ...execution.state, current: 'RUNNING' };
        await store.createExecution(execution, [{ kind: 'start' }]);
        ids.push(execution.id);
      }
      const from = cluster!.log().length;
      await executor.start();
      // Each start step queues its first task's job (no worker here runs it).
      for (let i = 0; i < 100 && (await store.countJobs()).pending < 5; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await store.countJobs()).pending).toBe(5);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const statements = statementsSince(from);
      expect(statements.filter((entry) => /windhover_get_execution:/.test(entry))).toEqual([]);
      expect(statements.filter((entry) => /windhover_get_executions:/.test(entry))).toHaveLength(1);
    } finally {
      await executor.stop(1000);
      await store.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("commits a standalone's step, its in-process result and the claim of its next job in one statement, waking no worker", async () => {
    const db = await cluster!.createDatabase('round_trips_claim');
    const store = await openPostgresStore(db.url, { poolSize: 1 });
    const wokenJobs: string[] = [];
    const listener = await store.listen(['jobs'], (topic) => wokenJobs.push(topic));
    try {
      const e1 = newExecution('e1', { taskRunList: [taskRun('e1', 'tr1')] });
      await store.createExecution(e1, []);
      // The job of the task run whose result the step brings in process, claimed by this worker.
      await store.commitSteps([step(e1, { jobs: [job('e1', 'j1')] })]);
      expect((await store.claimJobs('w1', 1)).map((c) => c.job.id)).toEqual(['j1']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      wokenJobs.length = 0;
      const from = cluster!.log().length;
      const claimed = await store.commitSteps(
        [step({ ...e1, version: 2 }, { completedJobIds: ['j1'], jobs: [job('e1', 'j2')] })],
        { claimFor: { workerId: 'w1', limit: 4 } },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(claimed.map((c) => [c.job.id, c.workerId])).toEqual([['j2', 'w1']]);
      const statements = statementsSince(from);
      // Was BEGIN, the step, the claim, COMMIT: four round trips per chained task.
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/DELETE FROM jobs[\s\S]*INSERT INTO jobs/);
      expect(await store.countJobs()).toEqual({ pending: 0, claimed: 1 });
      // No other worker may take j2: its NOTIFY would only cost each of them a useless claim.
      expect(wokenJobs).toEqual([]);
      // A job left unclaimed (no room) still wakes the workers.
      await store.commitSteps(
        [step({ ...e1, version: 3 }, { completedJobIds: ['j2'], jobs: [job('e1', 'j3')] })],
        {
          claimFor: { workerId: 'w1', limit: 0 },
        },
      );
      for (let i = 0; i < 40 && wokenJobs.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(wokenJobs).toEqual(['jobs']);
    } finally {
      await listener.close();
      await store.close();
      await db.drop();
    }
  });
});

/**
 * The PostgreSQL adapter: the conformance suite, each test on a fresh database cloned from a
 * migrated template, then what only PostgreSQL has (migrations across processes, SKIP LOCKED
 * claims across pools, connection errors). Skipped, with the reason, where no server answers
 * (a failure under WINDHOVER_TEST_REQUIRE_DATABASES=1).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { STATES, isTerminal } from '../../src/engine/model.js';
import { VersionConflictError } from '../../src/store/contract.js';
import type { Store } from '../../src/store/contract.js';
import {
  MIGRATIONS,
  PostgresSchemaTooNewError,
  checkServerVersion,
  migratePostgres,
  openPostgresStore,
  schemaVersion,
} from '../../src/store/postgres/index.js';
import { UNFINISHED_STATES_SQL } from '../../src/store/postgres/migrations.js';
import { createPostgresDatabase } from '../support/databases.js';
import { createPostgresStoreTemplate, withClient } from '../support/postgres-store.js';
import { T0, execution, job, jobResult, log, step, taskRun, timer } from './builders.js';
import { describeStoreConformance } from './conformance.js';
import { describeClusterConformance } from './conformance-cluster.js';

const databases = await createPostgresStoreTemplate('store');

afterEach(async () => {
  await databases.dropClones();
});

afterAll(async () => {
  await databases.dispose();
});

describe.skipIf(!databases.available)(
  `postgres${databases.available ? '' : ` (skipped: ${databases.reason})`}`,
  () => {
    describeStoreConformance('postgres', async () =>
      openPostgresStore(await databases.clone(), { poolSize: 4 }),
    );
    describeClusterConformance('postgres', async () =>
      openPostgresStore(await databases.clone(), { poolSize: 4 }),
    );

    describe('postgres specifics', () => {
      const stores: Store[] = [];
      const open = async (url: string) => {
        const store = await openPostgresStore(url, { poolSize: 4 });
        stores.push(store);
        return store;
      };
      afterEach(async () => {
        await Promise.all(stores.splice(0).map((s) => s.close()));
      });

      it('serialises admissions of one flow across stores (two processes), not only within one', async () => {
        const url = await databases.clone();
        const [one, two] = [await open(url), await open(url)];
        const trace: string[] = [];
        const admission = (store: Store, name: string) =>
          store.withAdmissionLock('company.team', 'f', async () => {
            trace.push(`${name}+`);
            await new Promise((resolve) => setTimeout(resolve, 100));
            trace.push(`${name}-`);
          });
        await Promise.all([admission(one, 'a'), admission(two, 'b')]);
        expect([trace.join(' ')]).toContainEqual(expect.stringMatching(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/));
      });

      it('numbers its migrations 1..n without gaps (append-only)', () => {
        expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
        for (const m of MIGRATIONS) expect(m.name.trim()).not.toBe('');
      });

      it('indexes log messages by trigrams (pg_trgm) so that a text search need not read every line', async () => {
        const url = await databases.clone();
        await withClient(url, async (client) => {
          const available = await client.query(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'",
          );
          if (available.rowCount === 0) return; // The migration then leaves the search as it was.
          const index = await client.query<{ indexdef: string }>(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'logs_message_trigrams'",
          );
          expect(index.rows[0]?.indexdef).toMatch(/USING gin \(message \S*gin_trgm_ops\)/);
          // The search's condition is one the index serves (a plan without it would scan).
          await client.query('SET enable_seqscan = off');
          const plan = await client.query<{ 'QUERY PLAN': string }>(
            "EXPLAIN SELECT seq FROM logs WHERE message ILIKE '%needle%'",
          );
          expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('logs_message_trigrams');
        });
      });

      it('lists the unfinished states as the engine defines them', () => {
        const unfinished = STATES.filter((s) => !isTerminal(s));
        expect(UNFINISHED_STATES_SQL).toBe(`(${unfinished.map((s) => `'${s}'`).join(', ')})`);
      });

      it('migrates once when two processes migrate at once: the second waits, then finds the schema current', async () => {
        const empty = await createPostgresDatabase('store_mig');
        try {
          // A slow first step: without the lock both would start it, and one would fail on the
          // table the other created.
          const slow = [
            { ...MIGRATIONS[0]!, sql: `SELECT pg_sleep(0.3); ${MIGRATIONS[0]!.sql}` },
            ...MIGRATIONS.slice(1),
          ];
          const run = (url: string) =>
            withClient(url, async (client) => {
              const started = Date.now();
              const applied = await migratePostgres(client, slow);
              return { applied, ms: Date.now() - started };
            });
          const results = await Promise.all([run(empty.url), run(empty.url)]);
          const all = MIGRATIONS.map((m) => m.version);
          expect(results.map((r) => r.applied).sort((a, b) => a.length - b.length)).toEqual([[], all]);
          // The one that applied nothing waited for the other's slow step to commit.
          expect(results.find((r) => r.applied.length === 0)!.ms).toBeGreaterThanOrEqual(250);
          await withClient(empty.url, async (client) => {
            const { rows } = await client.query<{ version: number }>(
              'SELECT version FROM schema_migrations ORDER BY version',
            );
            expect(rows.map((r) => r.version)).toEqual(all);
            expect(await schemaVersion(client)).toBe(all.length);
          });
          // And a store opens on it without migrating again.
          await open(empty.url);
        } finally {
          await Promise.all(stores.splice(0).map((s) => s.close()));
          await empty.drop();
        }
      });

      it('applies migrations in a transaction: one that fails leaves no trace', async () => {
        const url = await databases.clone();
        await withClient(url, async (client) => {
          const next = MIGRATIONS.length + 1;
          const broken = {
            version: next,
            name: 'broken',
            sql: 'CREATE TABLE half (a int); THIS IS NOT SQL;',
          };
          await expect(migratePostgres(client, [...MIGRATIONS, broken])).rejects.toThrow(/syntax error/);
          expect(await schemaVersion(client)).toBe(MIGRATIONS.length);
          const { rows } = await client.query("SELECT to_regclass('half') AS t");
          expect(rows[0]).toEqual({ t: null });
          expect(
            await migratePostgres(client, [
              ...MIGRATIONS,
              { version: next, name: 'fixed', sql: 'CREATE TABLE half (a int)' },
            ]),
          ).toEqual([next]);
        });
      });

      it('refuses a database migrated by a newer Windhover, with a stable code', async () => {
        const url = await databases.clone();
        const future = MIGRATIONS.length + 1;
        await withClient(url, (client) =>
          client.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', now())",
            [future],
          ),
        );
        const opening = openPostgresStore(url);
        await expect(opening).rejects.toBeInstanceOf(PostgresSchemaTooNewError);
        await expect(opening).rejects.toMatchObject({ code: 'WH_STORE_SCHEMA_TOO_NEW' });
        await expect(opening).rejects.toThrow(
          `schema version ${future}, newer than the ${MIGRATIONS.length}`,
        );
      });

      it('refuses a server older than 13', async () => {
        const old = { query: () => Promise.resolve({ rows: [{ v: '120011' }] }) };
        // A stand-in answering SHOW server_version_num like a PostgreSQL 12 server.
        const fake = old as unknown as Parameters<typeof checkServerVersion>[0];
        await expect(checkServerVersion(fake)).rejects.toMatchObject({ code: 'WH_STORE_SERVER_TOO_OLD' });
        await expect(checkServerVersion(fake)).rejects.toThrow(
          'version 12.11; Windhover needs PostgreSQL 13',
        );
        await withClient(databases.templateUrl.replace(/\/[^/]*$/, '/postgres'), async (client) => {
          expect(await checkServerVersion(client)).toBeGreaterThanOrEqual(130000);
        });
      });

      it('never hands one job to two workers claiming from two pools at once (SKIP LOCKED)', async () => {
        const url = await databases.clone();
        const a = await open(url);
        const b = await open(url);
        await a.createExecution(execution('e1'), []);
        const ids = Array.from({ length: 300 }, (_, i) => `j${String(i).padStart(3, '0')}`);
        await a.commitSteps([step(execution('e1'), { jobs: ids.map((id) => job('e1', id)) })]);
        const drain = async (store: Store, worker: string) => {
          const mine: string[] = [];
          for (;;) {
            const claimed = await store.claimJobs(worker, 7);
            if (claimed.length === 0) return mine;
            mine.push(...claimed.map((c) => c.job.id));
          }
        };
        // Four workers, two per pool, each with several connections.
        const claimed = await Promise.all([drain(a, 'a1'), drain(a, 'a2'), drain(b, 'b1'), drain(b, 'b2')]);
        const all = claimed.flat();
        expect(all).toHaveLength(ids.length);
        expect(new Set(all).size).toBe(ids.length);
        expect(await b.countJobs()).toEqual({ pending: 0, claimed: ids.length });
      });

      it('skips a job another transaction holds rather than waiting for it', async () => {
        const url = await databases.clone();
        const store = await open(url);
        await store.createExecution(execution('e1'), []);
        await store.commitSteps([
          step(execution('e1'), { jobs: ['j1', 'j2', 'j3'].map((id) => job('e1', id)) }),
        ]);
        await withClient(url, async (client) => {
          await client.query('BEGIN');
          await client.query("SELECT id FROM jobs WHERE id = 'j1' FOR UPDATE");
          const started = Date.now();
          expect((await store.claimJobs('w1', 5)).map((c) => c.job.id)).toEqual(['j2', 'j3']);
          expect(Date.now() - started).toBeLessThan(2000);
          await client.query('ROLLBACK');
        });
        expect((await store.claimJobs('w2', 5)).map((c) => c.job.id)).toEqual(['j1']);
      });

      it('numbers the revisions of one flow saved from two pools at once one after the other', async () => {
        const url = await databases.clone();
        const [a, b] = [await open(url), await open(url)];
        const save = (store: Store, source: string) =>
          store.saveFlow({ namespace: 'ns', id: 'f', source, definition: { id: 'f' } });
        const saved = await Promise.all([save(a, 'v1'), save(b, 'v2'), save(a, 'v3'), save(b, 'v4')]);
        expect(saved.map((s) => s.flow.revision).sort()).toEqual([1, 2, 3, 4]);
        expect(saved.filter((s) => s.created)).toHaveLength(1);
        expect((await a.flowRevisions('ns', 'f')).map((r) => r.revision)).toEqual([1, 2, 3, 4]);
      });

      it('commits batches over the same executions in opposite orders without a deadlock: one wins, one is stale', async () => {
        const url = await databases.clone();
        const [a, b] = [await open(url), await open(url)];
        for (let round = 0; round < 5; round++) {
          const ids = [`x${round}`, `y${round}`];
          for (const id of ids) await a.createExecution(execution(id), []);
          const batch = (order: string[]) => order.map((id) => step(execution(id)));
          const started = Date.now();
          const results = await Promise.allSettled([
            a.commitSteps(batch(ids)),
            b.commitSteps(batch([...ids].reverse())),
          ]);
          // A deadlock would cost the server's deadlock_timeout (1 s) and fail with another error.
          expect(Date.now() - started).toBeLessThan(900);
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const rejected = results.find((r) => r.status === 'rejected');
          expect(rejected?.reason).toBeInstanceOf(VersionConflictError);
          expect((rejected?.reason as VersionConflictError).executionIds.sort()).toEqual(ids);
        }
      });

      it('writes nothing of a lone stale step, though it is one statement without a transaction', async () => {
        const url = await databases.clone();
        const store = await open(url);
        await store.createExecution(execution('e1', { taskRunList: [taskRun('e1', 'a')] }), [
          { kind: 'start' },
        ]);
        const [start] = await store.pendingEvents(1);
        const stale = step(execution('e1', { state: 'FAILED', labels: [{ key: 'k', value: 'v' }] }), {
          expectedVersion: 7,
          changedTaskRuns: [taskRun('e1', 'a', { value: 'changed' }), taskRun('e1', 'b')],
          consumedEvents: [start!.seq],
          jobs: [job('e1', 'j1')],
          timers: [timer('e1', 't', T0)],
          events: [{ executionId: 'e1', event: { kind: 'kill' } }],
          logs: [log('e1', 'never')],
        });
        await expect(store.commitSteps([stale])).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.getExecution('e1')).toEqual(
          execution('e1', { taskRunList: [taskRun('e1', 'a')] }),
        );
        expect(await store.pendingEvents(10)).toEqual([start]);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 0 });
        expect(await store.nextTimerAt()).toBeUndefined();
        expect(await store.getLogs('e1')).toEqual([]);
      });

      it('reads only the task runs written since the execution a claim last returned, and builds it whole', async () => {
        const url = await databases.clone();
        const store = await open(url);
        const v1 = execution('e1', { taskRunList: [taskRun('e1', 'a'), taskRun('e1', 'b')] });
        await store.createExecution(v1, []);
        await store.commitSteps([step(v1, { jobs: [job('e1', 'j1')] })]);
        const [first] = await store.claimJobs('w1', 5);
        expect(first?.execution).toEqual(await store.getExecution('e1'));

        // b changes, c is added (simple steps: one statement each).
        const v2 = { ...v1, version: 2 };
        const b2 = taskRun('e1', 'b', { value: 'b2' });
        await store.commitSteps([
          step(v2, { changedTaskRuns: [b2, taskRun('e1', 'c')], jobs: [job('e1', 'j2')] }),
        ]);
        // A row rewritten behind the store's back, without its version: a claim that reads it
        // again would see 'tampered'; one built on its last read keeps what it had.
        await withClient(url, (client) =>
          client.query(`UPDATE task_runs SET body = jsonb_set(body, '{value}', '"tampered"') WHERE id = 'a'`),
        );
        const [second] = await store.claimJobs('w1', 5);
        expect(second?.execution?.taskRunList.map((t) => [t.id, t.value])).toEqual([
          ['a', undefined],
          ['b', 'b2'],
          ['c', undefined],
        ]);
        expect(second?.execution?.version).toBe(3);

        // A removal (statement by statement) and a re-added task run: order and content as stored.
        const v3 = { ...v1, version: 3 };
        await store.commitSteps([
          step(v3, {
            removedTaskRunIds: ['b'],
            changedTaskRuns: [taskRun('e1', 'd')],
            jobs: [job('e1', 'j3')],
          }),
        ]);
        await withClient(url, (client) =>
          client.query(`UPDATE task_runs SET body = jsonb_set(body, '{value}', 'null') WHERE id = 'a'`),
        );
        const [third] = await store.claimJobs('w1', 5);
        const stored = await store.getExecution('e1');
        expect(third?.execution?.taskRunList.map((t) => t.id)).toEqual(['a', 'c', 'd']);
        expect({ ...third?.execution, taskRunList: [] }).toEqual({ ...stored, taskRunList: [] });
        expect(third?.execution?.taskRunList.slice(1)).toEqual(stored?.taskRunList.slice(1));

        // Another process (a fresh store) has no base: it reads the whole execution.
        await store.commitSteps([step({ ...v1, version: 4 }, { jobs: [job('e1', 'j4')] })]);
        const other = await open(url);
        const [fourth] = await other.claimJobs('w2', 5);
        expect(fourth?.execution).toEqual(await store.getExecution('e1'));
      });

      it('re-queues a job id the same step completes (statement by statement, in order)', async () => {
        const url = await databases.clone();
        const store = await open(url);
        await store.createExecution(execution('e1'), []);
        await store.commitSteps([step(execution('e1'), { jobs: [job('e1', 'j1')] })]);
        await store.claimJobs('w1', 1);
        await store.commitSteps([
          step(execution('e1', { version: 2 }), {
            completedJobIds: ['j1'],
            jobs: [job('e1', 'j1', { attempt: 2 })],
          }),
        ]);
        expect((await store.claimJobs('w2', 5)).map((c) => [c.job.id, c.job.attempt])).toEqual([['j1', 2]]);
      });

      it("queues one event for a job reported twice in one batch, keeping both reports' lines", async () => {
        const url = await databases.clone();
        const store = await open(url);
        await store.createExecution(execution('e1'), []);
        await store.commitSteps([step(execution('e1'), { jobs: [job('e1', 'j1'), job('e1', 'j2')] })]);
        await store.claimJobs('w1', 2);
        const report = (jobId: string, message: string) => ({
          jobId,
          event: { executionId: 'e1', event: jobResult(`tr-${jobId}`) },
          logs: [log('e1', message)],
        });
        await store.completeJobs([
          report('j2', 'first'),
          report('j1', 'second'),
          report('j2', 'again'),
          report('gone', 'late'),
        ]);
        expect((await store.pendingEvents(10)).map((e) => e.event)).toEqual([
          jobResult('tr-j2'),
          jobResult('tr-j1'),
        ]);
        expect((await store.getLogs('e1')).map((l) => l.message)).toEqual([
          'first',
          'second',
          'again',
          'late',
        ]);
        expect(await store.countJobs()).toEqual({ pending: 0, claimed: 0 });
      });

      it('answers searches, recovery, claims and timers from indexes', async () => {
        const url = await databases.clone();
        await withClient(url, async (client) => {
          // The tables are empty: forbid sequential scans so the plan shows whether an index can serve.
          await client.query('SET enable_seqscan = off');
          const plan = async (sql: string) =>
            (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows
              .map((r) => r['QUERY PLAN'])
              .join('\n');
          expect(
            await plan(`SELECT id FROM executions WHERE state IN ${UNFINISHED_STATES_SQL} ORDER BY seq`),
          ).toContain('executions_unfinished');
          expect(
            await plan(`SELECT seq FROM executions WHERE labels @> '[{"key":"a","value":"b"}]'`),
          ).toContain('executions_labels');
          expect(
            await plan(
              "SELECT count(*) FROM executions WHERE namespace = 'a' AND flow_id = 'b' AND state IN ('RUNNING')",
            ),
          ).toContain('executions_flow_state');
          expect(
            await plan('SELECT seq FROM executions ORDER BY start_date DESC, seq DESC LIMIT 25'),
          ).toContain('executions_start');
          expect(
            await plan("SELECT seq FROM logs WHERE execution_id = 'e' AND seq > 0 ORDER BY seq"),
          ).toContain('logs_execution');
          expect(await plan('SELECT seq FROM jobs WHERE worker_id IS NULL ORDER BY seq LIMIT 5')).toContain(
            'jobs_unclaimed',
          );
          expect(await plan('SELECT seq FROM timers WHERE due_at <= now() ORDER BY due_at, seq')).toContain(
            'timers_due',
          );
        });
      });

      it('fails with a clear error on a wrong URL', async () => {
        const refused = openPostgresStore('postgres://postgres@127.0.0.1:1/nowhere', {
          connectionTimeoutMs: 2000,
        });
        await expect(refused).rejects.toMatchObject({ code: 'WH_STORE_UNREACHABLE' });
        await expect(refused).rejects.toThrow(
          'cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/nowhere',
        );
        const missing = openPostgresStore(databases.templateUrl.replace(/\/[^/]*$/, '/wh_no_such_database'));
        await expect(missing).rejects.toMatchObject({ code: 'WH_STORE_UNREACHABLE' });
        await expect(missing).rejects.toThrow(/database "wh_no_such_database" does not exist/);
        await expect(openPostgresStore('mysql://root@127.0.0.1/x')).rejects.toMatchObject({
          code: 'WH_CONFIG_INVALID',
        });
        await expect(openPostgresStore('postgres://user:secret@127.0.0.1:1/x')).rejects.toThrow(
          'postgres://user:***@127.0.0.1:1/x',
        );
      });
    });
  },
);

/**
 * A real PostgreSQL restart in the middle of a run of `windhover server standalone`: the process
 * reconnects (pool, LISTEN, storage) and finishes every execution, losing none and running none
 * twice. The server restarted is the machine's shared one, so this file runs alone, after the
 * other tests (vitest.isolated.config.ts; `npm test` runs it second). It needs root, for
 * pg_ctlcluster; elsewhere it is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import {
  EXPECTED_TASK_RUNS,
  deployOutageFlow,
  duplicateTaskRuns,
  runUnderWay,
  startExecutions,
  startOutageServer,
  storeCounts,
  unsuccessful,
  waitForEnd,
  waitForHealth,
} from '../support/postgres-outage.js';

const db = await createPostgresDatabase('restart');
const EXECUTIONS = 100;

/** The cluster's version folder under /etc/postgresql (one cluster on this machine), if any. */
function clusterVersion(): string | undefined {
  try {
    return readdirSync('/etc/postgresql')[0];
  } catch {
    return undefined;
  }
}
const version = clusterVersion();
const isRoot = process.getuid?.() === 0;
const cannot = !db.available
  ? db.reason
  : version === undefined
    ? 'no PostgreSQL cluster under /etc/postgresql'
    : !isRoot
      ? 'restarting PostgreSQL needs root'
      : '';
if (cannot) console.warn(`skipping the PostgreSQL restart test: ${cannot}`);

afterAll(async () => {
  if (db.available) await db.drop();
});

/** Restarts the server (fast shutdown: sessions end, as in a real restart) and waits until it accepts connections. */
function restartPostgres(): void {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version!, 'main', 'restart'], {
    stdio: 'pipe',
  });
  execFileSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432', '-t', '60'], { stdio: 'pipe' });
}

describe.skipIf(cannot !== '')('server standalone across a real PostgreSQL restart', () => {
  it('reconnects and finishes every execution, once', { timeout: 300_000 }, async () => {
    const outage = await startOutageServer(db);
    const server = outage.server;
    try {
      await deployOutageFlow(server.url);
      const ids = await startExecutions(server.url, EXECUTIONS);
      const before = await runUnderWay(db.url);
      const outageStart = Date.now();
      restartPostgres();
      const outageMs = Date.now() - outageStart;

      const healthy = await waitForHealth(server.url, 60_000);
      const recoveredMs = Date.now() - outageStart - outageMs;
      const views = await waitForEnd(server.url, ids, 240_000);
      const allDoneMs = Date.now() - outageStart;
      console.log(
        `restart took ${outageMs} ms (${before.succeeded} of ${EXECUTIONS} executions done, ${before.worked} commands run, ${before.jobs} jobs, ${before.timers} timers in the store then); ` +
          `/health up ${recoveredMs} ms after; all ended ${allDoneMs} ms after the restart began`,
      );

      // The outage came mid-run: executions were still unfinished, with jobs and timers pending.
      expect(before.succeeded).toBeLessThan(EXECUTIONS);
      expect(before.timers).toBeGreaterThan(0);
      expect(before.worked).toBeLessThan(EXECUTIONS);
      expect(healthy).toBe(200);
      expect(await unsuccessful(server.url, views)).toEqual([]);
      expect(views.flatMap(duplicateTaskRuns)).toEqual([]);
      expect(views.filter((v) => v.taskRunList.length !== EXPECTED_TASK_RUNS).map((v) => v.id)).toEqual([]);
      const after = await storeCounts(db.url);
      expect(after).toMatchObject({ executions: EXECUTIONS, distinctIds: EXECUTIONS, jobs: 0, timers: 0 });
      expect(server.child.exitCode).toBeNull();
      // It noticed, and said so in a line or a few, not a stack per failed query.
      expect(server.stderr()).toMatch(/terminat|connection|ECONNREFUSED|shutting down/i);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      console.log(`the server's stdout:\n${server.stdout()}\nits stderr:\n${server.stderr()}`);
      expect(await outage.stop()).toBe(0);
    }
  });
});

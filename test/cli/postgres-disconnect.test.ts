/**
 * The database goes away mid-run and comes back: `server standalone` reconnects and finishes
 * every execution, losing none and running none twice. This is a restart confined to one
 * database — every session of the test's database is terminated and new ones are refused for
 * a few seconds — on a private cluster made for this file (test/support/private-postgres.ts),
 * so no other client's session can be among those ended; the server restart is
 * test/isolated/postgres-restart.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  deployOutageFlow,
  expectRecovered,
  runUnderWay,
  startExecutions,
  startOutageServer,
  waitForEnd,
  waitForHealth,
} from '../support/postgres-outage.js';
import { withClient } from '../support/postgres-store.js';
import { startPrivatePostgres } from '../support/private-postgres.js';

const started = await startPrivatePostgres('disconnect');
const cluster = started.cluster;
const database = cluster ? await cluster.createDatabase('disconnect') : undefined;
const EXECUTIONS = 100;
const REFUSED_MS = 3000;

afterAll(() => cluster?.destroy());

/** Ends every session of the database and refuses new ones for `refusedMs`, as a restart would. */
async function takeDatabaseAway(name: string, refusedMs: number): Promise<number> {
  return withClient(cluster!.url(), async (admin) => {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      await new Promise((resolve) => setTimeout(resolve, refusedMs));
      return rowCount ?? 0;
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
  });
}

describe.skipIf(database === undefined)(
  `server standalone when its database goes away mid-run ${started.reason}`,
  () => {
    it('reconnects and finishes every execution, once', { timeout: 240_000 }, async () => {
      const db = database!;
      const outage = await startOutageServer(db);
      const server = outage.server;
      try {
        await deployOutageFlow(server.url);
        const ids = await startExecutions(server.url, EXECUTIONS);
        // Let the run get going: jobs claimed and running, Sleep timers set, some executions done.
        const before = await runUnderWay(db.url);
        const outageStart = Date.now();
        const terminated = await takeDatabaseAway(db.name, REFUSED_MS);
        const outageMs = Date.now() - outageStart;
        expect(terminated).toBeGreaterThan(0);

        const healthy = await waitForHealth(server.url, 30_000);
        const recoveredMs = Date.now() - outageStart - outageMs;
        const views = await waitForEnd(server.url, ids, 180_000);
        const allDoneMs = Date.now() - outageStart;
        console.log(
          `outage ${outageMs} ms (${terminated} sessions ended; ${before.succeeded} of ${EXECUTIONS} executions done, ${before.worked} commands run, ${before.jobs} jobs, ${before.timers} timers ` +
            `in the store then); /health up ${recoveredMs} ms after; all ended ${allDoneMs} ms after the outage began`,
        );

        await expectRecovered({
          server,
          dbUrl: db.url,
          executions: EXECUTIONS,
          before,
          healthy,
          views,
          noticed: /terminat|connection|ECONNREFUSED|not currently accepting/i,
        });
      } finally {
        console.log(`the server's stdout:\n${server.stdout()}\nits stderr:\n${server.stderr()}`);
        expect(await outage.stop()).toBe(0);
      }
    });
  },
);

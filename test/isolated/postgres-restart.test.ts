/**
 * A real PostgreSQL restart in the middle of a run of `windhover server standalone`: the server
 * stops (fast shutdown: every session ends, as in a real restart), stays down 3 s (connections
 * refused), and starts again. The process reconnects (pool, LISTEN, storage) and finishes every
 * execution, losing none and running none twice. The server restarted is a private cluster made
 * for this file (test/support/private-postgres.ts), never the machine's shared one, whose start
 * time is checked unchanged at the end. In test/isolated because a hundred executions with
 * timers want the machine to themselves to land the outage mid-run.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from '../support/databases.js';
import {
  deployOutageFlow,
  expectRecovered,
  runUnderWay,
  startExecutions,
  startOutageServer,
  waitForEnd,
  waitForHealth,
} from '../support/postgres-outage.js';
import { startPrivatePostgres } from '../support/private-postgres.js';

const EXECUTIONS = 100;
const DOWN_MS = 3000;
const started = await startPrivatePostgres('restart');
const cluster = started.cluster;

afterAll(() => cluster?.destroy());

/** When the machine's shared server started, or undefined when there is none. */
async function sharedServerStart(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return (await client.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t')).rows[0]!.t;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!started.available)(
  `server standalone across a real PostgreSQL restart ${started.reason}`,
  () => {
    it('reconnects and finishes every execution, once', { timeout: 300_000 }, async () => {
      const sharedBefore = await sharedServerStart();
      const db = await cluster!.createDatabase('restart');
      const outage = await startOutageServer(db);
      const server = outage.server;
      try {
        await deployOutageFlow(server.url);
        const ids = await startExecutions(server.url, EXECUTIONS);
        const before = await runUnderWay(db.url);
        const outageStart = Date.now();
        await cluster!.stop('fast');
        await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
        await cluster!.start();
        const outageMs = Date.now() - outageStart;

        const healthy = await waitForHealth(server.url, 60_000);
        const recoveredMs = Date.now() - outageStart - outageMs;
        const views = await waitForEnd(server.url, ids, 240_000);
        const allDoneMs = Date.now() - outageStart;
        console.log(
          `restart took ${outageMs} ms (${before.succeeded} of ${EXECUTIONS} executions done, ${before.worked} commands run, ${before.jobs} jobs, ${before.timers} timers in the store then); ` +
            `/health up ${recoveredMs} ms after; all ended ${allDoneMs} ms after the restart began`,
        );

        await expectRecovered({
          server,
          dbUrl: db.url,
          executions: EXECUTIONS,
          before,
          healthy,
          views,
          noticed: /terminat|connection|ECONNREFUSED|shutting down/i,
        });
      } finally {
        console.log(`the server's stdout:\n${server.stdout()}\nits stderr:\n${server.stderr()}`);
        expect(await outage.stop()).toBe(0);
      }
      // The machine's own server was not restarted (nor stopped) by this test.
      if (sharedBefore !== undefined) expect(await sharedServerStart()).toBe(sharedBefore);
    });
  },
);

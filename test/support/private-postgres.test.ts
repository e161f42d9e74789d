/**
 * The private cluster helper itself: a server of its own that stops, starts and restarts, while
 * the machine's shared server (when there is one) is not touched; destroyed, nothing is left.
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from './databases.js';
import { startPrivatePostgres } from './private-postgres.js';

const started = await startPrivatePostgres('helper');
const cluster = started.cluster;

afterAll(() => cluster?.destroy());

/** The postmaster's start time of the server at `url`, or undefined when it does not answer. */
async function startTime(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
    return rows[0]!.t;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!started.available)(`a private PostgreSQL cluster ${started.reason}`, () => {
  it('is a server of its own, stopped, started and restarted without touching the shared one', async () => {
    const shared = await startTime(POSTGRES_ADMIN_URL);
    const first = await startTime(cluster!.url());
    expect(first).toBeDefined();
    expect(cluster!.port).not.toBe(5432);

    const db = await cluster!.createDatabase('helper_check');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    expect((await client.query('SELECT current_database() AS db')).rows).toEqual([{ db: 'helper_check' }]);
    const ended = new Promise<Error>((resolve) => client.once('error', resolve));

    await cluster!.stop('immediate');
    // The session of a client is cut, and new ones are refused while it is down.
    expect((await ended).message).toMatch(/terminat|ECONNRESET|Connection/i);
    await client.end().catch(() => {});
    expect(await startTime(cluster!.url())).toBeUndefined();

    await cluster!.start();
    const second = await startTime(cluster!.url());
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    await cluster!.restart('fast');
    expect(await startTime(cluster!.url())).not.toBe(second);
    await db.drop();

    // The machine's server, if there is one, went on as it was.
    if (shared !== undefined) expect(await startTime(POSTGRES_ADMIN_URL)).toBe(shared);
  });

  it('leaves nothing behind once destroyed', async () => {
    const other = await startPrivatePostgres('helper-gone');
    const { dir, port } = other.cluster!;
    expect(existsSync(dir)).toBe(true);
    other.cluster!.destroy();
    expect(existsSync(dir)).toBe(false);
    expect(await startTime(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBeUndefined();
  });
});

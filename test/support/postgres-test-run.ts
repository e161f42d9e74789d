/**
 * Global setup of vitest.postgres.config.ts: one migrated template database for the run, named
 * to the test workers (and the processes they start) by WINDHOVER_TEST_STORE_TEMPLATE; each test
 * runtime clones it (test/engine/support/test-store.ts). The teardown drops the template and any
 * clone a failed or killed test left behind.
 */
import pg from 'pg';
import { TEMPLATE_ENV } from '../engine/support/test-store.js';
import { POSTGRES_ADMIN_URL } from './databases.js';
import { createPostgresStoreTemplate } from './postgres-store.js';

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL is not reachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Makes the run's template; returns the teardown. */
export default async function setup(): Promise<() => Promise<void>> {
  const databases = await createPostgresStoreTemplate('rtpg');
  if (!databases.available) throw new Error(databases.reason);
  const template = new URL(databases.templateUrl).pathname.slice(1);
  // Workers are started after the global setup, with this process's environment.
  process.env[TEMPLATE_ENV] = template;
  return async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      const left = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
        [`${template}_c`],
      );
      for (const { datname } of left.rows)
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.end();
    }
    await databases.dispose();
  };
}

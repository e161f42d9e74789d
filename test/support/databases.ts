/**
 * Real database servers for integration tests. Each test file gets its own database, created
 * here and dropped after. Where a server does not answer, its tests are skipped with the
 * reason, unless WINDHOVER_TEST_REQUIRE_DATABASES=1 (set by .ci/run), which makes a missing
 * server fail the run instead.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** Where the servers are: overridable for machines whose servers live elsewhere. */
export const POSTGRES_ADMIN_URL =
  process.env.WINDHOVER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.WINDHOVER_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const REQUIRED = process.env.WINDHOVER_TEST_REQUIRE_DATABASES === '1';

/** A database made for one test file. */
export interface TestDatabase {
  /** False when the server does not answer (tests skip with `reason`). */
  available: boolean;
  reason: string;
  /** The database's name. */
  name: string;
  /** A URL of the database for drivers (`postgres://…` or `mysql://…`). */
  url: string;
  /** Its JDBC URL, as flows write it (`jdbc:postgresql://…`). */
  jdbcUrl: string;
  username: string;
  /** Drops the database (and closes what the helper opened). */
  drop(): Promise<void>;
}

function unavailable(server: string, error: unknown): TestDatabase {
  const reason = `${server} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  if (REQUIRED) throw new Error(`${reason}; WINDHOVER_TEST_REQUIRE_DATABASES=1 requires it (see .ci/run)`);
  console.warn(`skipping tests that need ${server}: ${reason}`);
  return { available: false, reason, name: '', url: '', jdbcUrl: '', username: '', drop: async () => {} };
}

const uniqueName = (prefix: string) => `wh_${prefix}_${randomBytes(4).toString('hex')}`;

/** Creates a fresh PostgreSQL database for a test file (trust auth, user of the admin URL). */
export async function createPostgresDatabase(prefix: string): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  const name = uniqueName(prefix);
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => {});
    return unavailable('PostgreSQL', error);
  } finally {
    await admin.end().catch(() => {});
  }
  const base = new URL(POSTGRES_ADMIN_URL);
  const username = decodeURIComponent(base.username || 'postgres');
  const url = `postgres://${encodeURIComponent(username)}@${base.host}/${name}`;
  return {
    available: true,
    reason: '',
    name,
    url,
    jdbcUrl: `jdbc:postgresql://${base.host}/${name}`,
    username,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        // WITH (FORCE) ends sessions a failed test left behind.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Creates a fresh MySQL/MariaDB database for a test file. */
export async function createMysqlDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  let admin: mysql.Connection | undefined;
  try {
    admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 3000 });
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    return unavailable('MySQL/MariaDB', error);
  } finally {
    await admin?.end().catch(() => {});
  }
  const base = new URL(MYSQL_ADMIN_URL);
  const username = decodeURIComponent(base.username || 'root');
  return {
    available: true,
    reason: '',
    name,
    url: `mysql://${encodeURIComponent(username)}@${base.host}/${name}`,
    jdbcUrl: `jdbc:mysql://${base.host}/${name}`,
    username,
    async drop() {
      const conn = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      try {
        await conn.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await conn.end();
      }
    },
  };
}

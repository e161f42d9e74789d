/**
 * The store a test runtime runs on. By default SQLite in its data folder, as `server local`.
 * With WINDHOVER_TEST_STORE=postgres (set by vitest.postgres.config.ts), PostgreSQL as `server
 * standalone` runs on it: the PostgreSQL store and internal storage in a database of its own,
 * cloned from the run's migrated template, a non-exclusive cluster member woken by LISTEN, with
 * short heartbeats so that a restart after a crash takes over within ~2 s rather than 30 s.
 *
 * A data folder keeps its database's URL in a file, so a runtime started again on the folder
 * (shutdown and crash tests) finds what the previous one left, as a restarted server would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openLocal } from '../../../src/engine/runtime/index.js';
import type { LocalSetup, RuntimeOptions } from '../../../src/engine/runtime/index.js';
import { openSetup } from '../../../src/engine/runtime/local.js';
import { rolesOf } from '../../../src/server/open-store.js';
import { openStorage } from '../../../src/storage/open.js';
import type { Store } from '../../../src/store/contract.js';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import type { PostgresStore } from '../../../src/store/postgres/index.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { POSTGRES_ADMIN_URL } from '../../support/databases.js';

/** Which store test runtimes use. */
export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.WINDHOVER_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** Names the run's migrated template database (set by test/support/postgres-test-run.ts). */
export const TEMPLATE_ENV = 'WINDHOVER_TEST_STORE_TEMPLATE';

/** The file of a data folder naming its PostgreSQL database. */
const URL_FILE = 'test-store-url';

/**
 * What `server standalone` passes on PostgreSQL (src/server/open-store.ts), with a heartbeat
 * and member timeout short enough for the crash and shutdown tests to resume quickly.
 */
const CLUSTER = { heartbeatMs: 300, memberTimeoutMs: 1500 };

/**
 * At most how long a runtime started after a SIGKILL waits before it takes over what the dead
 * one held: at once on SQLite (the only process of its file); on PostgreSQL once the dead
 * member's last heartbeat is older than the member timeout, seen at a heartbeat of the new one.
 */
export const TAKEOVER_MS = TEST_STORE === 'postgres' ? CLUSTER.memberTimeoutMs + 2 * CLUSTER.heartbeatMs : 0;

/** A URL of database `name` on the admin URL's server. */
function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function templateName(): string {
  const name = process.env[TEMPLATE_ENV];
  if (!name)
    throw new Error(
      `WINDHOVER_TEST_STORE=postgres needs the run's template database (${TEMPLATE_ENV}): ` +
        'run these tests with `npx vitest run --config vitest.postgres.config.ts [files]`',
    );
  return name;
}

/** Clones the run's template into a fresh database; returns its URL. */
async function cloneDatabase(): Promise<string> {
  const template = templateName();
  // Named after the template, so the run's teardown drops any a failed test left behind.
  const name = `${template}_c${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return databaseUrl(name);
}

/** The database of a data folder: the one its file names, else a new clone (named in the file). */
async function folderDatabase(dir: string): Promise<string> {
  const file = join(dir, URL_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const url = await cloneDatabase();
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, url);
  return url;
}

/** Drops the PostgreSQL database of a data folder, if it has one (WITH FORCE: sessions a crash left). */
export async function dropTestDatabase(dir: string): Promise<void> {
  const file = join(dir, URL_FILE);
  if (!existsSync(file)) return;
  const name = new URL(readFileSync(file, 'utf8').trim()).pathname.slice(1);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Opens the store and runtime of a test in data folder `dir` (made if missing). On
 * PostgreSQL the folder still holds the working directories; the store and files are in the
 * folder's database.
 */
export async function openTestSetup(dir: string, options: Partial<RuntimeOptions>): Promise<LocalSetup> {
  if (TEST_STORE === 'sqlite') return openLocal(dir, options);
  const url = await folderDatabase(dir);
  const storage = openStorage(url);
  let store: PostgresStore | undefined;
  return openSetup(
    dir,
    {
      ...options,
      cluster: { roles: rolesOf('standalone'), ...CLUSTER, ...options.cluster, exclusive: false },
      wakeUps: (topics, onWake) => store!.listen(topics, onWake),
    },
    async () => ({ store: (store = await openPostgresStore(url)) }),
    storage,
  );
}

/** Opens the store the runtimes of data folder `dir` used, to read what they left. */
export async function openTestStore(dir: string): Promise<Store> {
  if (TEST_STORE === 'sqlite') return openSqliteStore(join(dir, 'windhover.db'));
  return openPostgresStore(await folderDatabase(dir), { poolSize: 2 });
}

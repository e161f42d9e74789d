/**
 * PostgreSQL stores for tests, each in a fresh database cloned from a migrated template
 * (`CREATE DATABASE x TEMPLATE t`, a file copy: far faster than migrating each one). The
 * template is made once per test file under a name of its own, so files running at once never
 * share one (a template must have no session while it is copied), and dropped with the clones.
 */
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { POSTGRES_ADMIN_URL, createPostgresDatabase } from './databases.js';

/** Databases cloned from one migrated template. */
export interface PostgresStoreDatabases {
  /** False when the server does not answer (tests skip with `reason`). */
  available: boolean;
  reason: string;
  /** The template's URL (migrated, never opened by the clones). */
  templateUrl: string;
  /** Creates a database cloned from the template; returns its URL. */
  clone(): Promise<string>;
  /** Drops the clones made so far (closing their stores first is the caller's part). */
  dropClones(): Promise<void>;
  /** Drops the clones and the template. */
  dispose(): Promise<void>;
}

/** A URL of database `name` on the admin URL's server, as its user. */
function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Makes and migrates a template database for this test file. */
export async function createPostgresStoreTemplate(prefix: string): Promise<PostgresStoreDatabases> {
  const template = await createPostgresDatabase(`${prefix}_tmpl`);
  if (!template.available) {
    const none = () => Promise.reject(new Error(template.reason));
    return {
      available: false,
      reason: template.reason,
      templateUrl: '',
      clone: none,
      dropClones: async () => {},
      dispose: async () => {},
    };
  }
  // Migrating then closing leaves the template with no session, as CREATE DATABASE … TEMPLATE needs.
  try {
    await (await openPostgresStore(template.url, { poolSize: 1 })).close();
  } catch (error) {
    await template.drop();
    throw error;
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  const clones: string[] = [];
  let count = 0;
  const dropClones = async () => {
    while (clones.length > 0) {
      const name = clones.pop();
      // WITH (FORCE) ends sessions a failed test left behind.
      if (name !== undefined) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  };
  return {
    available: true,
    reason: '',
    templateUrl: template.url,
    async clone() {
      count += 1;
      const name = `${template.name}_${count}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.name}`);
      clones.push(name);
      return databaseUrl(name);
    },
    dropClones,
    async dispose() {
      try {
        await dropClones();
      } finally {
        await admin.end().catch(() => {});
        await template.drop();
      }
    },
  };
}

/** Runs `work` with a client on `url`, closed after. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

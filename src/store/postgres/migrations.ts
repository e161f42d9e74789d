/**
 * The PostgreSQL schema, as append-only numbered migrations embedded in the code. Never edit or
 * reorder a released migration: add a new one at the end. Applied versions are recorded in
 * `schema_migrations`. Migrating runs in one transaction under a transaction-level advisory
 * lock, so two processes migrating at once apply each step once (the second waits, then finds
 * the schema current).
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ClientBase } from 'pg';
import type { Queryable } from './db.js';

/** One step of the schema; released ones never change. */
export interface Migration {
  /** 1, 2, 3… with no gap. */
  version: number;
  name: string;
  sql: string;
}

/** The oldest server the schema and queries are written for (`server_version_num`). */
export const MIN_SERVER_VERSION = 130000;

/** Key of the advisory lock migrations hold ("WHMI"); any fixed number other code does not use. */
export const MIGRATION_LOCK_KEY = 0x57484d49;

/**
 * Execution states that are not terminal. Written out because the partial index
 * `executions_unfinished` and the query that uses it must repeat the same literal list.
 */
export const UNFINISHED_STATES_SQL =
  "('CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'RETRYING')";

// Names and ids compare byte-wise (COLLATE "C"), as on SQLite: namespace ranges
// ([`ns.`, `ns/`)) and listing orders must not depend on the server's locale.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE flows (
        namespace text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        revision integer NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (namespace, id)
      );

      CREATE TABLE flow_revisions (
        namespace text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        revision integer NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        updated timestamptz NOT NULL,
        PRIMARY KEY (namespace, id, revision),
        FOREIGN KEY (namespace, id) REFERENCES flows (namespace, id)
      );

      -- The header is the execution without taskRunList and version; seq is the creation order.
      CREATE TABLE executions (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        namespace text COLLATE "C" NOT NULL,
        flow_id text COLLATE "C" NOT NULL,
        state text NOT NULL,
        start_date timestamptz NOT NULL,
        version integer NOT NULL,
        labels jsonb NOT NULL,
        header jsonb NOT NULL
      );
      CREATE INDEX executions_flow_state ON executions (namespace, flow_id, state, seq);
      CREATE INDEX executions_start ON executions (start_date DESC, seq DESC);
      CREATE INDEX executions_unfinished ON executions (seq) WHERE state IN ${UNFINISHED_STATES_SQL};
      -- Label searches: labels @> '[{"key":…,"value":…}]'.
      CREATE INDEX executions_labels ON executions USING gin (labels jsonb_path_ops);

      CREATE TABLE task_runs (
        seq bigserial PRIMARY KEY,
        execution_id text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
        id text NOT NULL,
        body jsonb NOT NULL,
        UNIQUE (execution_id, id)
      );

      -- Queue bodies are json, not jsonb: written once, read once, never searched (and json
      -- keeps a \\u0000 that jsonb refuses).
      CREATE TABLE events (
        seq bigserial PRIMARY KEY,
        execution_id text NOT NULL,
        body json NOT NULL
      );
      CREATE INDEX events_execution ON events (execution_id, seq);

      CREATE TABLE jobs (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        execution_id text NOT NULL,
        body json NOT NULL,
        worker_id text,
        claimed_at timestamptz
      );
      CREATE INDEX jobs_unclaimed ON jobs (seq) WHERE worker_id IS NULL;
      CREATE INDEX jobs_worker ON jobs (worker_id) WHERE worker_id IS NOT NULL;

      CREATE TABLE timers (
        seq bigserial PRIMARY KEY,
        execution_id text NOT NULL,
        key text NOT NULL,
        due_at timestamptz NOT NULL,
        body json NOT NULL,
        UNIQUE (execution_id, key)
      );
      CREATE INDEX timers_due ON timers (due_at, seq);

      CREATE TABLE logs (
        seq bigserial PRIMARY KEY,
        execution_id text NOT NULL,
        namespace text COLLATE "C" NOT NULL,
        flow_id text COLLATE "C" NOT NULL,
        task_id text,
        task_run_id text,
        attempt_number integer,
        level smallint NOT NULL,
        message text NOT NULL,
        timestamp timestamptz NOT NULL
      );
      CREATE INDEX logs_execution ON logs (execution_id, seq);
      CREATE INDEX logs_timestamp ON logs (timestamp DESC, seq DESC);

      -- expires_at keeps the instant as the caller wrote it; expires is it as a time, to compare.
      CREATE TABLE kv (
        namespace text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        type text NOT NULL,
        value jsonb NOT NULL,
        description text,
        expires_at text,
        expires timestamptz,
        created timestamptz NOT NULL,
        updated timestamptz NOT NULL,
        PRIMARY KEY (namespace, key)
      );

      CREATE TABLE trigger_states (
        namespace text COLLATE "C" NOT NULL,
        flow_id text COLLATE "C" NOT NULL,
        trigger_id text COLLATE "C" NOT NULL,
        state jsonb NOT NULL,
        updated timestamptz NOT NULL,
        PRIMARY KEY (namespace, flow_id, trigger_id)
      );
    `,
  },
  {
    version: 2,
    name: 'wake-ups',
    // Statement-level triggers: one NOTIFY per statement (not per row), sent when the
    // transaction commits (never for one rolled back); identical ones of a transaction are
    // folded into one by the server. Every writer — commitSteps, completeJobs, fired timers —
    // wakes the waiters without remembering to.
    sql: `
      -- Only when rows were inserted: a commit that turned out stale inserts none (its parts are
      -- gated on the version check) and must wake no one.
      CREATE FUNCTION windhover_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM inserted) THEN
          PERFORM pg_notify(TG_ARGV[0], '');
        END IF;
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify('windhover_events');
      -- Only inserts: a trigger on UPDATE would fire on every claim too. releaseJobs notifies itself.
      CREATE TRIGGER jobs_notify AFTER INSERT ON jobs REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify('windhover_jobs');
    `,
  },
  {
    version: 3,
    name: 'cluster',
    // Several processes on one database: who is alive (heartbeats), which executor steps which
    // execution (a lease per execution, valid while its executor is a member), named leases
    // with an expiry (the active scheduler), jobs to abort on a remote worker, and the
    // executions that ended or paused, for the scheduler's Flow triggers and stopAfter.
    sql: `
      CREATE TABLE cluster_members (
        id text PRIMARY KEY,
        roles jsonb NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL,
        info jsonb NOT NULL
      );
      CREATE TABLE execution_leases (
        execution_id text PRIMARY KEY,
        executor_id text NOT NULL
      );
      CREATE INDEX execution_leases_executor ON execution_leases (executor_id);
      CREATE TABLE cluster_leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      ALTER TABLE jobs ADD COLUMN abort_requested boolean NOT NULL DEFAULT false;
      CREATE TABLE execution_transitions (
        seq bigserial PRIMARY KEY,
        execution_id text NOT NULL,
        transition text NOT NULL
      );
      CREATE TRIGGER transitions_notify AFTER INSERT ON execution_transitions REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify('windhover_transitions');
    `,
  },
  {
    version: 4,
    name: 'queue times',
    // When each job and event was queued, for the lag in /metrics (the age of the oldest one
    // waiting). A default, so no insert changes; rows queued before this migration count from it.
    // now() is the inserting transaction's start: a step's rows share one time.
    sql: `
      ALTER TABLE jobs ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
      ALTER TABLE events ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
    `,
  },
  {
    version: 5,
    name: 'events in notifications',
    // The events a statement queued travel in its notification, so an executor that leases
    // their execution steps them without reading them back (a statement fewer per task). A
    // payload holds under 8000 bytes (7800 kept for the channel's name): a bigger batch only
    // wakes, and the executor reads the store.
    sql: `
      CREATE FUNCTION windhover_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        payload text;
      BEGIN
        SELECT json_agg(json_build_object('seq', seq, 'executionId', execution_id, 'event', body) ORDER BY seq)::text
          INTO payload FROM inserted;
        IF payload IS NOT NULL THEN
          PERFORM pg_notify('windhover_events', CASE WHEN octet_length(payload) <= 7800 THEN payload ELSE '' END);
        END IF;
        RETURN NULL;
      END
      $$;
      DROP TRIGGER events_notify ON events;
      CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify_events();
    `,
  },
  {
    version: 6,
    name: 'task run versions',
    // The execution version that last wrote each task run: a worker's claim reads only those
    // written since the version it holds, not the whole execution again (a ForEach of n items
    // read n task runs per job: n² in all). NULL (rows from before) is read every time.
    sql: `
      ALTER TABLE task_runs ADD COLUMN version integer;
    `,
  },
  {
    version: 7,
    name: 'flow wake-ups',
    // A flow saved or deleted by one process (a web server) reaches the active scheduler at
    // once, not at its next periodic re-read: a Flow trigger saved just before its upstream
    // runs would otherwise miss the upstream's end. Inserts and updates: a new revision or a
    // deletion updates the flow's row.
    sql: `
      CREATE TRIGGER flows_notify_insert AFTER INSERT ON flows REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify('windhover_flows');
      CREATE TRIGGER flows_notify_update AFTER UPDATE ON flows REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify('windhover_flows');
    `,
  },
  {
    version: 8,
    name: 'log search by flow',
    // The Logs page filtered on a flow reads its lines newest first from this index, rather
    // than walking logs_timestamp past every other flow's lines.
    sql: `
      CREATE INDEX logs_flow_timestamp ON logs (flow_id, timestamp DESC, seq DESC);
    `,
  },
  {
    version: 9,
    name: 'log text search by trigrams',
    // The Logs page's text filter is a substring (ILIKE '%text%'): a GIN index of the messages'
    // trigrams (pg_trgm) finds a rare text among a million lines without reading them all.
    // pg_trgm ships with PostgreSQL (contrib) and is trusted since 13, so a database's owner may
    // create it; where it is missing or refused, the search reads the table as before.
    sql: `
      DO $$
      DECLARE
        trgm_schema text;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
           AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
          BEGIN
            CREATE EXTENSION pg_trgm;
          EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm could not be created (%): the log text search reads the table', SQLERRM;
          END;
        END IF;
        SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname = 'pg_trgm';
        IF trgm_schema IS NOT NULL THEN
          EXECUTE format('CREATE INDEX logs_message_trigrams ON logs USING gin (message %I.gin_trgm_ops)', trgm_schema);
        END IF;
      END
      $$;
    `,
  },
  {
    version: 10,
    name: 'jobs wake-up only for unclaimed jobs',
    // A standalone process's step inserts the jobs it claims for its own worker already claimed
    // (commit.ts stepStatement): no worker may take them, so waking every worker of the cluster
    // for them (one useless claim each, per task) is work for nothing.
    sql: `
      CREATE FUNCTION windhover_notify_unclaimed_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM inserted WHERE worker_id IS NULL) THEN
          PERFORM pg_notify('windhover_jobs', '');
        END IF;
        RETURN NULL;
      END
      $$;
      DROP TRIGGER jobs_notify ON jobs;
      CREATE TRIGGER jobs_notify AFTER INSERT ON jobs REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION windhover_notify_unclaimed_jobs();
    `,
  },
];

/** The NOTIFY channel of each thing a process can wait for (see migrations 2, 3, 7 and 10). */
export const WAKE_CHANNELS = {
  events: 'windhover_events',
  jobs: 'windhover_jobs',
  transitions: 'windhover_transitions',
  flows: 'windhover_flows',
} as const;

/** Raised when the database was migrated by a newer Windhover than this one. */
export class PostgresSchemaTooNewError extends WindhoverError {
  constructor(
    readonly database: string,
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      ErrorCodes.STORE_SCHEMA_TOO_NEW,
      `the PostgreSQL database ${database} has schema version ${databaseVersion}, newer than the ` +
        `${knownVersion} this Windhover knows: it was migrated by a newer Windhover; upgrade Windhover to use it`,
    );
  }
}

/** Refuses a server older than MIN_SERVER_VERSION, with what was found. */
export async function checkServerVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  const version = Number(rows[0]?.v ?? 0);
  if (version < MIN_SERVER_VERSION) {
    const shown = `${Math.floor(version / 10000)}.${version % 10000}`;
    throw new WindhoverError(
      ErrorCodes.STORE_SERVER_TOO_OLD,
      `the PostgreSQL server is version ${shown}; Windhover needs PostgreSQL 13 or newer`,
    );
  }
  return version;
}

/** The highest version applied to the database, 0 for a new one (or one never migrated). */
export async function schemaVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>(
    `SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0
       ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END AS version`,
  );
  return rows[0]?.version ?? 0;
}

/**
 * Applies the migrations the database lacks, in one transaction under the migration advisory
 * lock; refuses a newer schema. Returns the versions applied (none when current).
 */
export async function migratePostgres(
  db: ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<number[]> {
  const latest = migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  await db.query('BEGIN');
  try {
    // Held to the end of the transaction: a second process waits here, then reads the version
    // this one committed.
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const current = await schemaVersion(db);
    if (current > latest) {
      const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
      throw new PostgresSchemaTooNewError(rows[0]?.name ?? '?', current, latest);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await db.query(migration.sql);
      await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now().toISOString(),
      ]);
      applied.push(migration.version);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return applied;
}

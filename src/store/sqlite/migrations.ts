/**
 * The SQLite schema, as append-only numbered migrations embedded in the code (the build does not
 * copy .sql files). Never edit or reorder a released migration: add a new one at the end.
 * Applied versions are recorded in `schema_migrations`.
 */
import type { Database } from './driver.js';

/** One step of the schema; released ones never change. */
export interface Migration {
  /** 1, 2, 3… with no gap. */
  version: number;
  name: string;
  sql: string;
}

/**
 * Execution states that are not terminal. Written out because the partial index
 * `executions_unfinished` and the query that uses it must repeat the same literal list.
 */
export const UNFINISHED_STATES_SQL =
  "('CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'RETRYING')";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      -- Flows: one row per flow (its latest revision, deleted or not), one per revision.
      CREATE TABLE flows (
        namespace TEXT NOT NULL,
        id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (namespace, id)
      ) WITHOUT ROWID, STRICT;

      CREATE TABLE flow_revisions (
        namespace TEXT NOT NULL,
        id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        source TEXT NOT NULL,
        definition TEXT NOT NULL,
        updated TEXT NOT NULL,
        UNIQUE (namespace, id, revision),
        FOREIGN KEY (namespace, id) REFERENCES flows (namespace, id)
      ) STRICT;

      -- Executions: the header (the execution without taskRunList and version) as JSON, plus
      -- the columns searched on. seq (the rowid) is the creation order.
      CREATE TABLE executions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        namespace TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        state TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        version INTEGER NOT NULL,
        labels TEXT NOT NULL,
        header TEXT NOT NULL
      ) STRICT;
      -- Concurrency slots, queued executions and searches by flow.
      CREATE INDEX executions_flow_state ON executions (namespace, flow_id, state, seq);
      -- Searches, newest first.
      CREATE INDEX executions_start ON executions (start_ms, seq);
      -- Recovery at start: only the executions still running are in this index.
      CREATE INDEX executions_unfinished ON executions (seq) WHERE state IN ${UNFINISHED_STATES_SQL};

      -- Labels, for searching; kept in step with executions.labels by the triggers below, which
      -- do nothing when a step leaves the labels unchanged (the common case).
      CREATE TABLE execution_labels (
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        execution_seq INTEGER NOT NULL REFERENCES executions (seq) ON DELETE CASCADE,
        PRIMARY KEY (key, value, execution_seq)
      ) WITHOUT ROWID, STRICT;
      CREATE INDEX execution_labels_execution ON execution_labels (execution_seq);

      CREATE TRIGGER executions_labels_insert AFTER INSERT ON executions BEGIN
        INSERT OR IGNORE INTO execution_labels (key, value, execution_seq)
          SELECT json_extract(value, '$.key'), json_extract(value, '$.value'), new.seq FROM json_each(new.labels);
      END;

      CREATE TRIGGER executions_labels_update AFTER UPDATE OF labels ON executions
        WHEN old.labels IS NOT new.labels BEGIN
        DELETE FROM execution_labels WHERE execution_seq = old.seq;
        INSERT OR IGNORE INTO execution_labels (key, value, execution_seq)
          SELECT json_extract(value, '$.key'), json_extract(value, '$.value'), new.seq FROM json_each(new.labels);
      END;

      -- Task runs, one row each; seq (the rowid) is the creation order within the execution.
      CREATE TABLE task_runs (
        seq INTEGER PRIMARY KEY,
        execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (execution_id, id)
      ) STRICT;

      -- Executor events. AUTOINCREMENT: a seq is never reused, so consuming an event by seq can
      -- never delete a newer one.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        execution_id TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;

      -- Worker jobs (only those in flight, so few); unclaimed while worker_id is NULL. No index on
      -- worker_id: claiming walks the rowid order past the claimed few, and an index would cost
      -- a page write on every dispatch and completion.
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        execution_id TEXT NOT NULL,
        body TEXT NOT NULL,
        worker_id TEXT,
        claimed_at TEXT
      ) STRICT;

      -- Timers: the event to queue at due_ms (epoch milliseconds). A key is unique per execution.
      CREATE TABLE timers (
        seq INTEGER PRIMARY KEY,
        execution_id TEXT NOT NULL,
        key TEXT NOT NULL,
        due_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (execution_id, key)
      ) STRICT;
      CREATE INDEX timers_due ON timers (due_ms, seq);

      -- Log lines. AUTOINCREMENT: seq is a cursor for followers, never reused.
      CREATE TABLE logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        execution_id TEXT NOT NULL,
        namespace TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        task_id TEXT,
        task_run_id TEXT,
        attempt_number INTEGER,
        level INTEGER NOT NULL,
        message TEXT NOT NULL,
        timestamp TEXT NOT NULL
      ) STRICT;
      CREATE INDEX logs_execution ON logs (execution_id, seq);

      CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        description TEXT,
        expires_at TEXT,
        expires_ms INTEGER,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      ) STRICT;

      CREATE TABLE trigger_states (
        namespace TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        trigger_id TEXT NOT NULL,
        state TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (namespace, flow_id, trigger_id)
      ) WITHOUT ROWID, STRICT;
    `,
  },
  {
    version: 2,
    name: 'cluster',
    // The same cluster tables as PostgreSQL's (one conformance suite), though a SQLite store
    // has one process: `workers list` and the heartbeats read the same way on both.
    sql: `
      CREATE TABLE cluster_members (
        id TEXT PRIMARY KEY,
        roles TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_ms INTEGER NOT NULL,
        info TEXT NOT NULL
      ) STRICT;
      CREATE TABLE execution_leases (
        execution_id TEXT PRIMARY KEY,
        executor_id TEXT NOT NULL
      ) WITHOUT ROWID, STRICT;
      CREATE TABLE cluster_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      ) WITHOUT ROWID, STRICT;
      ALTER TABLE jobs ADD COLUMN abort_requested INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE execution_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        execution_id TEXT NOT NULL,
        transition TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'queue times',
    // When each job and event was queued (epoch ms, from the store's clock), for the lag in
    // /metrics. SQLite's ADD COLUMN takes only a constant default: the inserts set the value,
    // and rows queued before this migration count from it.
    sql: `
      ALTER TABLE jobs ADD COLUMN queued_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE events ADD COLUMN queued_ms INTEGER NOT NULL DEFAULT 0;
      UPDATE jobs SET queued_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
      UPDATE events SET queued_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
    `,
  },
  {
    version: 4,
    name: 'log search indexes',
    // The Logs page reads every execution's lines newest first, a page at a time: walked from
    // an index on (timestamp, seq), a page stops after its LIMIT instead of sorting a million
    // lines; a flow's lines have their own index so that a rare flow is not found by a scan.
    sql: `
      CREATE INDEX logs_timestamp ON logs (timestamp, seq);
      CREATE INDEX logs_flow_timestamp ON logs (flow_id, timestamp, seq);
    `,
  },
  {
    version: 5,
    name: 'log text index',
    // The Logs page's text filter is a substring: on a million lines, a rare one is found by
    // reading the table (0.1 s idle, over 1 s on a loaded machine). The trigrams of the messages
    // (FTS5) find it at once. The index is filled after the fact (log-text-index.ts); lines
    // already there are indexed by the same pass, from indexed_seq 0.
    sql: `
      CREATE VIRTUAL TABLE logs_text USING fts5(message, content='logs', content_rowid='seq', tokenize='trigram');
      CREATE TABLE logs_text_progress (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_seq INTEGER NOT NULL) STRICT;
      INSERT INTO logs_text_progress (id, indexed_seq) VALUES (1, 0);
    `,
  },
  {
    version: 6,
    name: 'task runs keyed by execution',
    // A step's task-run writes touched two B-trees, the table and its (execution_id, id) index:
    // a WAL page more in every commit. The rowid becomes (execution seq << 32) + the task run's
    // creation order, so that an execution's task runs are one range of the table, in order,
    // and no index is needed (task-run-slots.ts finds a task run's key from its id). Rows keep
    // their order within each execution; no execution is ever deleted (no cascade is needed).
    sql: `
      CREATE TABLE task_runs_by_execution (
        seq INTEGER PRIMARY KEY,
        execution_id TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;
      INSERT INTO task_runs_by_execution (seq, execution_id, id, body)
        SELECT (e.seq << 32) + row_number() OVER (PARTITION BY t.execution_id ORDER BY t.seq) - 1,
               t.execution_id, t.id, t.body
        FROM task_runs t JOIN executions e ON e.id = t.execution_id;
      DROP TABLE task_runs;
      ALTER TABLE task_runs_by_execution RENAME TO task_runs;
    `,
  },
];

/** Raised when the database was migrated by a newer Windhover than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `the database ${file} has schema version ${databaseVersion}, newer than the ${knownVersion} this ` +
        'Windhover knows: it was written by a newer Windhover; upgrade Windhover to open it',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** The highest version applied to the database, 0 for a new one. */
export function schemaVersion(db: Database): number {
  const row = db
    .prepare<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
    .get();
  return row?.version ?? 0;
}

/** Applies the migrations the database lacks, each in its own transaction; refuses a newer schema. */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) throw new SchemaTooNewError(db.name, current, latest);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // IMMEDIATE takes the write lock first, and the version is read again under it: two
    // processes opening a new database at once apply each migration once.
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
    }).immediate();
  }
}

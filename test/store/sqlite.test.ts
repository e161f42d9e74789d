/**
 * The SQLite adapter: the conformance suite on a fresh database file per test and in memory,
 * then what only SQLite has (WAL, migrations, files).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { STATES, isTerminal } from '../../src/engine/model.js';
import { connect } from '../../src/store/sqlite/driver.js';
import { MIGRATIONS, SchemaTooNewError, openSqliteStore } from '../../src/store/sqlite/index.js';
import { UNFINISHED_STATES_SQL, migrate, schemaVersion } from '../../src/store/sqlite/migrations.js';
import { describeStoreConformance } from './conformance.js';
import { describeClusterConformance } from './conformance-cluster.js';
import { execution, log, taskRun } from './builders.js';
import { indexLogText, indexedLogSeq } from '../../src/store/sqlite/log-text-index.js';
import { startCheckpointer } from '../../src/store/sqlite/checkpointer.js';

const root = mkdtempSync(join(tmpdir(), 'windhover-store-test-'));
let databases = 0;

/** A path for a new database file, in a directory of its own that does not exist yet. */
function newPath(): string {
  databases += 1;
  return join(root, `db${databases}`, 'windhover.db');
}

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeStoreConformance('sqlite file', () => openSqliteStore(newPath()));
describeStoreConformance('sqlite :memory:', () => openSqliteStore(':memory:'));
describeClusterConformance('sqlite file', () => openSqliteStore(newPath()));

describe('sqlite specifics', () => {
  it('finds a text through the trigram index as far as it reaches, and in the lines written after it directly', async () => {
    const path = newPath();
    // No background pass: this test indexes when it chooses.
    const store = await openSqliteStore(path, { backgroundCheckpoints: false });
    const db = connect(path);
    try {
      const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;
      await store.appendLogs([
        log('t1', 'a rare NEEDLE here', { timestamp: at(1) }),
        log('t1', 'say "quoted" 50%', { timestamp: at(2) }),
        log('t1', 'hay', { timestamp: at(3) }),
      ]);
      indexLogText(db, 2); // Two passes of two lines.
      expect(indexedLogSeq(db)).toBe(3);
      await store.appendLogs([log('t2', 'a later needle', { timestamp: at(0) })]);
      const found = async (query: string) =>
        (await store.searchLogs({ query, totalUpTo: 10 })).results.map((l) => l.message);
      // Indexed and not yet indexed lines alike, newest first; ASCII case ignored as by LIKE.
      expect(await found('needle')).toEqual(['a rare NEEDLE here', 'a later needle']);
      expect((await store.searchLogs({ query: 'needle' })).total).toBe(2);
      expect(await found('"quoted" 50%')).toEqual(['say "quoted" 50%']);
      expect(await found('ay')).toEqual(['hay', 'say "quoted" 50%']); // Too short for a trigram.
      // The indexed lines come from the index: emptied, it no longer finds them.
      db.exec("INSERT INTO logs_text (logs_text) VALUES ('delete-all')");
      expect(await found('needle')).toEqual(['a later needle']);
      expect(await found('ay')).toEqual(['hay', 'say "quoted" 50%']);
    } finally {
      db.close();
      await store.close();
    }
  });

  it('starts the checkpoint thread only once the store has been open a while', async () => {
    const path = newPath();
    await (await openSqliteStore(path, { backgroundCheckpoints: false })).close();
    // A store closed at once (a short CLI command) never pays for the thread.
    const brief = startCheckpointer(path, 250, 200);
    await brief.stop();
    expect(brief.started()).toBe(false);
    const long = startCheckpointer(path, 250, 50);
    try {
      expect(long.started()).toBe(false);
      await vi.waitFor(() => expect(long.started()).toBe(true), { timeout: 5_000 });
    } finally {
      await long.stop();
    }
  });

  it('indexes the log text on its background thread', async () => {
    const path = newPath();
    const store = await openSqliteStore(path);
    const db = connect(path);
    try {
      await store.appendLogs(Array.from({ length: 5_000 }, (_, i) => log('b1', `line ${i}`)));
      await vi.waitFor(() => expect(indexedLogSeq(db)).toBe(5_000), { timeout: 10_000 });
      expect((await store.searchLogs({ query: 'line 4999' })).results.map((l) => l.message)).toEqual([
        'line 4999',
      ]);
    } finally {
      db.close();
      await store.close();
    }
  });

  it('opens the file in WAL mode, with foreign keys on, creating its directory', async () => {
    const path = newPath();
    const store = await openSqliteStore(path);
    expect(existsSync(path)).toBe(true);
    const db = connect(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    await store.close();
    await store.close(); // closing twice is harmless
  });

  it('keeps data across reopening', async () => {
    const path = newPath();
    const first = await openSqliteStore(path);
    const created = execution('e1', { taskRunList: [taskRun('e1', 'a')] });
    await first.createExecution(created, [{ kind: 'start' }]);
    await first.saveFlow({ namespace: 'ns', id: 'f', source: 'id: f', definition: { id: 'f' } });
    await first.close();
    const second = await openSqliteStore(path);
    expect(await second.getExecution('e1')).toEqual(created);
    expect((await second.pendingEvents(10)).map((e) => e.event)).toEqual([{ kind: 'start' }]);
    expect((await second.getFlow('ns', 'f'))?.source).toBe('id: f');
    await second.close();
  });

  it('numbers its migrations 1..n without gaps (append-only)', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(m.name.trim()).not.toBe('');
  });

  it('records the migrations applied, once', async () => {
    const path = newPath();
    await (await openSqliteStore(path)).close();
    await (await openSqliteStore(path)).close();
    const db = connect(path);
    try {
      const rows = db
        .prepare<{ version: number; name: string }>('SELECT version, name FROM schema_migrations')
        .all();
      expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    } finally {
      db.close();
    }
  });

  it('applies a migration in a transaction: one that fails leaves no trace', () => {
    const db = connect(':memory:');
    try {
      migrate(db);
      const next = MIGRATIONS.length + 1;
      const broken = { version: next, name: 'broken', sql: 'CREATE TABLE half (a); THIS IS NOT SQL;' };
      expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
      migrate(db, [...MIGRATIONS, { version: next, name: 'fixed', sql: 'CREATE TABLE half (a)' }]);
      expect(schemaVersion(db)).toBe(next);
    } finally {
      db.close();
    }
  });

  it('refuses a database migrated by a newer Windhover', async () => {
    const path = newPath();
    await (await openSqliteStore(path)).close();
    const db = connect(path);
    const future = MIGRATIONS.length + 1;
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      future,
      'from the future',
      new Date().toISOString(),
    );
    db.close();
    const opening = openSqliteStore(path);
    await expect(opening).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(opening).rejects.toThrow(`schema version ${future}, newer than the ${MIGRATIONS.length}`);
  });

  it('lists the unfinished states as the engine defines them', () => {
    const unfinished = STATES.filter((s) => !isTerminal(s));
    expect(UNFINISHED_STATES_SQL).toBe(`(${unfinished.map((s) => `'${s}'`).join(', ')})`);
  });

  it('answers recovery, label and log queries from indexes', async () => {
    const path = newPath();
    await (await openSqliteStore(path)).close();
    const db = connect(path);
    const plan = (sql: string) =>
      db
        .prepare<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    try {
      expect(
        plan(`SELECT id FROM executions WHERE state IN ${UNFINISHED_STATES_SQL} ORDER BY seq`),
      ).toContain('executions_unfinished');
      expect(
        plan(
          "SELECT seq FROM executions WHERE seq IN (SELECT execution_seq FROM execution_labels WHERE key = 'a' AND value = 'b')",
        ),
      ).toMatch(/execution_labels/);
      expect(plan("SELECT seq FROM logs WHERE execution_id = 'e' AND seq > 0 ORDER BY seq")).toContain(
        'logs_execution',
      );
      expect(
        plan(
          "SELECT count(*) FROM executions WHERE namespace = 'a' AND flow_id = 'b' AND state IN ('RUNNING')",
        ),
      ).toContain('executions_flow_state');
    } finally {
      db.close();
    }
  });

  it('dates what it writes with the given clock', async () => {
    const now = new Date('2030-05-06T07:08:09.000Z');
    const store = await openSqliteStore(':memory:', { clock: () => now });
    const entry = await store.kvPut({ namespace: 'ns', key: 'k', type: 'STRING', value: 'v' });
    expect(entry.created).toBe(now.toISOString());
    // Expiry is judged by the same clock.
    await store.kvPut({
      namespace: 'ns',
      key: 'soon',
      type: 'STRING',
      value: 'v',
      expiresAt: '2030-05-06T07:08:10Z',
    });
    expect(await store.kvGet('ns', 'soon')).toBeDefined();
    await store.close();
  });
});

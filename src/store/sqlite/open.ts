/**
 * Opening a SQLite database for the store: the directory, the pragmas, the migrations.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect } from './driver.js';
import type { Database } from './driver.js';
import { migrate } from './migrations.js';

/** Options of openSqliteStore. */
export interface SqliteOptions {
  /** Milliseconds to wait for another process's write lock before failing (default 5000). */
  busyTimeoutMs?: number;
  /** The clock for the dates the store writes (created, updated, claimedAt) and for KV expiry. */
  clock?: () => Date;
  /** Checkpoint the WAL on a worker thread rather than in commits (default true for files). */
  backgroundCheckpoints?: boolean;
}

/** True for the names better-sqlite3 opens as a private in-memory database. */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** Opens (creating it and its directory if needed) and migrates a database file. */
export function openDatabase(path: string, options: SqliteOptions = {}): Database {
  if (!isMemoryPath(path) && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const db = connect(path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL: readers never block the writer; NORMAL: no fsync per commit (a power cut may lose
    // the last commits, never corrupt the file), which is what makes ~20 µs commits possible.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    migrate(db, undefined, options.clock);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

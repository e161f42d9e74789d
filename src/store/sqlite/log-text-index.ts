/**
 * The trigram index of log messages (FTS5, table logs_text), filled after the lines are written
 * rather than as they are: a trigger would cost each insert about ten times its own time (50 µs
 * a line measured, bench/RESULTS.md), while a pass over the lines written since costs a fifth of
 * that and runs off the main thread (on the checkpointer's). A search reads the index up to
 * `indexed_seq` and the few lines after it directly.
 */
import type { Database } from './driver.js';

/** Lines indexed per transaction: short, so that a commit waiting for the lock waits little. */
export const TEXT_INDEX_CHUNK = 2_000;

/** Lines left unindexed while lines are being written, before indexing goes on regardless. */
export const TEXT_INDEX_BACKLOG = 100_000;

/** The next lines to index: reads the progress and the newest line inside the write lock. */
export const TEXT_INDEX_SQL = {
  progress: 'SELECT indexed_seq AS indexed FROM logs_text_progress WHERE id = 1',
  newest: 'SELECT coalesce(max(seq), 0) AS newest FROM logs',
  index: 'INSERT INTO logs_text (rowid, message) SELECT seq, message FROM logs WHERE seq > ? AND seq <= ?',
  advance: 'UPDATE logs_text_progress SET indexed_seq = ? WHERE id = 1',
} as const;

/**
 * The same pass as JavaScript source for the checkpointer's worker (which cannot import this
 * module): `indexLogText(db, chunk)` indexes up to `chunk` lines and returns how many seqs it
 * covered (0 when caught up, or when the schema has no index).
 */
export const INDEX_LOG_TEXT_SOURCE = `
function indexLogText(db, chunk) {
  const sql = ${JSON.stringify(TEXT_INDEX_SQL)};
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'logs_text_progress'").get()) return 0;
  return db.transaction(() => {
    const indexed = db.prepare(sql.progress).get().indexed;
    const newest = db.prepare(sql.newest).get().newest;
    if (newest <= indexed) return 0;
    const upTo = Math.min(newest, indexed + chunk);
    db.prepare(sql.index).run(indexed, upTo);
    db.prepare(sql.advance).run(upTo);
    return upTo - indexed;
  }).immediate();
}
`;

/** Indexes the lines written since the last pass, `chunk` at a time, until caught up (tests, tools). */
export function indexLogText(db: Database, chunk = TEXT_INDEX_CHUNK): void {
  // The worker's own source, so that the pass has one definition for both.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const define = new Function(`${INDEX_LOG_TEXT_SOURCE}; return indexLogText;`) as () => (
    db: Database,
    chunk: number,
  ) => number;
  const pass = define();
  while (pass(db, chunk) > 0);
}

/** How far the index reaches (the seq of the last line indexed). */
export function indexedLogSeq(db: Database): number {
  const row = db.prepare<{ indexed: number }>(TEXT_INDEX_SQL.progress).get();
  return row?.indexed ?? 0;
}

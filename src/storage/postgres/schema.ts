/**
 * The PostgreSQL storage's own tables, apart from the store's migrations (they may live in the
 * same database): a file is a `storage_files` row naming a blob id, its content the ordered
 * `storage_chunks` rows of that id. A replace writes a new blob and repoints the row in one
 * transaction, so readers see the old file or the new one, never a mix. A blob that a replace or
 * delete let go is listed in `storage_garbage` and its chunks deleted only after a grace period,
 * so a stream already reading it (one query per chunk, no connection held) can finish.
 */
import type pg from 'pg';

/** Serialises table creation across processes (an arbitrary constant: "wh-st"). */
const SCHEMA_LOCK = 0x77682d7374;

const DDL = `
CREATE TABLE IF NOT EXISTS storage_files (
  path text COLLATE "C" PRIMARY KEY,
  blob_id uuid NOT NULL UNIQUE,
  size bigint NOT NULL,
  chunks integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS storage_chunks (
  blob_id uuid NOT NULL,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
CREATE TABLE IF NOT EXISTS storage_garbage (
  blob_id uuid PRIMARY KEY,
  since timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS storage_garbage_since ON storage_garbage (since);
`;

/**
 * Creates the storage tables when they are missing. Idempotent; an advisory lock makes a second
 * process wait rather than race on `CREATE TABLE IF NOT EXISTS` (which can fail with a duplicate
 * type error when two sessions create the same table at once).
 */
export async function ensureStorageTables(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  // A connection lost while checked out is an 'error' event that would end the process
  // unheard (the pool listens only while the client is idle); such a client is not reused.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      lost ??= rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

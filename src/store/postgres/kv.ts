/**
 * The KV store on PostgreSQL: typed values as JSONB, with an optional expiry judged by the
 * store's clock. An expired entry reads as missing and is deleted when it is come across.
 */
import type pg from 'pg';
import type { KvEntry, KvType } from '../contract.js';
import { instant, iso } from './db.js';

interface KvRow {
  namespace: string;
  key: string;
  type: string;
  value: unknown;
  description: string | null;
  expires_at: string | null;
  created: Date;
  updated: Date;
}

const COLUMNS = 'namespace, key, type, value, description, expires_at, created, updated';
/** Live at the instant $3. */
const LIVE = '(expires IS NULL OR expires > $3)';

function toEntry(row: KvRow): KvEntry {
  const entry: KvEntry = {
    namespace: row.namespace,
    key: row.key,
    // Written from a KvType by put.
    type: row.type as KvType,
    value: row.value,
    created: iso(row.created),
    updated: iso(row.updated),
  };
  if (row.description !== null) entry.description = row.description;
  if (row.expires_at !== null) entry.expiresAt = row.expires_at;
  return entry;
}

/** The KV store, with lazy expiry. */
export class PostgresKv {
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  /** The entry, or undefined when missing or expired (an expired one is deleted). */
  async get(namespace: string, key: string): Promise<KvEntry | undefined> {
    const now = this.now();
    const { rows } = await this.pool.query<KvRow>(
      `SELECT ${COLUMNS} FROM kv WHERE namespace = $1 AND key = $2 AND ${LIVE}`,
      [namespace, key, now],
    );
    if (rows[0] !== undefined) return toEntry(rows[0]);
    await this.pool.query('DELETE FROM kv WHERE namespace = $1 AND key = $2 AND expires <= $3', [
      namespace,
      key,
      now,
    ]);
    return undefined;
  }

  /** Creates or replaces an entry; `created` survives updates unless the entry had expired. */
  async put(entry: Omit<KvEntry, 'created' | 'updated'>): Promise<KvEntry> {
    const now = this.now();
    const { rows } = await this.pool.query<KvRow>(
      `INSERT INTO kv AS k (namespace, key, type, value, description, expires_at, expires, created, updated)
       VALUES ($1, $2, $4, $5::jsonb, $6, $7, $8, $3, $3)
       ON CONFLICT (namespace, key) DO UPDATE SET
         type = excluded.type, value = excluded.value, description = excluded.description,
         expires_at = excluded.expires_at, expires = excluded.expires, updated = excluded.updated,
         created = CASE WHEN k.expires IS NOT NULL AND k.expires <= $3 THEN excluded.created ELSE k.created END
       RETURNING ${COLUMNS}`,
      [
        entry.namespace,
        entry.key,
        now,
        entry.type,
        // undefined has no JSON: it is stored as null.
        JSON.stringify(entry.value ?? null),
        entry.description ?? null,
        entry.expiresAt ?? null,
        entry.expiresAt === undefined ? null : instant(entry.expiresAt, 'expiresAt'),
      ],
    );
    if (rows[0] === undefined) throw new Error('kvPut: the upsert returned no row');
    return toEntry(rows[0]);
  }

  /** Deletes an entry; false when it was missing or expired (an expired one is deleted too). */
  async delete(namespace: string, key: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ live: boolean }>(
      `DELETE FROM kv WHERE namespace = $1 AND key = $2 RETURNING ${LIVE.replace('$3', '$3::timestamptz')} AS live`,
      [namespace, key, this.now()],
    );
    return rows[0]?.live === true;
  }

  /** Entries of a namespace not expired, by key (the expired ones are deleted). */
  async list(namespace: string): Promise<KvEntry[]> {
    const now = this.now();
    await this.pool.query('DELETE FROM kv WHERE namespace = $1 AND expires <= $2', [namespace, now]);
    const { rows } = await this.pool.query<KvRow>(
      `SELECT ${COLUMNS} FROM kv WHERE namespace = $1 AND (expires IS NULL OR expires > $2) ORDER BY key`,
      [namespace, now],
    );
    return rows.map(toEntry);
  }
}

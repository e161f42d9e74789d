/**
 * The KV store: typed values as JSON, with an optional expiry. An expired entry reads as
 * missing and is deleted when it is come across (no sweeper needed).
 */
import type { KvEntry, KvType } from '../contract.js';
import type { Database, Statement } from './driver.js';
import { instantMs, parseJson } from './shared.js';

interface KvRow {
  namespace: string;
  key: string;
  type: string;
  value: string;
  description: string | null;
  expires_at: string | null;
  created: string;
  updated: string;
}

const COLUMNS = 'namespace, key, type, value, description, expires_at, created, updated';
const LIVE = '(expires_ms IS NULL OR expires_ms > @now)';

function toEntry(row: KvRow): KvEntry {
  const entry: KvEntry = {
    namespace: row.namespace,
    key: row.key,
    // Written from a KvType by put.
    type: row.type as KvType,
    value: parseJson<unknown>(row.value),
    created: row.created,
    updated: row.updated,
  };
  if (row.description !== null) entry.description = row.description;
  if (row.expires_at !== null) entry.expiresAt = row.expires_at;
  return entry;
}

/** The KV store, with lazy expiry. */
export class SqliteKv {
  private readonly selectLive: Statement<KvRow>;
  private readonly upsert: Statement<KvRow>;
  private readonly deleteLive: Statement;
  private readonly purgeKey: Statement;
  private readonly purgeNamespace: Statement;
  private readonly listLive: Statement<KvRow>;

  constructor(
    db: Database,
    private readonly clock: () => Date,
  ) {
    this.selectLive = db.prepare(
      `SELECT ${COLUMNS} FROM kv WHERE namespace = @namespace AND key = @key AND ${LIVE}`,
    );
    // Updating keeps `created`, unless the entry had expired: then it is a new entry.
    this.upsert = db.prepare(
      `INSERT INTO kv (${COLUMNS}, expires_ms)
       VALUES (@namespace, @key, @type, @value, @description, @expiresAt, @now_iso, @now_iso, @expiresMs)
       ON CONFLICT (namespace, key) DO UPDATE SET
         type = excluded.type, value = excluded.value, description = excluded.description,
         expires_at = excluded.expires_at, expires_ms = excluded.expires_ms, updated = excluded.updated,
         created = CASE WHEN kv.expires_ms IS NOT NULL AND kv.expires_ms <= @now THEN excluded.created ELSE kv.created END
       RETURNING ${COLUMNS}`,
    );
    this.deleteLive = db.prepare(`DELETE FROM kv WHERE namespace = @namespace AND key = @key AND ${LIVE}`);
    this.purgeKey = db.prepare(
      'DELETE FROM kv WHERE namespace = @namespace AND key = @key AND expires_ms IS NOT NULL AND expires_ms <= @now',
    );
    this.purgeNamespace = db.prepare(
      'DELETE FROM kv WHERE namespace = @namespace AND expires_ms IS NOT NULL AND expires_ms <= @now',
    );
    this.listLive = db.prepare(
      `SELECT ${COLUMNS} FROM kv WHERE namespace = @namespace AND ${LIVE} ORDER BY key`,
    );
  }

  /** The entry, or undefined when missing or expired (an expired one is deleted). */
  get(namespace: string, key: string): KvEntry | undefined {
    const now = this.clock().getTime();
    const row = this.selectLive.get({ namespace, key, now });
    if (row !== undefined) return toEntry(row);
    this.purgeKey.run({ namespace, key, now });
    return undefined;
  }

  /** Creates or replaces an entry; `created` survives updates. */
  put(entry: Omit<KvEntry, 'created' | 'updated'>): KvEntry {
    const now = this.clock();
    const row = this.upsert.get({
      namespace: entry.namespace,
      key: entry.key,
      type: entry.type,
      // undefined has no JSON: it is stored as null.
      value: JSON.stringify(entry.value ?? null),
      description: entry.description ?? null,
      expiresAt: entry.expiresAt ?? null,
      expiresMs: entry.expiresAt === undefined ? null : instantMs(entry.expiresAt, 'expiresAt'),
      now: now.getTime(),
      now_iso: now.toISOString(),
    });
    if (row === undefined) throw new Error('kvPut: the upsert returned no row');
    return toEntry(row);
  }

  /** Deletes an entry; false when it was missing or expired. */
  delete(namespace: string, key: string): boolean {
    const now = this.clock().getTime();
    if (this.deleteLive.run({ namespace, key, now }).changes > 0) return true;
    this.purgeKey.run({ namespace, key, now });
    return false;
  }

  /** Entries of a namespace not expired, by key (the expired ones are deleted). */
  list(namespace: string): KvEntry[] {
    const now = this.clock().getTime();
    this.purgeNamespace.run({ namespace, now });
    return this.listLive.all({ namespace, now }).map(toEntry);
  }
}

/**
 * The storage emulator's catalog: buckets, objects and open resumable uploads in one SQLite file
 * (better-sqlite3, synchronous, so a check-then-write is one atomic step without locks). Object
 * bytes live in blob files named by random ids, never by object names (names may hold `/`, `..`
 * and any unicode); the catalog maps names to blobs.
 */
import Database from 'better-sqlite3';

/** A bucket row. */
export interface BucketRecord {
  name: string;
  projectId: string;
  location: string;
  storageClass: string;
  labels: Record<string, string>;
  /** Other bucket settings a client gave (versioning, lifecycle…), kept and echoed, not enforced. */
  settings: Record<string, unknown>;
  metageneration: number;
  created: string;
  updated: string;
}

/** An object row (the current generation of a name). */
export interface ObjectRecord {
  bucket: string;
  name: string;
  generation: number;
  metageneration: number;
  size: number;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  md5Hash: string;
  crc32c: string;
  metadata?: Record<string, string>;
  storageClass: string;
  created: string;
  updated: string;
  /** The blob file id under the store's blob folder. */
  blob: string;
}

/** A resumable upload session. */
export interface UploadRecord {
  id: string;
  bucket: string;
  name: string;
  /** The object resource fields the session was opened with. */
  resource: Record<string, unknown>;
  /** Preconditions given when the session was opened (checked again when it completes). */
  preconditions: Record<string, string>;
  received: number;
  created: string;
}

interface ObjectRow {
  bucket: string;
  name: string;
  generation: number;
  metageneration: number;
  size: number;
  content_type: string | null;
  content_encoding: string | null;
  content_disposition: string | null;
  content_language: string | null;
  cache_control: string | null;
  md5: string;
  crc32c: string;
  metadata: string | null;
  storage_class: string;
  created: string;
  updated: string;
  blob: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS buckets (
  name TEXT PRIMARY KEY, project_id TEXT NOT NULL, location TEXT NOT NULL, storage_class TEXT NOT NULL,
  labels TEXT NOT NULL, metageneration INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS objects (
  bucket TEXT NOT NULL, name TEXT NOT NULL, generation INTEGER NOT NULL, metageneration INTEGER NOT NULL,
  size INTEGER NOT NULL, content_type TEXT, content_encoding TEXT, content_disposition TEXT,
  content_language TEXT, cache_control TEXT, md5 TEXT NOT NULL, crc32c TEXT NOT NULL, metadata TEXT,
  storage_class TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, blob TEXT NOT NULL,
  PRIMARY KEY (bucket, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY, bucket TEXT NOT NULL, name TEXT NOT NULL, resource TEXT NOT NULL,
  preconditions TEXT NOT NULL, received INTEGER NOT NULL, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

function toObject(row: ObjectRow): ObjectRecord {
  const record: ObjectRecord = {
    bucket: row.bucket,
    name: row.name,
    generation: row.generation,
    metageneration: row.metageneration,
    size: row.size,
    md5Hash: row.md5,
    crc32c: row.crc32c,
    storageClass: row.storage_class,
    created: row.created,
    updated: row.updated,
    blob: row.blob,
  };
  if (row.content_type !== null) record.contentType = row.content_type;
  if (row.content_encoding !== null) record.contentEncoding = row.content_encoding;
  if (row.content_disposition !== null) record.contentDisposition = row.content_disposition;
  if (row.content_language !== null) record.contentLanguage = row.content_language;
  if (row.cache_control !== null) record.cacheControl = row.cache_control;
  if (row.metadata !== null) record.metadata = JSON.parse(row.metadata) as Record<string, string>;
  return record;
}

function objectParams(o: ObjectRecord): unknown[] {
  return [
    o.bucket,
    o.name,
    o.generation,
    o.metageneration,
    o.size,
    o.contentType ?? null,
    o.contentEncoding ?? null,
    o.contentDisposition ?? null,
    o.contentLanguage ?? null,
    o.cacheControl ?? null,
    o.md5Hash,
    o.crc32c,
    o.metadata === undefined ? null : JSON.stringify(o.metadata),
    o.storageClass,
    o.created,
    o.updated,
    o.blob,
  ];
}

/** The catalog over one SQLite file. */
export class StorageCatalog {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    // Catalogs written before bucket settings were kept lack the column.
    const columns = this.db.prepare('PRAGMA table_info(buckets)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'settings')) {
      this.db.exec("ALTER TABLE buckets ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'");
    }
  }

  /** Runs `fn` in one transaction (checks and writes see one state). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * A new generation number: microseconds since the epoch like Google's, and always above the
   * last one given, so two writes in the same microsecond still differ.
   */
  nextGeneration(): number {
    const row = this.db.prepare('SELECT value FROM counters WHERE name = ?').get('generation') as
      { value: number } | undefined;
    const next = Math.max(Date.now() * 1000, (row?.value ?? 0) + 1);
    this.db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      )
      .run('generation', next);
    return next;
  }

  getBucket(name: string): BucketRecord | undefined {
    const row = this.db.prepare('SELECT * FROM buckets WHERE name = ?').get(name) as
      | {
          name: string;
          project_id: string;
          location: string;
          storage_class: string;
          labels: string;
          settings: string;
          metageneration: number;
          created: string;
          updated: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      name: row.name,
      projectId: row.project_id,
      location: row.location,
      storageClass: row.storage_class,
      labels: JSON.parse(row.labels) as Record<string, string>,
      settings: JSON.parse(row.settings) as Record<string, unknown>,
      metageneration: row.metageneration,
      created: row.created,
      updated: row.updated,
    };
  }

  putBucket(b: BucketRecord): void {
    this.db
      .prepare(
        `INSERT INTO buckets (name, project_id, location, storage_class, labels, metageneration, created, updated, settings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET project_id = excluded.project_id, location = excluded.location,
           storage_class = excluded.storage_class, labels = excluded.labels, settings = excluded.settings,
           metageneration = excluded.metageneration, updated = excluded.updated`,
      )
      .run(
        b.name,
        b.projectId,
        b.location,
        b.storageClass,
        JSON.stringify(b.labels),
        b.metageneration,
        b.created,
        b.updated,
        JSON.stringify(b.settings),
      );
  }

  /** Bucket names after `startAfter` (exclusive) beginning with `prefix`, in name order. */
  listBuckets(prefix: string, startAfter: string, limit: number): BucketRecord[] {
    const rows = this.db
      .prepare('SELECT name FROM buckets WHERE name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?')
      .all(startAfter, prefix.length, prefix, limit) as { name: string }[];
    return rows.map((r) => this.getBucket(r.name)).filter((b): b is BucketRecord => b !== undefined);
  }

  deleteBucket(name: string): void {
    this.db.prepare('DELETE FROM buckets WHERE name = ?').run(name);
  }

  bucketHasObjects(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1').get(name) !== undefined;
  }

  getObject(bucket: string, name: string): ObjectRecord | undefined {
    const row = this.db.prepare('SELECT * FROM objects WHERE bucket = ? AND name = ?').get(bucket, name) as
      ObjectRow | undefined;
    return row ? toObject(row) : undefined;
  }

  putObject(o: ObjectRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO objects (bucket, name, generation, metageneration, size, content_type,
           content_encoding, content_disposition, content_language, cache_control, md5, crc32c, metadata,
           storage_class, created, updated, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...objectParams(o));
  }

  deleteObject(bucket: string, name: string): void {
    this.db.prepare('DELETE FROM objects WHERE bucket = ? AND name = ?').run(bucket, name);
  }

  /**
   * Objects of a bucket with names `>= from` (and `< before` when given) in name (byte) order.
   * The caller filters prefixes; `from` lets it start at the prefix and skip folded prefixes.
   */
  *iterateObjects(bucket: string, from: string, before?: string): Generator<ObjectRecord> {
    const statement =
      before === undefined
        ? this.db.prepare('SELECT * FROM objects WHERE bucket = ? AND name >= ? ORDER BY name')
        : this.db.prepare('SELECT * FROM objects WHERE bucket = ? AND name >= ? AND name < ? ORDER BY name');
    const rows = (
      before === undefined ? statement.iterate(bucket, from) : statement.iterate(bucket, from, before)
    ) as IterableIterator<ObjectRow>;
    for (const row of rows) yield toObject(row);
  }

  /** The ids and start times of all open resumable sessions. */
  listUploads(): { id: string; created: string }[] {
    return this.db.prepare('SELECT id, created FROM uploads').all() as { id: string; created: string }[];
  }

  /** The blob ids the objects point at. */
  allBlobs(): Set<string> {
    const rows = this.db.prepare('SELECT blob FROM objects').pluck().all() as string[];
    return new Set(rows);
  }

  getUpload(id: string): UploadRecord | undefined {
    const row = this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as
      | {
          id: string;
          bucket: string;
          name: string;
          resource: string;
          preconditions: string;
          received: number;
          created: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      bucket: row.bucket,
      name: row.name,
      resource: JSON.parse(row.resource) as Record<string, unknown>,
      preconditions: JSON.parse(row.preconditions) as Record<string, string>,
      received: row.received,
      created: row.created,
    };
  }

  putUpload(u: UploadRecord): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO uploads (id, bucket, name, resource, preconditions, received, created)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.id,
        u.bucket,
        u.name,
        JSON.stringify(u.resource),
        JSON.stringify(u.preconditions),
        u.received,
        u.created,
      );
  }

  deleteUpload(id: string): void {
    this.db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Internal storage in PostgreSQL, for deployments whose machines share a database but no disk:
 * a file is a `storage_files` row and its content ordered 1 MiB `storage_chunks` (see
 * postgres/schema.ts). Writes stream in and commit in one transaction; reads stream out one
 * query per chunk of an immutable blob, holding no connection between chunks. `localPath`
 * downloads the file to a temporary file (one per version, removed by `close()`), since there is
 * no local disk copy to point at.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { ExecutionFilesScope, InternalStorage } from './contract.js';
import { StorageFileNotFound } from './contract.js';
import { ensureStorageTables } from './postgres/schema.js';
import { chunkStream, forEachChunk } from './postgres/streams.js';
import {
  childUri,
  executionPrefix,
  inputFileUri,
  namespaceFileUri,
  namespaceFilesRoot,
  storagePath,
  taskRunFileUri,
} from './uri.js';

/** The class key of the per-path advisory locks ('STOR'), apart from single-key locks. */
const PATH_LOCK_CLASS = 0x53544f52 & 0x7fffffff;

export interface PostgresStorageOptions {
  /** Bytes per chunk row (default 1 MiB): bigger means fewer rows, more memory per read. */
  chunkSize?: number;
  /**
   * How long the content of a replaced or deleted file stays readable for streams already
   * reading it (default 10 minutes); collected after that.
   */
  garbageGraceMs?: number;
}

/** Internal storage as rows in PostgreSQL, shared by every process that reaches the database. */
export class PostgresStorage implements InternalStorage {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly chunkSize: number;
  private readonly garbageGraceMs: number;
  private lastCollection = 0;
  private collecting: Promise<void> = Promise.resolve();
  private tables?: Promise<void>;
  private tempDirs: string[] = [];
  /** localPath's copies by blob id. */
  private readonly downloads = new Map<string, string>();

  /** On a pool (left open by `close()`) or a `postgres://` URL (a pool of its own). */
  constructor(source: pg.Pool | string, options: PostgresStorageOptions = {}) {
    this.ownsPool = typeof source === 'string';
    if (typeof source === 'string') {
      this.pool = new pg.Pool({ connectionString: source, max: 4 });
      // An idle connection lost (server restart) is an 'error' event: the pool drops the client
      // and the next query reconnects, so there is nothing to do but not crash.
      this.pool.on('error', () => {});
    } else this.pool = source;
    this.chunkSize = options.chunkSize ?? 1024 * 1024;
    this.garbageGraceMs = options.garbageGraceMs ?? 10 * 60_000;
  }

  taskRunFileUri(scope: ExecutionFilesScope, taskId: string, taskRunId: string, name: string): string {
    return taskRunFileUri(scope, taskId, taskRunId, name);
  }

  inputFileUri(scope: ExecutionFilesScope, inputId: string, name: string): string {
    return inputFileUri(scope, inputId, name);
  }

  namespaceFileUri(namespace: string, path: string): string {
    return namespaceFileUri(namespace, path);
  }

  namespaceFilesRoot(namespace: string): string {
    return namespaceFilesRoot(namespace);
  }

  /** Creates the storage tables if needed (done lazily by every operation; call to fail early). */
  ready(): Promise<void> {
    this.tables ??= ensureStorageTables(this.pool).catch((error: unknown) => {
      this.tables = undefined; // retry on the next call, e.g. after the server came back
      throw error;
    });
    return this.tables;
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/+$/, '');
    const dir = storagePath(base);
    await this.ready();
    // '0' follows '/' in byte order: the range is exactly the paths below `dir/` (COLLATE "C").
    const { rows } = await this.pool.query<{ path: string }>(
      'SELECT path FROM storage_files WHERE path > $1 AND path < $2 ORDER BY path',
      [`${dir}/`, `${dir}0`],
    );
    return rows.map((r) => childUri(base, r.path.slice(dir.length + 1))).sort();
  }

  async put(uri: string, content: Buffer | string | Readable): Promise<number> {
    const path = storagePath(uri);
    await this.ready();
    const written = await this.transaction(async (client) => {
      const blobId = randomUUID();
      let chunks = 0;
      const size = await forEachChunk(content, this.chunkSize, async (chunk, seq) => {
        await client.query('INSERT INTO storage_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [
          blobId,
          seq,
          chunk,
        ]);
        chunks = seq + 1;
      });
      // Only the repointing is serialised per path, so that concurrent writers of one file each
      // see the previous winner's blob and let it go: the last commit wins, no blob is orphaned.
      await this.lockPath(client, path);
      // The file's row is locked before anything else is written for it: a delete or purge
      // locks the row first too and then hands its blob to the garbage, so both take their
      // locks in the same order (a put that added the old blob to the garbage before locking
      // the row deadlocked against a concurrent delete). `old` is the committed previous blob,
      // handed to the garbage collector rather than deleted, as streams may be reading it.
      const { rows } = await client.query<{ blob_id: string }>(
        'SELECT blob_id FROM storage_files WHERE path = $1 FOR UPDATE',
        [path],
      );
      await client.query(
        `WITH repoint AS (
           INSERT INTO storage_files (path, blob_id, size, chunks) VALUES ($1, $2, $3, $4)
           ON CONFLICT (path) DO UPDATE SET blob_id = EXCLUDED.blob_id, size = EXCLUDED.size,
             chunks = EXCLUDED.chunks, updated_at = now()
         )
         INSERT INTO storage_garbage (blob_id) SELECT unnest($5::uuid[]) ON CONFLICT DO NOTHING`,
        [path, blobId, size, chunks, rows.map((r) => r.blob_id)],
      );
      return size;
    });
    this.collectSoon();
    return written;
  }

  putLocalFile(uri: string, path: string): Promise<number> {
    return this.put(uri, createReadStream(path));
  }

  async readStream(uri: string): Promise<Readable> {
    return (await this.openBlob(uri)).stream;
  }

  /** A stream of the file's current content, and the id of the blob it reads. */
  private async openBlob(uri: string): Promise<{ stream: Readable; blobId: string }> {
    const path = storagePath(uri);
    await this.ready();
    const { rows } = await this.pool.query<{ blob_id: string; chunks: number }>(
      'SELECT blob_id, chunks FROM storage_files WHERE path = $1',
      [path],
    );
    const file = rows[0];
    if (!file) throw new StorageFileNotFound(uri);
    return { stream: chunkStream(this.pool, uri, file.blob_id, file.chunks), blobId: file.blob_id };
  }

  async readBuffer(uri: string): Promise<Buffer> {
    const path = storagePath(uri);
    await this.ready();
    // One statement, one snapshot: never parts of two versions of the file.
    const { rows } = await this.pool.query<{ data: Buffer | null }>(
      `SELECT c.data FROM storage_files f LEFT JOIN storage_chunks c ON c.blob_id = f.blob_id
       WHERE f.path = $1 ORDER BY c.seq`,
      [path],
    );
    if (rows.length === 0) throw new StorageFileNotFound(uri);
    return Buffer.concat(rows.flatMap((r) => (r.data ? [r.data] : [])));
  }

  /**
   * Downloads the file to a temporary file (its own folder, the URI's file name) and returns its
   * path. A version already downloaded is reused (a blob never changes: a replace writes a new
   * one); `close()` removes them all, so a long-running process keeps one copy per version read.
   */
  async localPath(uri: string): Promise<string> {
    const { stream, blobId } = await this.openBlob(uri);
    const cached = this.downloads.get(blobId);
    if (cached && existsSync(cached)) {
      stream.destroy();
      return cached;
    }
    const dir = await mkdtemp(join(tmpdir(), 'windhover-storage-'));
    this.tempDirs.push(dir);
    const target = join(dir, basename(storagePath(uri)));
    await pipeline(stream, createWriteStream(target));
    this.downloads.set(blobId, target);
    return target;
  }

  /** True for a file, and (as on local disk, and Kestra's `fileExists`) for a folder holding files. */
  async exists(uri: string): Promise<boolean> {
    const path = storagePath(uri);
    await this.ready();
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM storage_files WHERE path = $1 OR (path > $2 AND path < $3) LIMIT 1',
      [path, `${path}/`, `${path}0`],
    );
    return (rowCount ?? 0) > 0;
  }

  async size(uri: string): Promise<number> {
    const path = storagePath(uri);
    await this.ready();
    const { rows } = await this.pool.query<{ size: string }>(
      'SELECT size FROM storage_files WHERE path = $1',
      [path],
    );
    if (!rows[0]) throw new StorageFileNotFound(uri);
    return Number(rows[0].size); // bigint arrives as a string; files stay far below 2^53 bytes
  }

  async delete(uri: string): Promise<boolean> {
    const path = storagePath(uri);
    await this.ready();
    const deleted = await this.deleteWhere('path = $1', [path]);
    return deleted.length > 0;
  }

  async purgeExecution(scope: ExecutionFilesScope): Promise<string[]> {
    const prefix = executionPrefix(scope);
    const dir = storagePath(prefix);
    await this.ready();
    const deleted = await this.deleteWhere('path > $1 AND path < $2', [`${dir}/`, `${dir}0`]);
    return deleted.map((p) => childUri(prefix, p.slice(dir.length + 1))).sort();
  }

  /** Ends the pool if this storage opened it, and removes `localPath`'s temporary files. */
  async close(): Promise<void> {
    await this.collecting;
    const dirs = this.tempDirs;
    this.tempDirs = [];
    this.downloads.clear();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * Deletes files in one statement, handing their blobs to the garbage collector (streams may
   * be reading them); returns the paths that existed.
   */
  private async deleteWhere(condition: string, params: string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ path: string }>(
      `WITH gone AS (DELETE FROM storage_files WHERE ${condition} RETURNING path, blob_id),
       garbage AS (INSERT INTO storage_garbage (blob_id) SELECT blob_id FROM gone ON CONFLICT DO NOTHING)
       SELECT path FROM gone`,
      params,
    );
    this.collectSoon();
    return rows.map((r) => r.path);
  }

  /**
   * Deletes the chunks of blobs let go more than `graceMs` ago (default: the configured grace);
   * returns how many blobs went. Runs on its own after writes, at most once a minute.
   */
  async collectGarbage(graceMs = this.garbageGraceMs): Promise<number> {
    await this.ready();
    const { rows } = await this.pool.query<{ n: string }>(
      `WITH due AS (
         DELETE FROM storage_garbage WHERE since <= now() - $1 * interval '1 millisecond' RETURNING blob_id
       ),
       chunks AS (DELETE FROM storage_chunks WHERE blob_id IN (SELECT blob_id FROM due))
       SELECT count(*) AS n FROM due`,
      [graceMs],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Starts a garbage collection in the background if none ran in the last minute. */
  private collectSoon(): void {
    const now = Date.now();
    if (now - this.lastCollection < 60_000) return;
    this.lastCollection = now;
    // Best effort: a failure (server away) leaves the garbage for the next run.
    this.collecting = this.collectGarbage().then(
      () => {},
      () => {},
    );
  }

  private async lockPath(client: pg.PoolClient, path: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PATH_LOCK_CLASS, path]);
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout();
    let failure: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      // A failed rollback leaves the connection in doubt: drop it rather than reuse it.
      await client.query('ROLLBACK').catch(() => (failure = true));
      throw error;
    } finally {
      release(failure === true);
    }
  }

  /**
   * A pooled client that listens for errors while checked out: pg emits a connection lost
   * between queries (a server restart, a terminated backend) as an `error` event, which would
   * crash the process with no listener. A lost client is dropped from the pool on release.
   */
  private async checkout(): Promise<{
    client: pg.PoolClient;
    release: (discard?: boolean) => void;
  }> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const listener = (error: Error) => {
      lost = error;
    };
    client.on('error', listener);
    return {
      client,
      release: (discard) => {
        client.removeListener('error', listener);
        client.release(lost ?? discard);
      },
    };
  }
}

/**
 * PostgresStorage against the real server: the shared conformance suite, then what is its own —
 * tables created once under a lock, chunk rows, snapshot reads across a replace, no chunks left
 * behind, connections handed back, two "machines" seeing one storage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../src/storage/index.js';
import { createPostgresDatabase } from '../support/databases.js';
import { describeStorageConformance } from './conformance.js';

const db = await createPostgresDatabase('storage');
const scope = { namespace: 'company.team', flowId: 'etl', executionId: 'ex1' };

afterAll(async () => {
  await db.drop();
});

describeStorageConformance(
  'PostgresStorage',
  () => {
    const storage = new PostgresStorage(db.url);
    return { storage, close: () => storage.close() };
  },
  db.available ? undefined : db.reason,
);

describe.skipIf(!db.available)('PostgresStorage', () => {
  const pools: pg.Pool[] = [];
  const pool = (max = 4) => {
    const p = new pg.Pool({ connectionString: db.url, max });
    p.on('error', () => {}); // idle clients killed by the restart test: the pool drops them
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('creates its tables once when several processes start together, and again is a no-op', async () => {
    const storages = Array.from({ length: 4 }, () => new PostgresStorage(pool(1)));
    await Promise.all(storages.map((s) => s.ready()));
    await new PostgresStorage(pool(1)).ready();
    const { rows } = await pool(1).query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'storage_%' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(['storage_chunks', 'storage_files', 'storage_garbage']);
  });

  it('stores content as ordered chunks of the configured size and leaves none behind on replace or delete', async () => {
    const p = pool();
    const s = new PostgresStorage(p, { chunkSize: 1000 });
    const uri = s.taskRunFileUri({ ...scope, executionId: 'chunks' }, 't', 'tr', 'a.bin');
    const chunksOf = async () =>
      (
        await p.query<{ n: string }>(
          'SELECT count(*) AS n FROM storage_chunks c JOIN storage_files f USING (blob_id) WHERE f.path = $1',
          [uri.slice('kestra:///'.length)],
        )
      ).rows[0]!.n;
    const count = async (sql: string) => (await p.query<{ n: string }>(sql)).rows[0]!.n;
    // Chunks no file uses: they must all be garbage, waiting out the grace period.
    const unused =
      'SELECT count(*) AS n FROM storage_chunks c WHERE NOT EXISTS (SELECT 1 FROM storage_files f WHERE f.blob_id = c.blob_id)';
    const orphans = () =>
      count(`${unused} AND NOT EXISTS (SELECT 1 FROM storage_garbage g WHERE g.blob_id = c.blob_id)`);
    await s.put(uri, Buffer.alloc(2500, 1));
    expect(await chunksOf()).toBe('3');
    await Promise.all(Array.from({ length: 8 }, (_, i) => s.put(uri, Buffer.alloc(1500 + i, i))));
    expect(await chunksOf()).toBe('2');
    expect(await orphans()).toBe('0');
    await Promise.all([
      s.delete(uri),
      s.put(uri, 'again'),
      s.purgeExecution({ ...scope, executionId: 'chunks' }),
    ]);
    expect(await orphans()).toBe('0');
    expect(Number(await count(unused))).toBeGreaterThan(0); // the replaced versions, kept a while
    expect(await s.collectGarbage(60_000)).toBe(0); // none is a minute old yet
    expect(await s.collectGarbage(0)).toBeGreaterThanOrEqual(9);
    expect(await count(unused)).toBe('0');
    expect(await count('SELECT count(*) AS n FROM storage_garbage')).toBe('0');
  });

  it('never deadlocks when writes, deletes and purges of one file race', async () => {
    // A put used to list the old blob as garbage before locking the file's row, while a delete
    // locks the row and then lists the same blob: each waited for the other (CI saw it once).
    const s = new PostgresStorage(pool(), { chunkSize: 1000 });
    const files = { ...scope, executionId: 'race' };
    const uri = s.taskRunFileUri(files, 't', 'tr', 'a.bin');
    for (let round = 0; round < 100; round++) {
      await s.put(uri, Buffer.alloc(1500, round));
      await Promise.all([
        s.put(uri, Buffer.alloc(1200, 1)),
        s.delete(uri),
        s.put(uri, Buffer.alloc(1300, 2)),
        s.purgeExecution(files),
        s.put(uri, 'last'),
      ]);
    }
    expect(await s.collectGarbage(0)).toBeGreaterThan(0);
  });

  it('a stream slower than the grace period fails clearly rather than mixing versions', async () => {
    const s = new PostgresStorage(pool(), { chunkSize: 4 });
    const uri = s.taskRunFileUri({ ...scope, executionId: 'grace' }, 't', 'tr', 'a.txt');
    await s.put(uri, 'aaaabbbbcccc');
    const reading = await s.readStream(uri);
    const first = await new Promise<Buffer>((resolve) => reading.once('data', resolve));
    expect(first.toString()).toBe('aaaa');
    reading.pause();
    await s.put(uri, 'new!new!new!');
    await s.collectGarbage(0);
    const failed = new Promise<Error>((resolve) => reading.once('error', resolve));
    reading.resume();
    expect((await failed).message).toMatch(/was replaced or deleted.*while this stream read it/);
  });

  it('a stream opened before a replace or delete reads the old file whole (one snapshot)', async () => {
    const s = new PostgresStorage(pool(), { chunkSize: 4 });
    const uri = s.taskRunFileUri({ ...scope, executionId: 'snapshot' }, 't', 'tr', 'a.txt');
    await s.put(uri, 'old content, several chunks');
    const before = await s.readStream(uri);
    const beforeDelete = await s.readStream(uri);
    await s.put(uri, 'new');
    expect(await text(before)).toBe('old content, several chunks');
    await s.delete(uri);
    expect(await text(beforeDelete)).toBe('old content, several chunks');
  });

  it('hands its connection back when a stream ends, fails or is destroyed early', async () => {
    const p = pool(1); // one connection: a leak would make the next query wait forever
    const s = new PostgresStorage(p, { chunkSize: 2 });
    const uri = s.taskRunFileUri({ ...scope, executionId: 'release' }, 't', 'tr', 'a.txt');
    await s.put(uri, 'abcdefgh');
    expect(await text(await s.readStream(uri))).toBe('abcdefgh');
    const early = await s.readStream(uri);
    early.destroy();
    await new Promise((resolve) => early.once('close', resolve));
    await expect(s.readStream(`${uri}.missing`)).rejects.toThrow(/not found/);
    expect(await s.exists(uri)).toBe(true);
    await expect(s.readBuffer(uri)).resolves.toEqual(Buffer.from('abcdefgh'));
  });

  it('reads on across killed connections (a server restart), fails only the write in flight, and goes on', async () => {
    const p = pool(2);
    const s = new PostgresStorage(p, { chunkSize: 1024 });
    const uri = s.taskRunFileUri({ ...scope, executionId: 'killed' }, 't', 'tr', 'a.bin');
    await s.put(uri, Buffer.alloc(10_000, 7));
    const killAll = () =>
      pool(1).query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
    // Mid-read: the stream is paused between chunks; the pool's connections all die.
    const reading = await s.readStream(uri);
    const firstChunk = await new Promise<Buffer>((resolve) => reading.once('data', resolve));
    reading.pause();
    await killAll();
    const rest: Buffer[] = [firstChunk];
    for await (const chunk of reading) rest.push(chunk as Buffer);
    expect(Buffer.concat(rest)).toEqual(Buffer.alloc(10_000, 7));
    // Mid-write: the source stalls while the transaction is open.
    let stall: () => void = () => {};
    const source = new PassThrough();
    source.write(Buffer.alloc(3000, 1));
    const writing = s.put(uri, source);
    await new Promise<void>((resolve) => {
      stall = resolve;
      setTimeout(stall, 300);
    });
    await killAll();
    source.end(Buffer.alloc(10, 2));
    await expect(writing).rejects.toThrow();
    // The old file is intact and the storage works on fresh connections.
    expect(await s.readBuffer(uri)).toEqual(Buffer.alloc(10_000, 7));
    await s.put(uri, 'after');
    expect(await text(await s.readStream(uri))).toBe('after');
  });

  it('is one storage for every machine: a file written through one pool is read through another', async () => {
    const writer = new PostgresStorage(db.url);
    const reader = new PostgresStorage(db.url);
    try {
      const uri = writer.inputFileUri({ ...scope, executionId: 'shared' }, 'file', 'in.csv');
      await writer.put(uri, 'a,b\n');
      expect((await reader.readBuffer(uri)).toString()).toBe('a,b\n');
      expect(await reader.list(`kestra:///company/team/etl/executions/shared`)).toEqual([uri]);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('downloads each version once for localPath, and removes the copies on close', async () => {
    const s = new PostgresStorage(pool());
    const uri = s.taskRunFileUri({ ...scope, executionId: 'tmp' }, 't', 'tr', 'a.txt');
    await s.put(uri, 'one');
    const first = await s.localPath(uri);
    expect(await s.localPath(uri)).toBe(first);
    await s.put(uri, 'two');
    const second = await s.localPath(uri);
    expect(second).not.toBe(first);
    expect(readFileSync(second, 'utf8')).toBe('two');
    expect(readFileSync(first, 'utf8')).toBe('one'); // a reader of the old copy is not cut off
    await s.close();
    expect(existsSync(first) || existsSync(second)).toBe(false);
  });
});

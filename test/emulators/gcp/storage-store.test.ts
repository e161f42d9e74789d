/**
 * The storage emulator's store below HTTP: the ObjectStore contract the BigQuery emulator uses
 * (matchUris with wildcards, putFile, hasBucket), aborted uploads leaving no object, and listing
 * a bucket of 10,000 objects quickly.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startGcpEmulator } from '../../../src/emulators/gcp/server.js';
import { LocalStorageStore } from '../../../src/emulators/gcp/storage/local-store.js';
import { startTestEmulator, type TestEmulator } from './support.js';

describe('ObjectStore contract', () => {
  let dataDir: string;
  let store: LocalStorageStore;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'wh-gcs-store-'));
    store = new LocalStorageStore(dataDir);
    store.createBucket({ name: 'lake', projectId: 'p' });
    for (const name of [
      'raw/2024-01.csv',
      'raw/2024-02.csv',
      'raw/sub/2024-03.csv',
      'raw/notes.txt',
      'other/2024-01.csv',
    ]) {
      const file = join(store.tempDir(), `${name.replaceAll('/', '_')}.in`);
      await writeFile(file, `data of ${name}`);
      await store.putFile('lake', name, file, { contentType: 'text/csv' });
    }
  });
  afterAll(async () => {
    store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('putFile moves the file in and stores a new generation', async () => {
    const file = join(store.tempDir(), 'put.in');
    await writeFile(file, 'first');
    const first = await store.putFile('lake', 'put.txt', file);
    await expect(readdir(store.tempDir())).resolves.not.toContain('put.in');
    await writeFile(file, 'second!');
    const second = await store.putFile('lake', 'put.txt', file, { contentType: 'text/plain' });
    expect(BigInt(second.generation)).toBeGreaterThan(BigInt(first.generation));
    expect(second).toMatchObject({ bucket: 'lake', name: 'put.txt', size: 7, contentType: 'text/plain' });
    expect(await readFile(second.path, 'utf8')).toBe('second!');
  });

  test('putFile into a missing bucket throws and leaves nothing', async () => {
    const file = join(store.tempDir(), 'orphan.in');
    await writeFile(file, 'x');
    await expect(store.putFile('no-bucket', 'x', file)).rejects.toMatchObject({ status: 404 });
  });

  test('matchUris: exact names, one wildcard spanning folders, misses', () => {
    const names = (uris: string[]) => store.matchUris(uris).map((o) => `${o.bucket}/${o.name}`);
    expect(names(['gs://lake/raw/2024-01.csv'])).toEqual(['lake/raw/2024-01.csv']);
    expect(names(['gs://lake/raw/*.csv'])).toEqual([
      'lake/raw/2024-01.csv',
      'lake/raw/2024-02.csv',
      'lake/raw/sub/2024-03.csv',
    ]);
    expect(names(['gs://lake/*2024-01.csv'])).toEqual(['lake/other/2024-01.csv', 'lake/raw/2024-01.csv']);
    expect(names(['gs://lake/raw/*'])).toHaveLength(4);
    expect(names(['gs://lake/missing.csv', 'gs://nope/*', 'not-a-uri'])).toEqual([]);
    const [object] = store.matchUris(['gs://lake/raw/notes.txt']);
    expect(object).toMatchObject({ size: 'data of raw/notes.txt'.length, contentType: 'text/csv' });
  });

  test('hasBucket', () => {
    expect(store.hasBucket('lake')).toBe(true);
    expect(store.hasBucket('nope')).toBe(false);
  });
});

describe('aborted uploads', () => {
  let emulator: TestEmulator;
  let storage: Storage;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
    await storage.createBucket('aborts');
  });
  afterAll(async () => {
    await emulator?.close();
  });

  /** Sends the head of a request that announces more bytes than it sends, then cuts the connection. */
  async function sendAndCut(
    path: string,
    headers: Record<string, string>,
    head: Buffer,
    announced: number,
  ): Promise<void> {
    const url = new URL(path, emulator.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, {
        method: headers['x-method'] ?? 'POST',
        headers: { ...headers, 'content-length': String(announced) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(head, () => setImmediate(() => req.destroy()));
    });
  }

  async function tempFiles(): Promise<string[]> {
    return (await readdir(join(emulator.dataDir, 'storage', 'tmp'))).filter((f) => f.endsWith('.part'));
  }

  test('a cut-off media upload leaves no object and no temp file', async () => {
    await sendAndCut(
      '/upload/storage/v1/b/aborts/o?uploadType=media&name=cut-media',
      { 'content-type': 'application/octet-stream' },
      Buffer.alloc(64 * 1024, 1),
      1024 * 1024,
    );
    await vi.waitFor(async () => expect(await tempFiles()).toEqual([]));
    expect((await storage.bucket('aborts').file('cut-media').exists())[0]).toBe(false);
  });

  test('a cut-off multipart upload leaves no object', async () => {
    const boundary = 'cut-boundary';
    const head = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"name":"cut-multipart"}\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      Buffer.alloc(64 * 1024, 2),
    ]);
    await sendAndCut(
      '/upload/storage/v1/b/aborts/o?uploadType=multipart',
      { 'content-type': `multipart/related; boundary=${boundary}` },
      head,
      1024 * 1024,
    );
    await vi.waitFor(async () => expect(await tempFiles()).toEqual([]));
    expect((await storage.bucket('aborts').file('cut-multipart').exists())[0]).toBe(false);
  });

  test('a multipart body without its closing boundary is refused', async () => {
    const boundary = 'b';
    const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"name":"unterminated"}\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nno end`;
    const response = await fetch(`${emulator.url}/upload/storage/v1/b/aborts/o?uploadType=multipart`, {
      method: 'POST',
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'closing boundary',
    );
    expect((await storage.bucket('aborts').file('unterminated').exists())[0]).toBe(false);
  });

  test('a cut-off resumable chunk keeps the session, not an object, and the upload resumes', async () => {
    const file = storage.bucket('aborts').file('cut-resumable');
    const [uri] = await file.createResumableUpload();
    const bytes = Buffer.alloc(200_000, 3);
    const url = new URL(uri);
    await sendAndCut(
      `${url.pathname}${url.search}`,
      { 'x-method': 'PUT', 'content-range': 'bytes 0-199999/200000' },
      bytes.subarray(0, 50_000),
      200_000,
    );
    expect((await file.exists())[0]).toBe(false);
    let received = 0;
    await vi.waitFor(async () => {
      const status = await fetch(uri, { method: 'PUT', headers: { 'content-range': 'bytes */200000' } });
      expect(status.status).toBe(308);
      received = Number(status.headers.get('range')?.split('-')[1] ?? -1) + 1;
      expect(received).toBeGreaterThan(0);
    });
    const rest = await fetch(uri, {
      method: 'PUT',
      headers: { 'content-range': `bytes ${received}-199999/200000` },
      body: bytes.subarray(received),
    });
    expect(rest.status).toBe(200);
    expect((await file.download())[0].equals(bytes)).toBe(true);
  });
});

describe('start-up after a crash', () => {
  test('removes half-written files, stray blobs and dead sessions, keeps live sessions', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wh-gcs-crash-'));
    try {
      const store = new LocalStorageStore(dataDir);
      store.createBucket({ name: 'kept', projectId: 'p' });
      const file = join(store.tempDir(), 'in');
      await writeFile(file, 'object bytes');
      const object = await store.putFile('kept', 'object.txt', file);
      store.catalog.putUpload({
        id: 'live',
        bucket: 'kept',
        name: 'a',
        resource: {},
        preconditions: {},
        received: 0,
        created: new Date().toISOString(),
      });
      store.catalog.putUpload({
        id: 'old',
        bucket: 'kept',
        name: 'b',
        resource: {},
        preconditions: {},
        received: 0,
        created: '2020-01-01T00:00:00.000Z',
      });
      store.close();
      const tmp = join(dataDir, 'storage', 'tmp');
      const blobs = join(dataDir, 'storage', 'blobs');
      for (const name of ['upload-live', 'upload-old', 'upload-orphan', 'cut.part'])
        await writeFile(join(tmp, name), 'x');
      await writeFile(join(blobs, 'stray-blob'), 'x');

      const reopened = new LocalStorageStore(dataDir);
      try {
        expect((await readdir(tmp)).sort()).toEqual(['upload-live']);
        expect(await readdir(blobs)).toEqual([object.path.split('/').pop()]);
        expect(reopened.catalog.getUpload('live')).toBeDefined();
        expect(reopened.catalog.getUpload('old')).toBeUndefined();
        expect(reopened.matchUris(['gs://kept/object.txt'])).toHaveLength(1);
      } finally {
        reopened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a bucket of 10,000 objects', () => {
  test('lists by folder and by pages quickly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wh-gcs-many-'));
    try {
      const store = new LocalStorageStore(dataDir);
      store.createBucket({ name: 'many', projectId: 'p' });
      const now = new Date().toISOString();
      // Rows straight into the catalog: the listing reads only the catalog.
      store.catalog.transaction(() => {
        for (let i = 0; i < 10_000; i++) {
          store.catalog.putObject({
            bucket: 'many',
            name: `folder/${String(i).padStart(5, '0')}.csv`,
            generation: i + 1,
            metageneration: 1,
            size: 1,
            md5Hash: '',
            crc32c: '',
            storageClass: 'STANDARD',
            created: now,
            updated: now,
            blob: `none-${i}`,
          });
        }
      });
      store.close();
      const emulator = await startGcpEmulator({ port: 0, dataDir, quiet: true });
      try {
        const bucket = new Storage({ apiEndpoint: emulator.url, projectId: 'p' }).bucket('many');
        const started = performance.now();
        const [top, , response] = await bucket.getFiles({ delimiter: '/', autoPaginate: false });
        expect(top).toEqual([]);
        expect((response as { prefixes: string[] }).prefixes).toEqual(['folder/']);
        const [all] = await bucket.getFiles({ prefix: 'folder/' });
        expect(all).toHaveLength(10_000);
        expect(all[9_999]?.name).toBe('folder/09999.csv');
        const elapsed = performance.now() - started;
        expect(elapsed).toBeLessThan(5_000);
      } finally {
        await emulator.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

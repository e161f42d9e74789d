/**
 * One behaviour for every internal storage backend (local disk, PostgreSQL, later S3/GCS): each
 * backend's test file calls `describeStorageConformance` with a way to open it. Tests share one
 * opened storage and keep apart by using a namespace of their own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionFilesScope, InternalStorage } from '../../src/storage/index.js';
import { StorageFileNotFound, StorageUriError } from '../../src/storage/index.js';

/** An opened backend and how to release it. */
export interface OpenedStorage {
  storage: InternalStorage;
  close(): Promise<void>;
}

let counter = 0;
/** A scope in a namespace no other test uses. */
function freshScope(executionId = 'ex1'): ExecutionFilesScope {
  counter += 1;
  return { namespace: `conf${counter}_${randomBytes(3).toString('hex')}.team`, flowId: 'etl', executionId };
}

/** Forces a full GC (exposed at runtime: vitest workers do not start with --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Live memory (JS heap plus Buffers) after full collections. Buffer memory is released off the
 * main thread after a collection, so collect twice with a turn of the event loop between.
 */
async function liveBytes(): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** `total` pseudo-random bytes (xorshift32) in 64 KiB pieces, hashed as they go. */
function generated(total: number, onPiece: (piece: Buffer, sent: number) => Promise<void>): Readable {
  let state = 0x9e3779b9;
  async function* pieces() {
    for (let sent = 0; sent < total;) {
      const piece = Buffer.alloc(Math.min(64 * 1024, total - sent));
      const words = new Uint32Array(piece.buffer, piece.byteOffset, piece.length >>> 2);
      for (let i = 0; i < words.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state >>> 0;
      }
      sent += piece.length;
      await onPiece(piece, sent);
      yield piece;
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}

/** Runs the conformance suite on a backend; `skip` (a reason) skips it, e.g. no server. */
export function describeStorageConformance(
  name: string,
  open: () => OpenedStorage | Promise<OpenedStorage>,
  skip?: string,
): void {
  describe.skipIf(skip !== undefined)(
    `${name} conforms to InternalStorage${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let opened: OpenedStorage;
      let s: InternalStorage;
      const tempDir = mkdtempSync(join(tmpdir(), 'wh-storage-conf-'));

      beforeAll(async () => {
        opened = await open();
        s = opened.storage;
      });
      afterAll(async () => {
        await opened?.close();
        rmSync(tempDir, { recursive: true, force: true });
      });

      it("builds Kestra's URIs, escaping ids so they cannot add levels", () => {
        const scope = { namespace: 'company.team', flowId: 'etl', executionId: 'ex1' };
        expect(s.taskRunFileUri(scope, 'extract', 'tr1', 'data.csv')).toBe(
          'kestra:///company/team/etl/executions/ex1/tasks/extract/tr1/data.csv',
        );
        expect(s.inputFileUri(scope, 'file', 'in put.csv')).toBe(
          'kestra:///company/team/etl/executions/ex1/inputs/file/in%20put.csv',
        );
        expect(s.taskRunFileUri(scope, 'a/b', 'tr', 'x*.csv')).toBe(
          'kestra:///company/team/etl/executions/ex1/tasks/a%2Fb/tr/x%2A.csv',
        );
        expect(s.namespaceFilesRoot('company.team')).toBe('kestra:///company/team/_files');
        expect(s.namespaceFileUri('company.team', './scripts//etl.py')).toBe(
          'kestra:///company/team/_files/scripts/etl.py',
        );
        expect(() => s.namespaceFileUri('company.team', '../../secrets')).toThrow(StorageUriError);
        expect(() => s.namespaceFileUri('company.team', '/')).toThrow(StorageUriError);
      });

      it('writes Buffers, strings and streams and reads them back as buffers and streams, with sizes', async () => {
        const scope = freshScope();
        const big = randomBytes(2_500_000); // several chunks for chunked backends
        const cases: [string, Buffer | string | Readable, Buffer][] = [
          ['a.txt', 'héllo', Buffer.from('héllo')],
          ['b.bin', big, big],
          ['c.txt', Readable.from(['line 1\n', 'line 2\n']), Buffer.from('line 1\nline 2\n')],
          ['d.bin', Readable.from([big.subarray(0, 1_000_001), big.subarray(1_000_001)]), big],
          ['empty', '', Buffer.alloc(0)],
          ['empty-stream', Readable.from([]), Buffer.alloc(0)],
        ];
        for (const [file, content, expected] of cases) {
          const uri = s.taskRunFileUri(scope, 't', 'tr', file);
          expect(await s.put(uri, content), file).toBe(expected.length);
          expect((await s.readBuffer(uri)).equals(expected), file).toBe(true);
          const chunks: Buffer[] = [];
          for await (const chunk of await s.readStream(uri)) chunks.push(chunk as Buffer);
          expect(Buffer.concat(chunks).equals(expected), file).toBe(true);
          expect(await s.size(uri), file).toBe(expected.length);
          expect(await s.exists(uri), file).toBe(true);
        }
      });

      it('replaces a file whole: a shorter second write leaves nothing of the first', async () => {
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'r.txt');
        await s.put(uri, 'x'.repeat(3_000_000));
        expect(await s.put(uri, 'short')).toBe(5);
        expect((await s.readBuffer(uri)).toString()).toBe('short');
        expect(await s.size(uri)).toBe(5);
      });

      it('copies a local file in, and gives a real readable local path for a stored file', async () => {
        const source = join(tempDir, 'source.csv');
        writeFileSync(source, 'id,name\n1,a\n');
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'copied.csv');
        expect(await s.putLocalFile(uri, source)).toBe(12);
        const path = await s.localPath(uri);
        expect(readFileSync(path, 'utf8')).toBe('id,name\n1,a\n');
        expect(path.endsWith('copied.csv')).toBe(true);
        await expect(s.localPath(`${uri}.missing`)).rejects.toBeInstanceOf(StorageFileNotFound);
      });

      it('lists every file below a prefix, recursively and sorted, as escaped URIs', async () => {
        const scope = freshScope();
        const root = s.namespaceFilesRoot(scope.namespace);
        // 'é' sorts after 'z' as text but before it as a URI (%C3%A9): the URIs are what is sorted.
        const files = ['z.txt', 'scripts/etl.py', 'scripts/deep/a b.sql', 'A.md', 'scripts0.txt', 'é.txt'];
        for (const file of files) await s.put(s.namespaceFileUri(scope.namespace, file), file);
        const all = [
          `${root}/%C3%A9.txt`,
          `${root}/A.md`,
          `${root}/scripts/deep/a%20b.sql`,
          `${root}/scripts/etl.py`,
          `${root}/scripts0.txt`,
          `${root}/z.txt`,
        ];
        expect(await s.list(root)).toEqual(all);
        expect(await s.list(`${root}/`)).toEqual(all);
        // A prefix is a folder: `scripts` does not match `scripts0.txt`.
        expect(await s.list(`${root}/scripts`)).toEqual([
          `${root}/scripts/deep/a%20b.sql`,
          `${root}/scripts/etl.py`,
        ]);
        expect(await s.list(s.namespaceFilesRoot(freshScope().namespace))).toEqual([]);
        // A folder holding files exists (Kestra's fileExists('scripts') is true).
        expect(await s.exists(`${root}/scripts`)).toBe(true);
        expect(await s.exists(`${root}/scrip`)).toBe(false);
        for (const uri of await s.list(root)) expect((await s.readBuffer(uri)).length).toBeGreaterThan(0);
      });

      it('deletes files: true once, then false; a deleted file is gone', async () => {
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'gone.txt');
        await s.put(uri, 'x');
        expect(await s.delete(uri)).toBe(true);
        expect(await s.delete(uri)).toBe(false);
        expect(await s.exists(uri)).toBe(false);
        await expect(s.readBuffer(uri)).rejects.toBeInstanceOf(StorageFileNotFound);
      });

      it("purges an execution's files and returns them, leaving other executions' (even ex10 next to ex1)", async () => {
        const scope = freshScope('ex1');
        const mine = [
          s.taskRunFileUri(scope, 'a', 'tr1', 'one.csv'),
          s.taskRunFileUri(scope, 'b', 'tr2', 'two.csv'),
          s.inputFileUri(scope, 'f', 'in put.csv'),
        ];
        const others = [
          s.taskRunFileUri({ ...scope, executionId: 'ex10' }, 'a', 'tr9', 'keep.csv'),
          s.taskRunFileUri({ ...scope, executionId: 'ex2' }, 'a', 'tr9', 'keep.csv'),
          s.namespaceFileUri(scope.namespace, 'keep.py'),
        ];
        for (const uri of [...mine, ...others]) await s.put(uri, 'x');
        expect(await s.purgeExecution(scope)).toEqual([...mine].sort());
        for (const uri of mine) expect(await s.exists(uri)).toBe(false);
        for (const uri of others) expect(await s.exists(uri)).toBe(true);
        expect(await s.purgeExecution(scope)).toEqual([]);
      });

      it('reports a missing file with StorageFileNotFound naming its URI', async () => {
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'missing.csv');
        await expect(s.readBuffer(uri)).rejects.toBeInstanceOf(StorageFileNotFound);
        await expect(s.readStream(uri)).rejects.toThrow(`File not found in internal storage: ${uri}`);
        await expect(s.size(uri)).rejects.toMatchObject({ code: 'WH_STORAGE_FILE_NOT_FOUND', uri });
        expect(await s.exists(uri)).toBe(false);
        expect(await s.delete(uri)).toBe(false);
      });

      it('refuses URIs of another scheme, relative ones, bad escapes and any that leave the storage', async () => {
        for (const uri of [
          'file:///etc/passwd',
          's3://bucket/x',
          'kestra://relative/path',
          'kestra:///../../etc/passwd',
          'kestra:///a/%2E%2E/%2E%2E/%2E%2E/x',
          'kestra:///a/..',
          'kestra:///',
          'kestra:///a/%zz',
        ]) {
          await expect(s.readBuffer(uri), uri).rejects.toBeInstanceOf(StorageUriError);
          await expect(s.put(uri, 'x'), uri).rejects.toBeInstanceOf(StorageUriError);
          await expect(s.exists(uri), uri).rejects.toBeInstanceOf(StorageUriError);
          await expect(s.delete(uri), uri).rejects.toBeInstanceOf(StorageUriError);
          await expect(s.list(uri), uri).rejects.toBeInstanceOf(StorageUriError);
        }
        await expect(s.put('kestra:///../escape.txt', 'x')).rejects.toThrow(/points outside the storage/);
        await expect(s.put('kestra:///../escape.txt', 'x')).rejects.toMatchObject({
          code: 'WH_STORAGE_URI_INVALID',
        });
      });

      it('round-trips a 50 MB stream without holding it in memory', { timeout: 120_000 }, async () => {
        const total = 50 * 1024 * 1024;
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'big.bin');
        const before = await liveBytes();
        let peak = Number.NEGATIVE_INFINITY;
        let samples = 0;
        const measure = async () => {
          samples += 1;
          peak = Math.max(peak, (await liveBytes()) - before);
        };
        const written = createHash('sha256');
        expect(
          await s.put(
            uri,
            generated(total, async (piece, sent) => {
              written.update(piece);
              if (sent % (8 << 20) === 0) await measure();
            }),
          ),
        ).toBe(total);
        const read = createHash('sha256');
        let received = 0;
        for await (const chunk of await s.readStream(uri)) {
          read.update(chunk as Buffer);
          const previous = received;
          received += (chunk as Buffer).length;
          if (Math.floor(received / (8 << 20)) > Math.floor(previous / (8 << 20))) await measure();
        }
        expect(received).toBe(total);
        expect(samples).toBeGreaterThanOrEqual(12); // 6 while writing, 6 while reading
        expect(read.digest('hex')).toBe(written.digest('hex'));
        expect(await s.size(uri)).toBe(total);
        console.info(`${name}: 50 MB round trip, peak live memory growth ${(peak / 2 ** 20).toFixed(1)} MiB`);
        // Loose: the whole file in memory would add 50 MiB or more.
        expect(peak).toBeLessThan(20 * 1024 * 1024);
        await s.delete(uri);
      });

      it('concurrent puts of one URI leave one whole file (never a mix), and a later put wins', async () => {
        const uri = s.taskRunFileUri(freshScope(), 't', 'tr', 'contended.bin');
        // Different sizes and a byte of their own, streamed in pieces so that writes interleave.
        const contents = Array.from({ length: 6 }, (_, i) => Buffer.alloc(400_000 + i * 500_000, 65 + i));
        const pieces = (b: Buffer) =>
          Readable.from(
            Array.from({ length: 10 }, (_, k) => b.subarray((k * b.length) / 10, ((k + 1) * b.length) / 10)),
          );
        const reads: Promise<Buffer | undefined>[] = [];
        const sizes = await Promise.all(
          contents.map(async (b) => {
            reads.push(s.readBuffer(uri).catch(() => undefined));
            return s.put(uri, pieces(b));
          }),
        );
        expect(sizes).toEqual(contents.map((b) => b.length));
        const isWhole = (got: Buffer) => contents.some((b) => b.equals(got));
        const final = await s.readBuffer(uri);
        expect(isWhole(final)).toBe(true);
        expect(await s.size(uri)).toBe(final.length);
        for (const got of await Promise.all(reads)) if (got) expect(isWhole(got)).toBe(true);
        await s.put(uri, 'last');
        expect((await s.readBuffer(uri)).toString()).toBe('last');
      });
    },
  );
}

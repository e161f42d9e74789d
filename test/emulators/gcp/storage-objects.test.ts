/**
 * Cloud Storage objects through the official client against the emulator: uploads (multipart,
 * resumable in chunks, from a file above the client's resumable threshold), range downloads,
 * listing with prefixes and pages, copies, moves, compose, metadata patches, generations and
 * preconditions, names with any characters.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage, type Bucket } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEmulator, type TestEmulator } from './support.js';

let emulator: TestEmulator;
let storage: Storage;
let bucket: Bucket;
let workDir: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
  [bucket] = await storage.createBucket('objects');
  workDir = await mkdtemp(join(tmpdir(), 'wh-gcs-test-'));
});
afterAll(async () => {
  await emulator?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function pattern(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) % 251;
  return bytes;
}

describe('uploads', () => {
  test('bucket.upload of a file above the resumable threshold, in several chunks', async () => {
    const bytes = pattern(6 * 1024 * 1024, 2);
    const path = join(workDir, 'big.bin');
    await writeFile(path, bytes);
    const [file] = await bucket.upload(path, { destination: 'uploads/big.bin', chunkSize: 2 * 1024 * 1024 });
    const [metadata] = await file.getMetadata();
    expect(metadata.size).toBe(String(bytes.length));
    const target = join(workDir, 'big.out');
    await file.download({ destination: target });
    expect((await readFile(target)).equals(bytes)).toBe(true);
  });

  test('createWriteStream (resumable, no known length)', async () => {
    const bytes = pattern(300 * 1024, 3);
    const file = bucket.file('uploads/stream.bin');
    await new Promise<void>((resolve, reject) => {
      const stream = file.createWriteStream({ contentType: 'application/x-test' });
      stream.on('error', reject).on('finish', resolve);
      stream.end(bytes);
    });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: String(bytes.length), contentType: 'application/x-test' });
    expect((await file.download())[0].equals(bytes)).toBe(true);
  });

  test('an empty object', async () => {
    const file = bucket.file('uploads/empty');
    await file.save('', { resumable: false });
    expect((await file.getMetadata())[0].size).toBe('0');
    expect((await file.download())[0].length).toBe(0);
  });

  test('resumable edge cases: an empty object, a size that is an exact multiple of the chunk', async () => {
    await bucket.file('uploads/empty-resumable').save('', { resumable: true });
    expect((await bucket.file('uploads/empty-resumable').getMetadata())[0].size).toBe('0');
    const bytes = pattern(512 * 1024, 6);
    await bucket.file('uploads/two-chunks').save(bytes, { resumable: true, chunkSize: 256 * 1024 });
    expect((await bucket.file('uploads/two-chunks').download())[0].equals(bytes)).toBe(true);
  });

  test('a resumable session can be queried and resumed', async () => {
    const file = bucket.file('uploads/resumed.bin');
    const [uri] = await file.createResumableUpload({ metadata: { contentType: 'application/octet-stream' } });
    const bytes = pattern(100_000, 4);
    const first = await fetch(uri, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 0-39999/100000' },
      body: bytes.subarray(0, 40_000),
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-39999');
    const status = await fetch(uri, { method: 'PUT', headers: { 'content-range': 'bytes */100000' } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe('bytes=0-39999');
    // A re-sent overlap is skipped, not appended twice.
    const last = await fetch(uri, {
      method: 'PUT',
      headers: { 'content-range': 'bytes 30000-99999/100000' },
      body: bytes.subarray(30_000),
    });
    expect(last.status).toBe(200);
    expect((await file.download())[0].equals(bytes)).toBe(true);
    const gone = await fetch(uri, { method: 'PUT', headers: { 'content-range': 'bytes */100000' } });
    expect(gone.status).toBe(404);
  });

  test('an upload whose declared MD5 does not match is refused and leaves no object', async () => {
    const file = bucket.file('uploads/bad-md5');
    await expect(
      file.save('abc', {
        resumable: false,
        metadata: { md5Hash: 'AAAAAAAAAAAAAAAAAAAAAA==' },
        validation: false,
      }),
    ).rejects.toMatchObject({ code: 400 });
    expect((await file.exists())[0]).toBe(false);
  });
});

describe('downloads', () => {
  const bytes = pattern(10_000, 5);
  beforeAll(async () => {
    await bucket.file('ranges.bin').save(bytes, { resumable: false });
  });

  test('ranges', async () => {
    const file = bucket.file('ranges.bin');
    expect((await file.download({ start: 100, end: 199 }))[0].equals(bytes.subarray(100, 200))).toBe(true);
    expect((await file.download({ start: 9_990 }))[0].equals(bytes.subarray(9_990))).toBe(true);
    const raw = await fetch(`${emulator.url}/download/storage/v1/b/objects/o/ranges.bin?alt=media`, {
      headers: { range: 'bytes=-10' },
    });
    expect(raw.status).toBe(206);
    expect(raw.headers.get('content-range')).toBe('bytes 9990-9999/10000');
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes.subarray(9_990))).toBe(true);
  });

  test('a range past the end is 416', async () => {
    const raw = await fetch(`${emulator.url}/storage/v1/b/objects/o/ranges.bin?alt=media`, {
      headers: { range: 'bytes=20000-' },
    });
    expect(raw.status).toBe(416);
  });

  test('downloads carry the hashes the client validates', async () => {
    const raw = await fetch(`${emulator.url}/storage/v1/b/objects/o/ranges.bin?alt=media`);
    const [metadata] = await bucket.file('ranges.bin').getMetadata();
    expect(raw.headers.get('x-goog-hash')).toBe(`crc32c=${metadata.crc32c},md5=${metadata.md5Hash}`);
    const [data] = await bucket.file('ranges.bin').download({ validation: 'md5' });
    expect(data.equals(bytes)).toBe(true);
  });

  test('a gzip-encoded object: as stored to clients accepting gzip, decompressed to others', async () => {
    const text = 'a,b,c\n'.repeat(2000);
    const file = bucket.file('gzip/data.csv');
    await file.save(text, { resumable: false, gzip: true, contentType: 'text/csv' });
    const [metadata] = await file.getMetadata();
    expect(metadata.contentEncoding).toBe('gzip');
    expect(Number(metadata.size)).toBeLessThan(text.length);
    expect((await file.download())[0].toString()).toBe(text);
    const url = `${emulator.url}/download/storage/v1/b/objects/o/${encodeURIComponent('gzip/data.csv')}?alt=media`;
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(text);
  });

  test('a missing object is a 404', async () => {
    await expect(bucket.file('nope').download()).rejects.toMatchObject({ code: 404 });
  });
});

describe('names', () => {
  test.each([
    'a/b/c.txt',
    'spaces and+plus',
    'percent%2F?#&=',
    'ünïcødé/日本語/😀.csv',
    '../../etc/passwd',
    'trailing/',
  ])('an object named %j round-trips', async (name) => {
    const file = bucket.file(name);
    await file.save(`content of ${name}`, { resumable: false });
    expect((await file.download())[0].toString()).toBe(`content of ${name}`);
    const [files] = await bucket.getFiles({ prefix: name });
    expect(files.map((f) => f.name)).toContain(name);
    await file.delete();
  });
});

describe('listing', () => {
  let listed: Bucket;
  beforeAll(async () => {
    [listed] = await storage.createBucket('listing');
    const names = ['a.txt', 'b.txt', 'dir/1.csv', 'dir/2.csv', 'dir/sub/3.csv', 'other/x', 'zeta'];
    await Promise.all(names.map((n) => listed.file(n).save(n, { resumable: false })));
  });

  test('prefix and delimiter', async () => {
    const [files, , response] = await listed.getFiles({ delimiter: '/', autoPaginate: false });
    expect(files.map((f) => f.name)).toEqual(['a.txt', 'b.txt', 'zeta']);
    expect((response as { prefixes: string[] }).prefixes).toEqual(['dir/', 'other/']);
    const [inDir, , dirResponse] = await listed.getFiles({
      prefix: 'dir/',
      delimiter: '/',
      autoPaginate: false,
    });
    expect(inDir.map((f) => f.name)).toEqual(['dir/1.csv', 'dir/2.csv']);
    expect((dirResponse as { prefixes: string[] }).prefixes).toEqual(['dir/sub/']);
    const [all] = await listed.getFiles({ prefix: 'dir/' });
    expect(all.map((f) => f.name)).toEqual(['dir/1.csv', 'dir/2.csv', 'dir/sub/3.csv']);
  });

  test('pages', async () => {
    const seen: string[] = [];
    type PageQuery = { maxResults: number; autoPaginate: false; pageToken?: string };
    let query: PageQuery | null = { maxResults: 3, autoPaginate: false };
    let pages = 0;
    while (query) {
      const [files, next]: [unknown[], unknown, unknown] = await listed.getFiles(query);
      seen.push(...(files as { name: string }[]).map((f) => f.name));
      pages++;
      query = (next as PageQuery | null) ?? null;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['a.txt', 'b.txt', 'dir/1.csv', 'dir/2.csv', 'dir/sub/3.csv', 'other/x', 'zeta']);
  });

  test('startOffset and endOffset', async () => {
    const [files] = await listed.getFiles({ startOffset: 'b', endOffset: 'other' });
    expect(files.map((f) => f.name)).toEqual(['b.txt', 'dir/1.csv', 'dir/2.csv', 'dir/sub/3.csv']);
  });

  test('matchGlob', async () => {
    const names = async (matchGlob: string, extra: { delimiter?: string } = {}) =>
      (await listed.getFiles({ matchGlob, ...extra }))[0].map((f) => f.name);
    expect(await names('*.txt')).toEqual(['a.txt', 'b.txt']);
    expect(await names('dir/*.csv')).toEqual(['dir/1.csv', 'dir/2.csv']);
    expect(await names('dir/**.csv')).toEqual(['dir/1.csv', 'dir/2.csv', 'dir/sub/3.csv']);
    expect(await names('**/3.csv')).toEqual(['dir/sub/3.csv']);
    expect(await names('dir/[12].csv')).toEqual(['dir/1.csv', 'dir/2.csv']);
    expect(await names('dir/[!1].csv')).toEqual(['dir/2.csv']);
    expect(await names('{a,z}*')).toEqual(['a.txt', 'zeta']);
    expect(await names('?.txt')).toEqual(['a.txt', 'b.txt']);
    await expect(listed.getFiles({ matchGlob: 'dir/[12.csv' })).rejects.toMatchObject({ code: 400 });
  });

  test('a download started before an overwrite reads the old bytes to the end', async () => {
    const file = listed.file('overwritten.bin');
    const first = pattern(3 * 1024 * 1024, 9);
    await file.save(first, { resumable: false });
    const stream = file.createReadStream();
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', resolve).on('error', reject);
    });
    // Overwrite once the first bytes arrived, while the rest is still to be read.
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    await file.save('replaced', { resumable: false });
    await done;
    expect(Buffer.concat(chunks).equals(first)).toBe(true);
    expect((await file.download())[0].toString()).toBe('replaced');
    await file.delete();
  });

  test('a bad page token is a 400', async () => {
    await expect(listed.getFiles({ pageToken: '!!!', autoPaginate: false })).rejects.toMatchObject({
      code: 400,
    });
  });
});

describe('copy, move, compose, metadata', () => {
  test('copy within and across buckets keeps bytes and metadata', async () => {
    const [other] = await storage.createBucket('copy-target');
    const source = bucket.file('copy/source.txt');
    await source.save('copy me', {
      resumable: false,
      contentType: 'text/plain',
      metadata: { metadata: { k: 'v' } },
    });
    const [copied] = await source.copy(other.file('copied.txt'));
    const [metadata] = await copied.getMetadata();
    expect(metadata).toMatchObject({
      bucket: 'copy-target',
      name: 'copied.txt',
      contentType: 'text/plain',
      metadata: { k: 'v' },
    });
    expect((await copied.download())[0].toString()).toBe('copy me');
    const [same] = await source.copy('copy/second.txt');
    expect((await same.download())[0].toString()).toBe('copy me');
    expect((await source.exists())[0]).toBe(true);
  });

  test('copy of a missing object is a 404', async () => {
    await expect(bucket.file('copy/missing').copy('copy/x')).rejects.toMatchObject({ code: 404 });
  });

  test('move (moveFileAtomic) renames', async () => {
    const source = bucket.file('move/from.txt');
    await source.save('move me', { resumable: false });
    await source.moveFileAtomic('move/to.txt');
    expect((await source.exists())[0]).toBe(false);
    expect((await bucket.file('move/to.txt').download())[0].toString()).toBe('move me');
  });

  test('move (copy then delete)', async () => {
    const source = bucket.file('move/a.txt');
    await source.save('a', { resumable: false });
    await source.move('move/b.txt');
    expect((await source.exists())[0]).toBe(false);
    expect((await bucket.file('move/b.txt').download())[0].toString()).toBe('a');
  });

  test('combine (compose)', async () => {
    await bucket.file('compose/1').save('one,', { resumable: false });
    await bucket.file('compose/2').save('two', { resumable: false });
    const [combined] = await bucket.combine(['compose/1', 'compose/2'], 'compose/all');
    expect((await combined.download())[0].toString()).toBe('one,two');
  });

  test('setMetadata patches fields and custom metadata, bumping the metageneration', async () => {
    const file = bucket.file('meta/file.txt');
    await file.save('x', { resumable: false, metadata: { metadata: { keep: '1', drop: '2' } } });
    const [before] = await file.getMetadata();
    const [after] = await file.setMetadata({
      contentType: 'text/csv',
      cacheControl: 'no-cache',
      metadata: { drop: null, added: '3' },
    });
    expect(after).toMatchObject({
      contentType: 'text/csv',
      cacheControl: 'no-cache',
      metadata: { keep: '1', added: '3' },
      generation: before.generation,
      metageneration: '2',
    });
    expect(after.metadata).not.toHaveProperty('drop');
  });
});

describe('generations and preconditions', () => {
  test('each write is a new, greater generation', async () => {
    const file = bucket.file('gen/file');
    await file.save('1', { resumable: false });
    const [first] = await file.getMetadata();
    await file.save('2', { resumable: false });
    const [second] = await file.getMetadata();
    expect(BigInt(second.generation!)).toBeGreaterThan(BigInt(first.generation!));
    await expect(
      storage.bucket('objects').file('gen/file', { generation: first.generation }).getMetadata(),
    ).rejects.toMatchObject({ code: 404 });
  });

  test('ifGenerationMatch=0 creates only', async () => {
    const file = bucket.file('gen/create-only');
    await file.save('first', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(
      file.save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({ code: 412 });
    await expect(
      file.save('second', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({ status: 412 });
    expect((await file.download())[0].toString()).toBe('first');
  });

  test('ifGenerationMatch on delete and metadata', async () => {
    const file = bucket.file('gen/delete');
    await file.save('x', { resumable: false });
    const [metadata] = await file.getMetadata();
    await expect(file.delete({ ifGenerationMatch: 1 })).rejects.toMatchObject({ code: 412 });
    await expect(
      file.setMetadata({ contentType: 'a/b' }, { ifMetagenerationMatch: 5 }),
    ).rejects.toMatchObject({ code: 412 });
    await file.setMetadata({ contentType: 'a/b' }, { ifMetagenerationMatch: 1 });
    await file.delete({ ifGenerationMatch: Number(metadata.generation) });
    expect((await file.exists())[0]).toBe(false);
  });

  test('the error is Google’s conditionNotMet', async () => {
    const file = bucket.file('gen/shape');
    await file.save('x', { resumable: false });
    const error = (await file.delete({ ifGenerationMatch: 7 }).catch((e: unknown) => e)) as {
      code: number;
      errors: { reason: string }[];
    };
    expect(error.code).toBe(412);
    expect(error.errors[0]?.reason).toBe('conditionNotMet');
  });
});

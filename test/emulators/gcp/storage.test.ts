/**
 * The storage emulator through Google's official Node client (@google-cloud/storage 7): buckets
 * and objects, uploads of every kind, downloads, listing, copies, metadata and errors.
 */
import { Storage, type Bucket } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEmulator, type TestEmulator } from './support.js';

let emulator: TestEmulator;
let storage: Storage;

beforeAll(async () => {
  emulator = await startTestEmulator();
  storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
});
afterAll(async () => {
  await emulator?.close();
});

async function newBucket(name: string): Promise<Bucket> {
  const [bucket] = await storage.createBucket(name);
  return bucket;
}

describe('buckets', () => {
  test('create, get, list and delete', async () => {
    const bucket = await newBucket('bucket-basics');
    const [metadata] = await bucket.getMetadata();
    expect(metadata).toMatchObject({ name: 'bucket-basics', location: 'US', storageClass: 'STANDARD' });
    expect(metadata.projectNumber).toMatch(/^\d{12}$/);
    const [buckets] = await storage.getBuckets();
    expect(buckets.map((b) => b.name)).toContain('bucket-basics');
    expect((await bucket.exists())[0]).toBe(true);
    await bucket.delete();
    expect((await bucket.exists())[0]).toBe(false);
  });

  test('location and storage class are kept', async () => {
    const [bucket] = await storage.createBucket('bucket-eu-nearline', {
      location: 'europe-west1',
      storageClass: 'NEARLINE',
    });
    const [metadata] = await bucket.getMetadata();
    expect(metadata).toMatchObject({
      location: 'EUROPE-WEST1',
      storageClass: 'NEARLINE',
      locationType: 'region',
    });
  });

  test('settings the emulator does not act on are kept and read back', async () => {
    const [bucket] = await storage.createBucket('bucket-settings', {
      versioning: { enabled: true },
      lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 30 } }] },
      labels: { team: 'data' },
    });
    const [created] = await bucket.getMetadata();
    expect(created).toMatchObject({
      versioning: { enabled: true },
      lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 30 } }] },
      labels: { team: 'data' },
    });
    const [patched] = await bucket.setMetadata({
      versioning: { enabled: false },
      labels: { team: null, env: 'dev' },
    });
    expect(patched).toMatchObject({
      versioning: { enabled: false },
      labels: { env: 'dev' },
      metageneration: '2',
    });
    expect(patched.labels).not.toHaveProperty('team');
  });

  test('creating an existing bucket is a 409 conflict', async () => {
    await newBucket('bucket-twice');
    await expect(storage.createBucket('bucket-twice')).rejects.toMatchObject({ code: 409 });
  });

  test('an invalid bucket name is a 400', async () => {
    await expect(storage.createBucket('No_Upper')).rejects.toMatchObject({ code: 400 });
  });

  test('a missing bucket is a 404 in Google’s error shape', async () => {
    const error = (await storage
      .bucket('no-such-bucket')
      .getMetadata()
      .catch((e: unknown) => e)) as {
      code: number;
      errors: { reason: string }[];
      message: string;
    };
    expect(error.code).toBe(404);
    expect(error.errors[0]?.reason).toBe('notFound');
    expect(error.message).toContain('no-such-bucket');
  });

  test('deleting a non-empty bucket is a 409', async () => {
    const bucket = await newBucket('bucket-non-empty');
    await bucket.file('x').save('x', { resumable: false });
    await expect(bucket.delete()).rejects.toMatchObject({ code: 409 });
  });
});

describe('objects', () => {
  let bucket: Bucket;
  beforeAll(async () => {
    bucket = await newBucket('objects');
  });

  test('multipart upload, metadata and download', async () => {
    const file = bucket.file('dir/hello.txt');
    await file.save('hello world', {
      resumable: false,
      contentType: 'text/plain',
      metadata: { metadata: { owner: 'me' } },
    });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      name: 'dir/hello.txt',
      bucket: 'objects',
      size: '11',
      contentType: 'text/plain',
      metadata: { owner: 'me' },
      md5Hash: 'XrY7u+Ae7tCTyyK7j1rNww==',
      crc32c: 'yZRlqg==',
    });
    const [data] = await file.download();
    expect(data.toString()).toBe('hello world');
  });

  test('resumable upload in chunks', async () => {
    const bytes = Buffer.alloc(700 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    const file = bucket.file('resumable.bin');
    await file.save(bytes, { resumable: true, chunkSize: 256 * 1024 });
    const [data] = await file.download();
    expect(data.equals(bytes)).toBe(true);
  });
});

/** CreateBucket with each ifExists, and DeleteBucket, against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, statesOf } from '../../../engine/support/runtime.js';
import { bucketName, startGcsHarness } from './support.js';
import type { GcsHarness } from './support.js';

let h: GcsHarness;

beforeAll(async () => {
  h = await startGcsHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('gcs.CreateBucket', () => {
  it('creates a bucket, then fails, skips or updates by ifExists', async () => {
    const name = bucketName('create');
    const execution = await h.run(`  - id: create
    type: io.kestra.plugin.gcp.gcs.CreateBucket
    name: ${name}
    location: EU
    storageClass: STANDARD
    labels:
      team: data
  - id: skip
    type: io.kestra.plugin.gcp.gcs.CreateBucket
    name: ${name}
    ifExists: SKIP
    labels:
      team: other
  - id: update
    type: io.kestra.plugin.gcp.gcs.CreateBucket
    name: ${name}
    ifExists: UPDATE
    versioningEnabled: true
    labels:
      team: platform
  - id: error
    type: io.kestra.plugin.gcp.gcs.CreateBucket
    name: ${name}`);
    expect(statesOf(execution)).toEqual({
      create: 'SUCCESS',
      skip: 'SUCCESS',
      update: 'SUCCESS',
      error: 'FAILED',
    });
    expect(outputsOf(execution, 'create')).toMatchObject({
      created: true,
      updated: false,
      bucketUri: `gs://${name}`,
      bucket: { name, location: 'EU', storageClass: 'STANDARD', labels: { team: 'data' } },
    });
    expect(outputsOf(execution, 'skip')).toMatchObject({
      created: false,
      updated: false,
      bucket: { labels: { team: 'data' } },
    });
    expect(outputsOf(execution, 'update')).toMatchObject({
      created: false,
      updated: true,
      // The emulator keeps labels, location and storage class, not versioning: labels it is.
      bucket: { labels: { team: 'platform' } },
    });
    expect((await h.errors(execution)).join('\n')).toContain(
      `bucket ${name} already exists (ifExists: ERROR)`,
    );
    const [metadata] = await h.storage.bucket(name).getMetadata();
    expect(metadata.labels).toEqual({ team: 'platform' });
  });

  it('refuses a bad bucket name before calling the API', async () => {
    const execution = await h.run(`  - id: create
    type: io.kestra.plugin.gcp.gcs.CreateBucket
    name: "{{ 'Not A Bucket' }}"`);
    expect(statesOf(execution).create).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toContain('`name` must be a bucket name');
  });
});

describe('gcs.DeleteBucket', () => {
  it('deletes an empty bucket, and fails on a missing one', async () => {
    const name = bucketName('delete');
    await h.storage.createBucket(name);
    const execution = await h.run(`  - id: delete
    type: io.kestra.plugin.gcp.gcs.DeleteBucket
    name: ${name}
  - id: again
    type: io.kestra.plugin.gcp.gcs.DeleteBucket
    name: ${name}`);
    expect(statesOf(execution)).toEqual({ delete: 'SUCCESS', again: 'FAILED' });
    expect(outputsOf(execution, 'delete')).toEqual({ bucket: name, bucketUri: `gs://${name}` });
    expect((await h.errors(execution)).join('\n')).toMatch(/notFound: /);
    const [exists] = await h.storage.bucket(name).exists();
    expect(exists).toBe(false);
  });
});

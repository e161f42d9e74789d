/**
 * The GCP clients of the tasks: endpoints from the worker's environment, a service-account key's
 * token exchanged at the emulator's /token (and the key never in a log), and the errors a user
 * gets for a bad key, an unknown bucket, an emulator that is not running and a non-gs:// URI.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../../src/plugins/api.js';
import { emulatorEndpoint, storageClient } from '../../../src/plugins/gcp/clients.js';
import { parseServiceAccount } from '../../../src/plugins/gcp/credentials.js';
import { startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import { serviceAccountKey } from '../../emulators/gcp/support.js';
import { startGcsHarness } from './gcs/support.js';
import type { GcsHarness } from './gcs/support.js';

let h: GcsHarness;
let key: string;
const bucket = 'clients-test-bucket';

beforeAll(async () => {
  // A test uploads a file made in the temporary folder: a folder flows may read.
  h = await startGcsHarness({ WINDHOVER_LOCAL_FILES_ALLOWED_PATHS: tmpdir() });
  key = serviceAccountKey(h.emulator.url);
  await h.storage.createBucket(bucket);
  await h.storage.bucket(bucket).file('in/data.csv').save('a\n1\n', { resumable: false });
  await h.rt.store.kvPut({ namespace: 'test.gcs', key: 'GCP_CREDS', type: 'STRING', value: key });
});

afterAll(async () => {
  await h?.close();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('emulatorEndpoint', () => {
  it('reads the worker environment, adds http:// and drops a trailing API path', () => {
    const of = (env: Record<string, string>, service: 'storage' | 'bigquery') =>
      emulatorEndpoint({ workerEnv: env }, service);
    expect(of({}, 'storage')).toBeUndefined();
    expect(of({ STORAGE_EMULATOR_HOST: 'http://127.0.0.1:4443' }, 'storage')).toBe('http://127.0.0.1:4443');
    expect(of({ STORAGE_EMULATOR_HOST: 'localhost:4443/' }, 'storage')).toBe('http://localhost:4443');
    expect(of({ STORAGE_EMULATOR_HOST: 'http://h:1/storage/v1/' }, 'storage')).toBe('http://h:1');
    expect(of({ BIGQUERY_EMULATOR_HOST: 'http://h:2/bigquery/v2' }, 'bigquery')).toBe('http://h:2');
    expect(of({ STORAGE_EMULATOR_HOST: 'http://h:1' }, 'bigquery')).toBeUndefined();
  });
});

describe('service-account keys', () => {
  it('masks the key, its private key and each line of it', () => {
    const masked: string[] = [];
    const ctx = { maskSecret: (value: string) => masked.push(value) } as unknown as TaskContext;
    const parsed = parseServiceAccount(ctx, key);
    expect(parsed.client_email).toMatch(/@windhover-test\.iam\.gserviceaccount\.com$/);
    expect(masked).toContain(key);
    expect(masked).toContain(parsed.private_key);
    const body = parsed
      .private_key!.split('\n')
      .filter((line) => line.length >= 16 && !line.startsWith('-----'));
    for (const line of body) expect(masked).toContain(line);
  });

  it("exchanges a key's token at the emulator and never logs the key", async () => {
    const before = h.emulator.stats();
    const execution = await h.run(`  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    serviceAccount: "{{ kv('GCP_CREDS') }}"
    from: gs://${bucket}/in/`);
    expect(statesOf(execution)).toEqual({ list: 'SUCCESS' });
    const after = h.emulator.stats();
    expect(after.tokenExchanges).toBeGreaterThan(before.tokenExchanges);
    expect(after.authenticatedRequests).toBeGreaterThan(before.authenticatedRequests);
    const logs = (await h.rt.logs(execution.id)).join('\n');
    const privateKey = (JSON.parse(key) as { private_key: string }).private_key;
    for (const line of privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      expect(logs).not.toContain(line);
    }
  });

  it('sends the token with every request of a resumable upload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-gcs-key-upload-'));
    const path = join(dir, 'big.bin');
    writeFileSync(path, randomBytes(6 * 1024 * 1024));
    try {
      const before = h.emulator.stats();
      const execution = await h.run(`  - id: upload
    type: io.kestra.plugin.gcp.gcs.Upload
    serviceAccount: "{{ kv('GCP_CREDS') }}"
    from: ${path}
    to: gs://${bucket}/big.bin`);
      expect(statesOf(execution)).toEqual({ upload: 'SUCCESS' });
      const after = h.emulator.stats();
      expect(after.tokenExchanges).toBe(before.tokenExchanges + 1);
      // The session request and the bytes: both carried the token.
      expect(after.authenticatedRequests - before.authenticatedRequests).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a key that is not JSON, naming the property and not the value', async () => {
    const execution = await h.run(`  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    serviceAccount: "{ not json: s3cr3t-value"
    from: gs://${bucket}/in/`);
    expect(statesOf(execution).list).toBe('FAILED');
    const errors = (await h.errors(execution)).join('\n');
    expect(errors).toContain('`serviceAccount` is not valid JSON');
    expect(errors).not.toContain('s3cr3t-value');
  });

  it('fails on JSON that is not a service-account key', async () => {
    const execution = await h.run(`  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    serviceAccount: '{"type": "service_account", "project_id": "p"}'
    from: gs://${bucket}/in/`);
    expect(statesOf(execution).list).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toContain(
      '`serviceAccount` is not a service-account key: it has no `client_email` or `private_key`',
    );
  });
});

describe('errors a user can act on', () => {
  it('application default credentials that cannot be read', async () => {
    const ctx = {
      workerEnv: { GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/windhover-test-key.json' },
      maskSecret: () => undefined,
      signal: new AbortController().signal,
    } as unknown as TaskContext;
    await expect(storageClient(ctx, {})).rejects.toThrow(
      'GOOGLE_APPLICATION_CREDENTIALS names /nonexistent/windhover-test-key.json, which the worker cannot read',
    );
  });

  it('an unknown bucket: Google reason and message', async () => {
    const execution = await h.run(`  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://no-such-bucket-here/x/`);
    expect(statesOf(execution).list).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toMatch(
      /notFound: .*no-such-bucket-here|notFound: The specified bucket/,
    );
  });

  it('a URI that is not gs://', async () => {
    const execution = await h.run(`  - id: download
    type: io.kestra.plugin.gcp.gcs.Download
    from: "{{ 'https://example.com/data.csv' }}"`);
    expect(statesOf(execution).download).toBe('FAILED');
    expect((await h.errors(execution)).join('\n')).toContain(
      '`from` must be a `gs://bucket/path` URI, got `https://example.com/data.csv`',
    );
  });

  it('an emulator that is not running: named, at once', async () => {
    const port = await closedPort();
    const rt = await startTestRuntime({
      env: { ...process.env, STORAGE_EMULATOR_HOST: `http://127.0.0.1:${port}` },
    });
    try {
      const started = Date.now();
      const execution = await rt.run(`id: closed_port
namespace: test.gcs
tasks:
  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://any-bucket/`);
      expect(statesOf(execution).list).toBe('FAILED');
      expect(Date.now() - started).toBeLessThan(5_000);
      const errors = (await rt.logs(execution.id)).filter((line) => line.startsWith('ERROR')).join('\n');
      expect(errors).toContain(
        `cannot reach Cloud Storage at http://127.0.0.1:${port} (ECONNREFUSED): is the emulator running?`,
      );
      expect(errors).not.toMatch(/\n\s+at /);
    } finally {
      await rt.dispose();
    }
  });
});

/**
 * `gcp.storageEndpoint` / `gcp.bigqueryEndpoint` of the server configuration: read from the file
 * or from STORAGE_EMULATOR_HOST / BIGQUERY_EMULATOR_HOST (which win, as the environment does),
 * checked, and handed to the worker's tasks as those variables, so a flow's GCS task reaches the
 * emulator the configuration names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WindhoverError } from '../../src/errors.js';
import { describeConfig, resolveServerConfig } from '../../src/server/config.js';
import { runtimeOptionsOf } from '../../src/server/open-store.js';
import { startTestRuntime, statesOf } from '../engine/support/runtime.js';
import { startTestEmulator } from '../emulators/gcp/support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-config-gcp-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withFile(yaml: string): string {
  const file = join(dir, 'windhover.yml');
  writeFileSync(file, yaml);
  return file;
}

describe('gcp endpoints in the server configuration', () => {
  it('reads them from the file; the environment variables win', () => {
    withFile('gcp:\n  storageEndpoint: http://127.0.0.1:4443\n  bigqueryEndpoint: localhost:9050\n');
    expect(resolveServerConfig({ env: {}, cwd: dir }).gcp).toEqual({
      storageEndpoint: 'http://127.0.0.1:4443',
      bigqueryEndpoint: 'localhost:9050',
    });
    const config = resolveServerConfig({ env: { STORAGE_EMULATOR_HOST: 'http://emulator:4443' }, cwd: dir });
    expect(config.gcp?.storageEndpoint).toBe('http://emulator:4443');
    expect(describeConfig(config)).toContain('Cloud Storage at http://emulator:4443');
    expect(resolveServerConfig({ env: {}, cwd: mkdtempSync(join(dir, 'empty-')) }).gcp).toBeUndefined();
  });

  it('refuses a value that is not an http(s) URL, naming the setting', () => {
    withFile('gcp:\n  storageEndpoint: "ftp://x y"\n');
    let error: unknown;
    try {
      resolveServerConfig({ env: {}, cwd: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WindhoverError);
    expect((error as WindhoverError).message).toContain('gcp.storageEndpoint: expected an http(s) URL');
  });

  it("hands them to the worker's tasks", async () => {
    const emulator = await startTestEmulator();
    try {
      withFile(`gcp:\n  storageEndpoint: ${emulator.url}\n`);
      const config = resolveServerConfig({ env: {}, cwd: dir });
      const options = runtimeOptionsOf(config);
      expect(options.env?.STORAGE_EMULATOR_HOST).toBe(emulator.url);
      await new Storage({ apiEndpoint: emulator.url, projectId: 'p' }).createBucket('config-endpoint-bucket');
      const rt = await startTestRuntime({ env: options.env });
      try {
        const execution = await rt.run(`id: gcp_config
namespace: test.gcs
tasks:
  - id: list
    type: io.kestra.plugin.gcp.gcs.List
    from: gs://config-endpoint-bucket/`);
        expect(statesOf(execution)).toEqual({ list: 'SUCCESS' });
      } finally {
        await rt.dispose();
      }
    } finally {
      await emulator.close();
    }
  });
});

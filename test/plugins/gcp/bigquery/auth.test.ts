/**
 * How the BigQuery tasks connect: a service-account key from a secret (set once in
 * `pluginDefaults`, as the course's flows do) goes through the emulator's token endpoint and is
 * never logged; a malformed key and an emulator that is not running are clear task errors.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../../engine/support/runtime.js';
import { serviceAccountKey } from '../../../emulators/gcp/support.js';
import { BQ, startBigQueryHarness } from './support.js';
import type { BigQueryHarness } from './support.js';

let h: BigQueryHarness;
let key = '';

beforeAll(async () => {
  h = await startBigQueryHarness((url) => {
    key = serviceAccountKey(url, 'course-project');
    return { SECRET_GCP_CREDS: Buffer.from(key).toString('base64') };
  });
}, 60_000);

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

describe('BigQuery task connections', () => {
  it('exchanges a service-account key from a secret at the emulator, and masks it', async () => {
    const before = h.emulator.stats();
    const ended = await h.rt.run(
      h.flow(
        `  - id: dataset
    type: ${BQ}.CreateDataset
    name: course_dataset
    ifExists: SKIP
  - id: query
    type: ${BQ}.Query
    sql: SELECT 1 AS one
    fetchType: FETCH_ONE
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "{{ secret('GCP_CREDS') }}"`,
        `pluginDefaults:
  - type: io.kestra.plugin.gcp
    values:
      serviceAccount: "{{ secret('GCP_CREDS') }}"
      projectId: course-project
      location: EU
`,
      ),
    );
    expect(statesOf(ended), await h.errors(ended.id)).toEqual({
      dataset: 'SUCCESS',
      query: 'SUCCESS',
      leak: 'SUCCESS',
    });
    expect(outputsOf(ended, 'dataset')).toMatchObject({
      dataset: 'course_dataset',
      project: 'course-project',
    });
    expect(outputsOf(ended, 'query')!.row).toEqual({ one: 1 });
    const after = h.emulator.stats();
    expect(after.tokenExchanges).toBeGreaterThan(before.tokenExchanges);
    expect(after.authenticatedRequests).toBeGreaterThan(before.authenticatedRequests);
    const logs = (await h.rt.logs(ended.id)).join('\n');
    const privateKey = (JSON.parse(key) as { private_key: string }).private_key;
    expect(logs).not.toContain(privateKey.split('\n')[1]!);
  });

  it('fails clearly on a malformed service-account key', async () => {
    const ended = await h.rt.run(
      h.flow(`  - id: query
    type: ${BQ}.Query
    serviceAccount: "{not a key"
    sql: SELECT 1`),
    );
    expect(statesOf(ended)).toEqual({ query: 'FAILED' });
    const errors = await h.errors(ended.id);
    expect(errors).toMatch(/serviceAccount/);
    expect(errors).not.toMatch(/\n\s+at /);
  });

  it('says the emulator is not running when nothing answers at its address', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const rt = await startTestRuntime({ env: { BIGQUERY_EMULATOR_HOST: url } });
    try {
      const started = Date.now();
      const ended = await rt.run(`id: unreachable
namespace: test.bigquery
tasks:
  - id: query
    type: ${BQ}.Query
    sql: SELECT 1`);
      expect(statesOf(ended)).toEqual({ query: 'FAILED' });
      const errors = (await rt.logs(ended.id)).filter((l) => l.startsWith('ERROR')).join('\n');
      expect(errors).toContain(`cannot reach BigQuery at ${url}`);
      expect(errors).toContain('is the emulator running?');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await rt.dispose();
    }
  });
});

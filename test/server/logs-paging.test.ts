/**
 * GET /logs/{executionId} by pages (`offset`, `limit`), for the UI's log view of huge
 * executions; without them the answer stays every line, as Kestra clients expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

const FLOW = `id: many-lines
namespace: api.paging
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, b, c, d, e]
    tasks:
      - id: say
        type: io.kestra.plugin.core.log.Log
        message: "line {{ taskrun.value }}"
`;

describe('logs paging', () => {
  let server: TestServer;
  let executionId: string;
  beforeAll(async () => {
    server = await startTestServer({ scheduler: false });
    const flow = await deployFlow(server.local.store, FLOW);
    const runtime = server.local.runtime;
    const execution = await runtime.submit(flow, { inputs: {} });
    executionId = (await runtime.waitForEnd(execution.id)).id;
  });
  afterAll(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });
  const messages = (body: Array<{ message: string }>) => body.map((line) => line.message);

  it('answers every line without offset and limit, and no total header', async () => {
    const response = await get(`/logs/${executionId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-total-count']).toBeUndefined();
    const own = messages(response.json()).filter((m) => m.startsWith('line '));
    expect(own).toEqual(['line a', 'line b', 'line c', 'line d', 'line e']);
  });

  it('slices the same ordered lines with offset and limit, and tells the total', async () => {
    const all = messages((await get(`/logs/${executionId}`)).json());
    const pages: string[] = [];
    for (let offset = 0; offset < all.length + 2; offset += 2) {
      const response = await get(`/logs/${executionId}?offset=${offset}&limit=2`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-total-count']).toBe(String(all.length));
      const page = messages(response.json());
      expect(page.length).toBeLessThanOrEqual(2);
      pages.push(...page);
    }
    expect(pages).toEqual(all);
    expect(messages((await get(`/logs/${executionId}?offset=1`)).json())).toEqual(all.slice(1));
    expect(messages((await get(`/logs/${executionId}?limit=1`)).json())).toEqual(all.slice(0, 1));
  });

  it('applies the filters before paging', async () => {
    const response = await get(`/logs/${executionId}?taskId=say&offset=3&limit=10`);
    expect(response.headers['x-total-count']).toBe('5');
    expect(messages(response.json())).toEqual(['line d', 'line e']);
  });

  it('refuses a negative offset, a zero limit and a huge limit', async () => {
    for (const query of ['offset=-1', 'limit=0', 'limit=abc', 'limit=100000000']) {
      const response = await get(`/logs/${executionId}?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<{ code: string }>().code).toBe('WH_REQUEST_INVALID');
    }
  });
});

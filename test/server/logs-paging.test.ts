/**
 * GET /logs/{executionId} by pages (`limit`, and `after` from the X-Log-Cursor header of the
 * previous page), for the UI's log view of huge executions; without them the answer stays
 * every line, as Kestra clients expect.
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

  /** Every page of a query, following the cursor, until a short page. */
  async function readPages(query: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const response = await get(
        `/logs/${executionId}?${query}limit=${limit}${after ? `&after=${after}` : ''}`,
      );
      expect(response.statusCode).toBe(200);
      const cursor = response.headers['x-log-cursor'];
      expect(typeof cursor).toBe('string');
      pages.push(messages(response.json()));
      if (pages.at(-1)!.length < limit) return pages;
      after = cursor as string;
    }
  }

  it('answers every line without limit, and no cursor header', async () => {
    const response = await get(`/logs/${executionId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-log-cursor']).toBeUndefined();
    const own = messages(response.json()).filter((m) => m.startsWith('line '));
    expect(own).toEqual(['line a', 'line b', 'line c', 'line d', 'line e']);
  });

  it('gives the same ordered lines page by page, each page at most `limit` lines', async () => {
    const all = messages((await get(`/logs/${executionId}`)).json());
    expect(all.length).toBeGreaterThan(5);
    const pages = await readPages('', 2);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual(all);
    expect(messages((await get(`/logs/${executionId}?limit=1`)).json())).toEqual(all.slice(0, 1));
  });

  it('applies the filters to the pages', async () => {
    const pages = await readPages('taskId=say&', 2);
    expect(pages).toEqual([['line a', 'line b'], ['line c', 'line d'], ['line e']]);
  });

  it('keeps the cursor on an empty last page, and refuses bad values', async () => {
    const first = await get(`/logs/${executionId}?limit=100000`);
    const cursor = first.headers['x-log-cursor'] as string;
    const empty = await get(`/logs/${executionId}?limit=10&after=${cursor}`);
    expect(empty.json()).toEqual([]);
    expect(empty.headers['x-log-cursor']).toBe(cursor);
    for (const query of ['after=-1', 'limit=0', 'limit=abc', 'limit=100001', 'after=zzz', 'limit=1e3']) {
      for (const path of [`/logs/${executionId}`, `/logs/${executionId}/download`]) {
        const response = await get(`${path}?${query}`);
        expect(response.statusCode, `${path}?${query}`).toBe(400);
        expect(response.json<{ code: string }>().code).toBe('WH_REQUEST_INVALID');
      }
    }
  });

  it('downloads by the same pages as text', async () => {
    const first = await get(`/logs/${executionId}/download?taskId=say&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.body.trim().split('\n')).toHaveLength(2);
    expect(first.body).toContain('line a');
    const next = await get(
      `/logs/${executionId}/download?taskId=say&limit=2&after=${first.headers['x-log-cursor'] as string}`,
    );
    expect(next.body).toContain('line c');
    expect(next.body).not.toContain('line a');
  });
});

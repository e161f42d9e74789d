import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import type { ApiBody } from './multipart.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

interface LogBody {
  executionId: string;
  taskId?: string;
  taskRunId?: string;
  level: string;
  message: string;
}

const LOG_FLOW = `id: logging
namespace: api.logs
inputs:
  - id: tag
    type: STRING
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: "first {{ inputs.tag }}"
  - id: second
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: "second {{ inputs.tag }}"
`;

describe('logs routes', () => {
  let server: TestServer;
  let executionId: string;
  beforeAll(async () => {
    server = await startTestServer();
    const flow = await deployFlow(server.local.store, LOG_FLOW);
    await deployFlow(
      server.local.store,
      LOG_FLOW.replace('namespace: api.logs', 'namespace: api.logs.child'),
    );
    const runtime = server.local.runtime;
    const run = async (f: typeof flow, tag: string) => {
      const execution = await runtime.submit(f, { inputs: runtime.prepareInputs(f, { tag }) });
      return (await runtime.waitForEnd(execution.id)).id;
    };
    executionId = await run(flow, 'one');
    await run(flow, 'two');
    const child = (await runtime.flows.get('api.logs.child', 'logging'))!;
    await run(child, 'three');
  });
  afterAll(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });

  it('gives the lines of an execution in order, filtered by level, task and task run', async () => {
    const all = (await get(`/logs/${executionId}`)).json<LogBody[]>();
    const own = all.filter((l) => l.taskId !== undefined).map((l) => l.message);
    expect(own).toEqual(['first one', 'second one']);
    expect(all.every((l) => l.executionId === executionId)).toBe(true);
    const warn = (await get(`/logs/${executionId}?minLevel=warn`)).json<LogBody[]>();
    expect(warn.map((l) => l.message)).toContain('second one');
    expect(warn.map((l) => l.message)).not.toContain('first one');
    const first = (await get(`/logs/${executionId}?taskId=first`)).json<LogBody[]>();
    expect(first.map((l) => l.message)).toEqual(['first one']);
    const byRun = (await get(`/logs/${executionId}?taskRunId=${first[0]!.taskRunId!}`)).json<LogBody[]>();
    expect(byRun.map((l) => l.message)).toEqual(['first one']);
    expect((await get(`/logs/${executionId}?minLevel=LOUD`)).statusCode).toBe(400);
    expect((await get('/logs/unknown')).json<ApiBody>().code).toBe('WH_EXECUTION_NOT_FOUND');
  });

  it('downloads the log as text, one line per entry', async () => {
    const res = await get(`/logs/${executionId}/download?taskId=second`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toContain(`${executionId}.log`);
    expect(res.body).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z WARN {2}\[second\] second one\n$/);
  });

  it('searches every execution by namespace (children included), flow, level and text, newest first', async () => {
    const search = async (query: string) =>
      (await get(`/logs/search?${query}`)).json<{ results: LogBody[]; total: number }>();
    const texts = (page: { results: LogBody[] }) => page.results.map((l) => l.message);
    const warnings = await search('namespace=api.logs&minLevel=WARN&q=second');
    expect(texts(warnings)).toEqual(['second three', 'second two', 'second one']);
    expect(warnings.total).toBe(3);
    const paged = await search('namespace=api.logs&minLevel=WARN&q=second&size=2&page=2');
    expect(texts(paged)).toEqual(['second one']);
    const child = await search('namespace=api.logs.child&q=first');
    expect(texts(child)).toEqual(['first three']);
    expect((await search('q=first&startDate=2999-01-01T00:00:00Z')).total).toBe(0);
  });

  it('reads the next search page after the X-Log-Cursor of the last one, and bounds the count when asked', async () => {
    const page = async (query: string) => {
      const res = await get(`/logs/search?${query}`);
      expect(res.statusCode).toBe(200);
      return {
        texts: res.json<{ results: LogBody[] }>().results.map((l) => l.message),
        total: res.json<{ total: number }>().total,
        cursor: res.headers['x-log-cursor'] as string | undefined,
      };
    };
    const filters = 'namespace=api.logs&flowId=logging&minLevel=INFO&q=%20t';
    const all = await page(`${filters}&size=100`);
    expect(all.texts).toEqual(['second three', 'first three', 'second two', 'first two']);
    const first = await page(`${filters}&size=2&totalUpTo=3`);
    expect(first.texts).toEqual(all.texts.slice(0, 2));
    expect(first.total).toBe(3);
    expect(first.cursor).toMatch(/^\d{4}-\d{2}-\d{2}T[^,]+Z,\d+$/);
    const second = await page(`${filters}&size=2&before=${encodeURIComponent(first.cursor!)}`);
    expect(second.texts).toEqual(all.texts.slice(2, 4));
    expect(second.total).toBe(all.total);
    const bad = await get('/logs/search?before=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ApiBody>()).toMatchObject({
      code: 'WH_REQUEST_INVALID',
      details: { parameter: 'before' },
    });
  });

  it('follows a search: X-Log-Seq says how far the log reached, afterSeq reads the lines written since', async () => {
    const filters = 'namespace=api.logs&minLevel=INFO&q=later';
    const before = await get(`/logs/search?${filters}`);
    expect(before.json<{ results: LogBody[] }>().results).toEqual([]);
    const seq = before.headers['x-log-seq'] as string;
    expect(seq).toMatch(/^\d+$/);
    await server.local.store.appendLogs([
      {
        executionId,
        namespace: 'api.logs',
        flowId: 'logging',
        level: 'INFO',
        message: 'later line',
        timestamp: new Date().toISOString(),
      },
      {
        executionId,
        namespace: 'api.logs',
        flowId: 'logging',
        level: 'INFO',
        message: 'unrelated',
        timestamp: new Date().toISOString(),
      },
    ]);
    const since = await get(`/logs/search?${filters}&afterSeq=${seq}`);
    expect(since.json<{ results: LogBody[] }>().results.map((l) => l.message)).toEqual(['later line']);
    expect(Number(since.headers['x-log-seq'])).toBe(Number(seq) + 2);
    const again = await get(`/logs/search?${filters}&afterSeq=${since.headers['x-log-seq'] as string}`);
    expect(again.json<{ results: LogBody[] }>().results).toEqual([]);
    const bad = await get('/logs/search?afterSeq=-1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ApiBody>()).toMatchObject({
      code: 'WH_REQUEST_INVALID',
      details: { parameter: 'afterSeq' },
    });
  });
});

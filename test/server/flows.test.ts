import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeForm } from './multipart.js';
import type { ApiBody } from './multipart.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';
const YAML = { 'content-type': 'application/x-yaml' };

function logFlow(id: string, namespace = 'api.flows', message = 'hello'): string {
  return `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;
}

describe('flows routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const send = (method: 'POST' | 'PUT', url: string, payload: string) =>
    server.app.inject({ method, url: `${API}${url}`, headers: YAML, payload });
  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });

  it('creates a flow from YAML, refuses a second create with 409, and gets it with its source', async () => {
    const created = await send('POST', '/flows', logFlow('first'));
    expect(created.statusCode).toBe(200);
    expect(created.json<ApiBody>()).toMatchObject({
      id: 'first',
      namespace: 'api.flows',
      revision: 1,
      deleted: false,
    });
    expect(created.json<ApiBody>().tasks?.[0]).toMatchObject({
      id: 'log',
      type: 'io.kestra.plugin.core.log.Log',
    });

    const again = await send('POST', '/flows', logFlow('first'));
    expect(again.statusCode).toBe(409);
    expect(again.json<ApiBody>().code).toBe('WH_FLOW_EXISTS');

    const fetched = await get('/flows/api.flows/first');
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json<ApiBody>().source).toBe(logFlow('first'));
    expect((await get('/flows/api.flows/first?source=false')).json<ApiBody>().source).toBeUndefined();
    expect((await get('/flows/api.flows/nope')).json<ApiBody>().code).toBe('WH_FLOW_NOT_FOUND');
    expect(
      (await server.app.inject({ method: 'GET', url: `/api/v1/flows/api.flows/first` })).statusCode,
    ).toBe(200);
  });

  it('updates with PUT as a new revision, keeps every revision, and refuses a changed id or a missing flow', async () => {
    await send('POST', '/flows', logFlow('revised'));
    const updated = await send('PUT', '/flows/api.flows/revised', logFlow('revised', 'api.flows', 'two'));
    expect(updated.statusCode).toBe(200);
    expect(updated.json<ApiBody>().revision).toBe(2);
    const revisions = (await get('/flows/api.flows/revised/revisions')).json<
      Array<{
        revision: number;
        source: string;
      }>
    >();
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions[1]!.source).toContain('message: two');
    expect((await get('/flows/api.flows/revised?revision=1')).json<ApiBody>().source).toContain(
      'message: hello',
    );

    const renamed = await send('PUT', '/flows/api.flows/revised', logFlow('other'));
    expect(renamed.statusCode).toBe(422);
    expect(renamed.json<ApiBody>().code).toBe('WH_FLOW_INVALID');
    const missing = await send('PUT', '/flows/api.flows/missing', logFlow('missing'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ApiBody>().code).toBe('WH_FLOW_NOT_FOUND');
  });

  it('answers malformed YAML and invalid flows with 422 and each problem’s line and column', async () => {
    const broken = await send(
      'POST',
      '/flows',
      'id: broken\nnamespace: api.flows\ntasks:\n  - id: [unclosed\n',
    );
    expect(broken.statusCode).toBe(422);
    expect(broken.json<ApiBody>().code).toBe('WH_FLOW_INVALID');
    const details = broken.json<ApiBody>().details as Array<{
      line: number;
      column: number;
      message: string;
    }>;
    expect(details.length).toBeGreaterThan(0);
    expect(details[0]!.line).toBeGreaterThanOrEqual(4);

    const unknown = await send(
      'POST',
      '/flows',
      'id: bad\nnamespace: api.flows\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Nope\n',
    );
    expect(unknown.statusCode).toBe(422);
    const problem = (
      unknown.json<ApiBody>().details as Array<{ line: number; column: number; message: string }>
    )[0]!;
    expect([problem.line, problem.column]).toEqual([5, 11]);
    expect(problem.message).toContain('io.kestra.plugin.core.log.Nope');
    expect((await get('/flows/api.flows/bad')).statusCode).toBe(404);
  });

  it('validates several documents, one result per flow, with positions in the whole body', async () => {
    const body = `${logFlow('ok_one')}---\nid: wrong\nnamespace: api.flows\ntasks:\n  - id: t\n    type: nope.Nope\n`;
    const res = await send('POST', '/flows/validate', body);
    expect(res.statusCode).toBe(200);
    const results = res.json<
      Array<{
        index: number;
        flow: string;
        constraints?: string;
        problems: Array<{ line: number }>;
      }>
    >();
    expect(results.map((r) => [r.index, r.flow, r.constraints === undefined])).toEqual([
      [0, 'ok_one', true],
      [1, 'wrong', false],
    ]);
    expect(results[1]!.constraints).toContain('nope.Nope');
    expect(results[1]!.problems[0]!.line).toBe(12);
    expect((await get('/flows/api.flows/ok_one')).statusCode).toBe(404); // nothing saved
  });

  it('searches with paging and text, lists a namespace without its children, and deletes with 204', async () => {
    for (const id of ['s_a', 's_b', 's_c']) await send('POST', '/flows', logFlow(id, 'api.search'));
    await send('POST', '/flows', logFlow('s_child', 'api.search.child'));
    const page1 = (await get('/flows/search?namespace=api.search&size=2&page=1')).json<ApiBody>();
    expect(page1.total).toBe(4);
    expect(page1.results?.map((f) => f.id)).toEqual(['s_a', 's_b']);
    const page3 = (await get('/flows/search?namespace=api.search&size=2&page=2')).json<ApiBody>();
    expect(page3.results?.map((f) => f.id)).toEqual(['s_c', 's_child']);
    expect((await get('/flows/search?q=s_b')).json<ApiBody>().results?.map((f) => f.id)).toEqual(['s_b']);
    expect((await get('/flows/search?size=0')).json<ApiBody>().code).toBe('WH_REQUEST_INVALID');

    expect((await get('/flows/api.search')).json<Array<{ id: string }>>().map((f) => f.id)).toEqual([
      's_a',
      's_b',
      's_c',
    ]);

    const deleted = await server.app.inject({ method: 'DELETE', url: `${API}/flows/api.search/s_b` });
    expect(deleted.statusCode).toBe(204);
    expect((await get('/flows/api.search/s_b')).statusCode).toBe(404);
    expect(
      (await server.app.inject({ method: 'DELETE', url: `${API}/flows/api.search/s_b` })).statusCode,
    ).toBe(404);
  });

  it('imports uploaded files: valid flows saved, invalid files listed with their problems', async () => {
    const form = new FormData();
    form.append('fileUpload', new Blob([logFlow('imp_a', 'api.import')]), 'a.yaml');
    form.append(
      'fileUpload',
      new Blob([`${logFlow('imp_b', 'api.import')}---\n${logFlow('imp_c', 'api.import')}`]),
      'bc.yml',
    );
    form.append('fileUpload', new Blob(['id: imp_bad\nnamespace: api.import\n']), 'bad.yaml');
    form.append('fileUpload', new Blob(['PK']), 'flows.zip');
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/flows/import`,
      ...(await encodeForm(form)),
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json<{ imported: Array<{ id: string }>; invalids: Array<{ file: string }> }>();
    expect(answer.imported.map((f) => f.id)).toEqual(['imp_a', 'imp_b', 'imp_c']);
    expect(answer.invalids.map((f) => f.file).sort()).toEqual(['bad.yaml', 'flows.zip']);
    expect((await get('/flows/api.import/imp_c')).statusCode).toBe(200);
  });

  it('deploys a namespace in one request; delete=true removes its other flows; nothing saved if one fails', async () => {
    await send('POST', '/flows', logFlow('old', 'api.ns'));
    const res = await send(
      'POST',
      '/flows/api.ns',
      `${logFlow('n1', 'api.ns')}---\n${logFlow('n2', 'api.ns')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<Array<{ id: string }>>().map((f) => f.id)).toEqual(['n1', 'n2']);
    expect((await get('/flows/api.ns/old')).statusCode).toBe(404);

    const keep = await send('POST', '/flows/api.ns?delete=false', logFlow('n3', 'api.ns'));
    expect(keep.statusCode).toBe(200);
    expect((await get('/flows/api.ns/n1')).statusCode).toBe(200);

    await send('POST', '/flows', logFlow('gone', 'api.empty'));
    const emptied = await server.app.inject({
      method: 'POST',
      url: `${API}/flows/api.empty?delete=true`,
      headers: YAML,
      payload: '',
    });
    expect(emptied.statusCode).toBe(200);
    expect((await get('/flows/api.empty/gone')).statusCode).toBe(404);

    const wrongNs = await send(
      'POST',
      '/flows/api.ns',
      `${logFlow('n4', 'api.ns')}---\n${logFlow('x', 'api.other')}`,
    );
    expect(wrongNs.statusCode).toBe(422);
    expect((await get('/flows/api.ns/n4')).statusCode).toBe(404);
    expect((await get('/flows/api.ns/n1')).statusCode).toBe(200);
  });

  it('tells the scheduler: a Schedule flow created through the API has its trigger at once', async () => {
    const flow = `${logFlow('scheduled', 'api.sched')}triggers:\n  - id: every_day\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 9 * * *"\n`;
    expect((await send('POST', '/flows', flow)).statusCode).toBe(200);
    const trigger = await server.scheduler.getTrigger('api.sched', 'scheduled', 'every_day');
    expect(trigger.nextExecutionDate).toBeDefined();
    await server.app.inject({ method: 'DELETE', url: `${API}/flows/api.sched/scheduled` });
    await expect(server.scheduler.getTrigger('api.sched', 'scheduled', 'every_day')).rejects.toThrow(
      /No trigger/,
    );
  });

  it('draws dependsOn lists as a DAG and Switch cases as choices with their value', async () => {
    const flow = [
      'id: dag',
      'namespace: api.graph',
      'tasks:',
      '  - id: a',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: a',
      '  - id: b',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: b',
      '    dependsOn: [a]',
      '  - id: c',
      '    type: io.kestra.plugin.core.flow.Switch',
      '    value: x',
      '    dependsOn: [a]',
      '    cases:',
      '      x:',
      '        - id: cx',
      '          type: io.kestra.plugin.core.log.Log',
      '          message: x',
      '    defaults:',
      '      - id: cd',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: d',
      '',
    ].join('\n');
    const created = await send('POST', '/flows', flow);
    expect(created.statusCode).toBe(200);
    const graph = (await get('/flows/api.graph/dag/graph')).json<{
      edges: Array<{ source: string; target: string; relation: { relationType: string; value?: string } }>;
    }>();
    const edge = (s: string, t: string) =>
      graph.edges.find((e) => e.source === s && e.target === t)?.relation;
    expect(edge('root.Start', 'root.a')?.relationType).toBe('PARALLEL');
    expect(edge('root.a', 'root.b')?.relationType).toBe('DEPENDS_ON');
    expect(edge('root.a', 'root.c')?.relationType).toBe('DEPENDS_ON');
    expect(edge('root.Start', 'root.b')).toBeUndefined();
    expect(edge('root.a', 'root.End')).toBeUndefined();
    expect(edge('root.b', 'root.End')?.relationType).toBe('SEQUENTIAL');
    expect(edge('root.c.end', 'root.End')?.relationType).toBe('SEQUENTIAL');
    expect(edge('root.c', 'root.c.cx')).toEqual({ relationType: 'CHOICE', value: 'x' });
    expect(edge('root.c', 'root.c.cd')).toEqual({ relationType: 'CHOICE' });
  });

  it('draws the graph: sequence, a Parallel cluster, dependsOn edges and triggers', async () => {
    const flow = [
      'id: graphed',
      'namespace: api.graph',
      'tasks:',
      '  - id: first',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: a',
      '  - id: fan',
      '    type: io.kestra.plugin.core.flow.Parallel',
      '    tasks:',
      '      - id: p1',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: b',
      '      - id: p2',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: c',
      'triggers:',
      '  - id: hook',
      '    type: io.kestra.plugin.core.trigger.Webhook',
      '    key: abc',
      '',
    ].join('\n');
    expect((await send('POST', '/flows', flow)).statusCode).toBe(200);
    const graph = (await get('/flows/api.graph/graphed/graph')).json<{
      edges: Array<{ source: string; target: string; relation: { relationType: string } }>;
      clusters: Array<{ taskId?: string; nodes: string[] }>;
    }>();
    const edge = (s: string, t: string) =>
      graph.edges.find((e) => e.source === s && e.target === t)?.relation.relationType;
    expect(edge('Triggers.hook', 'root.Start')).toBe('SEQUENTIAL');
    expect(edge('root.Start', 'root.first')).toBe('SEQUENTIAL');
    expect(edge('root.first', 'root.fan')).toBe('SEQUENTIAL');
    expect(edge('root.fan', 'root.fan.p1')).toBe('PARALLEL');
    expect(edge('root.fan', 'root.fan.p2')).toBe('PARALLEL');
    expect(edge('root.fan.end', 'root.End')).toBe('SEQUENTIAL');
    expect(graph.clusters.find((c) => c.taskId === 'fan')?.nodes).toEqual([
      'root.fan.end',
      'root.fan.p1',
      'root.fan.p2',
    ]);
  });
});

/** POST /flows/graph: the graph of unsaved YAML, as the editor draws it while the user types. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const URL = '/api/v1/main/flows/graph';

interface Graph {
  nodes: Array<{ uid: string; type: string; task?: { id: string }; trigger?: { id: string } }>;
  edges: Array<{ source: string; target: string; relation: { relationType: string } }>;
  clusters: Array<{ uid: string; taskId?: string; nodes: string[] }>;
}

describe('POST /flows/graph', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const post = (payload: string) =>
    server.app.inject({
      method: 'POST',
      url: URL,
      payload,
      headers: { 'content-type': 'application/x-yaml' },
    });

  it('draws tasks, flowables and triggers of YAML that is not saved', async () => {
    const res = await post(
      [
        'id: draft',
        'namespace: company.team',
        'tasks:',
        '  - id: first',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: hi',
        '  - id: both',
        '    type: io.kestra.plugin.core.flow.Parallel',
        '    tasks:',
        '      - id: left',
        '        type: io.kestra.plugin.core.log.Log',
        '        message: l',
        '      - id: right',
        '        type: io.kestra.plugin.core.log.Log',
        '        message: r',
        'triggers:',
        '  - id: daily',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "0 9 * * *"',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(200);
    const graph = res.json<Graph>();
    const tasks = graph.nodes.filter((n) => n.type === 'GraphTask').map((n) => n.task?.id);
    expect(tasks).toEqual(['first', 'both', 'left', 'right']);
    expect(graph.nodes.find((n) => n.type === 'GraphTrigger')?.trigger?.id).toBe('daily');
    expect(graph.clusters.find((c) => c.taskId === 'both')?.nodes).toContain('root.both.left');
    expect(graph.edges).toContainEqual({
      source: 'root.first',
      target: 'root.both',
      relation: { relationType: 'SEQUENTIAL' },
    });
  });

  it('still draws a flow with validation errors (unknown type, missing namespace)', async () => {
    const res = await post(
      'id: draft\ntasks:\n  - id: one\n    type: no.such.Type\n  - id: two\n    type: x\n',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<Graph>().nodes.filter((n) => n.type === 'GraphTask')).toHaveLength(2);
  });

  it('answers 422 with the position when the YAML does not parse', async () => {
    const res = await post('id: draft\ntasks:\n  - id: one\n   type: [unclosed\n');
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; message: string }>();
    expect(body.code).toBe('WH_FLOW_INVALID');
    expect(body.message).toMatch(/line \d+/);
  });

  it('refuses a body that is not a mapping', async () => {
    const res = await post('- just\n- a list\n');
    expect(res.statusCode).toBe(422);
    expect(res.json<{ message: string }>().message).toContain('mapping');
  });
});

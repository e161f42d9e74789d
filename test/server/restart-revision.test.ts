/**
 * Restarting a failed execution on a later revision of its flow (`POST
 * /executions/{id}/restart?revision=N`): the fix deployed since the failure runs, the execution
 * records the revision it now runs on; a revision that does not exist, or that lacks a task the
 * execution ran, is refused before anything changes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

const flowWith = (check: string) => `id: fixable
namespace: api.restart
tasks:
  - id: check
${check}
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`;
const BROKEN = flowWith(`    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the input file is missing`);
const FIXED = flowWith(`    type: io.kestra.plugin.core.log.Log
    message: checked`);
const RENAMED = `id: fixable
namespace: api.restart
tasks:
  - id: renamed
    type: io.kestra.plugin.core.log.Log
    message: other
`;

interface ExecutionBody {
  id: string;
  flowRevision: number;
  state: { current: string; histories: { state: string }[] };
  taskRunList: { taskId: string; state: { current: string } }[];
}

describe('restart on another flow revision', () => {
  let server: TestServer;
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string) =>
    server.app.inject({
      method,
      url: `${API}${url}`,
      ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/x-yaml' } } : {}),
    });
  const execution = async (id: string) => (await inject('GET', `/executions/${id}`)).json<ExecutionBody>();

  beforeAll(async () => {
    server = await startTestServer({ scheduler: false });
    expect((await inject('POST', '/flows', BROKEN)).statusCode).toBe(200);
  });
  afterAll(() => server.close());

  it('runs the fix deployed since the failure and ends SUCCESS on the new revision', async () => {
    const failed = (await inject('POST', '/executions/api.restart/fixable?wait=true')).json<ExecutionBody>();
    expect(failed.state.current).toBe('FAILED');
    expect(failed.flowRevision).toBe(1);
    expect((await inject('PUT', '/flows/api.restart/fixable', FIXED)).statusCode).toBe(200);

    const restarted = await inject('POST', `/executions/${failed.id}/restart?revision=2`);
    expect(restarted.statusCode).toBe(200);
    await vi.waitFor(async () => expect((await execution(failed.id)).state.current).toBe('SUCCESS'), {
      timeout: 10_000,
    });
    const after = await execution(failed.id);
    expect(after.flowRevision).toBe(2);
    expect(after.state.histories.map((h) => h.state)).toEqual(
      expect.arrayContaining(['FAILED', 'RESTARTED', 'SUCCESS']),
    );
    expect(after.taskRunList.map((run) => [run.taskId, run.state.current])).toEqual([
      ['check', 'SUCCESS'],
      ['after', 'SUCCESS'],
    ]);
  });

  it('refuses a revision that does not exist (404) or lacks a task the execution ran (409)', async () => {
    expect((await inject('PUT', '/flows/api.restart/fixable', BROKEN)).statusCode).toBe(200); // revision 3
    const failed = (await inject('POST', '/executions/api.restart/fixable?wait=true')).json<ExecutionBody>();
    expect(failed.state.current).toBe('FAILED');
    expect((await inject('PUT', '/flows/api.restart/fixable', RENAMED)).statusCode).toBe(200); // revision 4

    const missing = await inject('POST', `/executions/${failed.id}/restart?revision=99`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: string }>().code).toBe('WH_NOT_FOUND');
    const lacking = await inject('POST', `/executions/${failed.id}/restart?revision=4`);
    expect(lacking.statusCode).toBe(409);
    expect(lacking.json<{ message: string }>().message).toContain('`check`');
    const bad = await inject('POST', `/executions/${failed.id}/restart?revision=two`);
    expect(bad.statusCode).toBe(400);
    // Nothing changed: still FAILED on its own revision.
    const now = await execution(failed.id);
    expect(now.state.current).toBe('FAILED');
    expect(now.flowRevision).toBe(3);
  });
});

/**
 * Resuming a paused execution through the API: the `onResume` inputs of the Pause are checked
 * and typed as a flow's inputs are (Kestra PauseTest.runOnResumeMissingInputs): a missing or
 * wrong one is a 422 naming it, and the execution stays PAUSED.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { encodeForm } from './multipart.js';
import type { ApiBody } from './multipart.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

interface ExecutionBody {
  id: string;
  state: { current: string };
  taskRunList: Array<{ taskId: string; state: { current: string }; outputs?: Record<string, unknown> }>;
}

const FLOW = `id: approval
namespace: api.resume
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: asked
        type: STRING
      - id: count
        type: INT
        required: false
      - id: note
        type: STRING
        defaults: none given
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.wait.onResume.asked }}"
`;

describe('resume with onResume inputs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ scheduler: false });
    await deployFlow(server.local.store, FLOW);
  });
  afterAll(() => server.close());

  const execution = async (id: string) =>
    (await server.app.inject({ method: 'GET', url: `${API}/executions/${id}` })).json<ExecutionBody>();
  const waitState = (id: string, state: string) =>
    vi.waitFor(async () => expect((await execution(id)).state.current).toBe(state), { timeout: 10_000 });
  const paused = async () => {
    const res = await server.app.inject({ method: 'POST', url: `${API}/executions/api.resume/approval` });
    const { id } = res.json<ExecutionBody>();
    await waitState(id, 'PAUSED');
    return id;
  };
  const resume = async (id: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return server.app.inject({
      method: 'POST',
      url: `${API}/executions/${id}/resume`,
      ...(await encodeForm(form)),
    });
  };

  it('a required onResume input left out is a 422 naming it; the execution stays PAUSED', async () => {
    const id = await paused();
    const refused = await server.app.inject({ method: 'POST', url: `${API}/executions/${id}/resume` });
    expect(refused.statusCode).toBe(422);
    const body = refused.json<ApiBody>();
    expect(body.code).toBe('WH_INPUT_INVALID');
    expect(body.message).toContain('`asked`');
    expect(body.message).not.toContain('`note`');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const still = await execution(id);
    expect(still.state.current).toBe('PAUSED');
    expect(still.taskRunList.map((r) => r.state.current)).toEqual(['PAUSED']);
  });

  it('a value of the wrong type is a 422 too', async () => {
    const id = await paused();
    const refused = await resume(id, { asked: 'yes', count: 'many' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ApiBody>().message).toContain('`count`');
    expect((await execution(id)).state.current).toBe('PAUSED');
  });

  it('valid inputs resume it, typed, with defaults applied', async () => {
    const id = await paused();
    const resumed = await resume(id, { asked: 'restarted', count: '7' });
    expect(resumed.statusCode).toBe(204);
    await waitState(id, 'SUCCESS');
    const ended = await execution(id);
    const wait = ended.taskRunList.find((r) => r.taskId === 'wait');
    expect(wait?.outputs?.onResume).toEqual({ asked: 'restarted', count: 7, note: 'none given' });
    expect(ended.taskRunList.find((r) => r.taskId === 'after')?.outputs?.value).toBe('restarted');
  });
});

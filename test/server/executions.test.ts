import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { encodeForm } from './multipart.js';
import type { ApiBody } from './multipart.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';

interface ExecutionBody {
  id: string;
  namespace: string;
  flowId: string;
  state: { current: string; histories: Array<{ state: string }> };
  inputs: Record<string, unknown>;
  labels: Array<{ key: string; value: string }>;
  outputs: Record<string, unknown>;
  taskRunList: Array<{
    id: string;
    taskId: string;
    state: { current: string };
    outputs: Record<string, unknown>;
  }>;
  originalId: string;
  scheduleDate?: string;
}

const INPUTS_FLOW = `id: inputs
namespace: api.exec
inputs:
  - id: name
    type: STRING
  - id: count
    type: INT
    defaults: 1
  - id: data
    type: FILE
    required: false
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "{{ inputs.name }} x{{ inputs.count }}: {{ inputs.data is null ? 'none' : read(inputs.data) }}"
    extension: .txt
outputs:
  - id: file
    type: STRING
    value: "{{ outputs.write.uri }}"
`;

const PAUSE_FLOW = `id: paused
namespace: api.exec
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOL
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "approved={{ outputs.wait.onResume.approved }}"
`;

const FAIL_FLOW = `id: failing
namespace: api.exec
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: boom
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`;

describe('executions routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    for (const source of [INPUTS_FLOW, PAUSE_FLOW, FAIL_FLOW]) await deployFlow(server.local.store, source);
  });
  afterAll(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });
  const execution = async (id: string) => (await get(`/executions/${id}`)).json<ExecutionBody>();
  const waitState = async (id: string, state: string) =>
    vi.waitFor(async () => expect((await execution(id)).state.current).toBe(state), { timeout: 10_000 });
  const postJson = (url: string, body: unknown) =>
    server.app.inject({ method: 'POST', url: `${API}${url}`, payload: body as Record<string, unknown> });

  it('starts with multipart inputs, a FILE part and labels; wait=true answers once ended; the output file downloads', async () => {
    const form = new FormData();
    form.append('name', 'Ada');
    form.append('count', '3');
    form.append('data', new Blob(['file body']), 'notes.txt');
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/api.exec/inputs?labels=team:data&labels=env:test&wait=true`,
      ...(await encodeForm(form)),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<ExecutionBody>();
    expect(body.state.current).toBe('SUCCESS');
    expect(body.inputs.count).toBe(3);
    expect(body.inputs.data).toMatch(
      new RegExp(`^kestra:///api/exec/inputs/executions/${body.id}/inputs/data/notes\\.txt$`),
    );
    expect(body.labels).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'data' },
        { key: 'env', value: 'test' },
      ]),
    );
    const uri = body.outputs.file as string;
    const file = await get(`/executions/${body.id}/file?path=${encodeURIComponent(uri)}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('Ada x3: file body');
    expect(file.headers['content-disposition']).toContain('.txt');
    const metas = await get(`/executions/${body.id}/file/metas?path=${encodeURIComponent(uri)}`);
    expect(metas.json()).toEqual({ size: Buffer.byteLength('Ada x3: file body') });
    const input = await get(
      `/executions/${body.id}/file?path=${encodeURIComponent(body.inputs.data as string)}`,
    );
    expect(input.body).toBe('file body');
  });

  it('a failed execution has no outputs in its JSON (Kestra: null), and every execution its correlation id', async () => {
    await deployFlow(
      server.local.store,
      `id: failed_outputs
namespace: api.exec
tasks:
  - { id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: boom }
outputs:
  - { id: never, type: STRING, value: "{{ outputs.boom }}" }
`,
    );
    const res = await postJson('/executions/api.exec/failed_outputs?wait=true', {});
    const body = res.json<ExecutionBody>();
    expect(body.state.current).toBe('FAILED');
    expect(body).not.toHaveProperty('outputs');
    expect(body.labels).toContainEqual({ key: 'system.correlationId', value: body.id });
    expect(await execution(body.id)).not.toHaveProperty('outputs');
  });

  it('takes inputs as JSON; wrong inputs are a 422 listing each, and no execution nor file is left', async () => {
    const ok = await postJson('/executions/api.exec/inputs?wait=true', { name: 'Bo' });
    expect(ok.json<ExecutionBody>().state.current).toBe('SUCCESS');

    const before = (await server.local.store.searchExecutions({ flowId: 'inputs' })).total;
    const form = new FormData();
    form.append('count', 'many');
    form.append('data', new Blob(['x']), 'x.txt');
    const bad = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/api.exec/inputs`,
      ...(await encodeForm(form)),
    });
    expect(bad.statusCode).toBe(422);
    const error = bad.json<ApiBody>();
    expect(error.code).toBe('WH_INPUT_INVALID');
    const problems = error.details as Array<{ message: string }>;
    expect(problems.length).toBe(2); // name missing, count not an integer
    expect(error.message).toMatch(/name/);
    expect(error.message).toMatch(/count/);
    expect((await server.local.store.searchExecutions({ flowId: 'inputs' })).total).toBe(before);
    expect(await server.local.runtime.storage.list('kestra:///api/exec/inputs/executions/')).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/\/x\.txt$/)]),
    );
  });

  it('answers an upload over maxUploadSize with 413 and leaves no file behind', async () => {
    const small = await startTestServer({ maxUploadSize: 1024 });
    try {
      await deployFlow(small.local.store, INPUTS_FLOW);
      const form = new FormData();
      form.append('name', 'big');
      form.append('data', new Blob([Buffer.alloc(64 * 1024, 'x')]), 'big.bin');
      const res = await small.app.inject({
        method: 'POST',
        url: `${API}/executions/api.exec/inputs`,
        ...(await encodeForm(form)),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json<ApiBody>().code).toBe('WH_BODY_TOO_LARGE');
      expect(await small.local.runtime.storage.list('kestra:///api/exec/inputs/executions/')).toEqual([]);
      expect((await small.local.store.searchExecutions({})).total).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('answers 404 for an unknown flow or execution, 400 for bad query values', async () => {
    const missing = await postJson('/executions/api.exec/nope', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ApiBody>().code).toBe('WH_FLOW_NOT_FOUND');
    expect((await get('/executions/unknown-id')).json<ApiBody>().code).toBe('WH_EXECUTION_NOT_FOUND');
    expect(
      (await postJson('/executions/api.exec/inputs?scheduleDate=tomorrow', { name: 'x' })).statusCode,
    ).toBe(400);
    expect((await get('/executions/search?state=DONE')).statusCode).toBe(400);
    const system = await postJson('/executions/api.exec/inputs?labels=system.readOnly:true', { name: 'x' });
    expect([system.statusCode, system.json<ApiBody>().code]).toEqual([400, 'WH_REQUEST_INVALID']);
    await deployFlow(server.local.store, `${FAIL_FLOW}disabled: true\n`);
    const disabled = await postJson('/executions/api.exec/failing', {});
    expect([disabled.statusCode, disabled.json<ApiBody>().code]).toEqual([409, 'WH_EXECUTION_STATE']);
    await deployFlow(server.local.store, FAIL_FLOW);
  });

  it('schedules an execution for later with scheduleDate', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await postJson(`/executions/api.exec/inputs?scheduleDate=${encodeURIComponent(at)}`, {
      name: 'later',
    });
    const body = res.json<ExecutionBody>();
    expect(body.state.current).toBe('CREATED');
    expect(body.scheduleDate).toBe(at);
    expect((await execution(body.id)).state.current).toBe('CREATED');
    await server.app.inject({ method: 'DELETE', url: `${API}/executions/${body.id}/kill` });
  });

  it('searches by flow, state and labels with paging, newest first', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await postJson(`/executions/api.exec/inputs?wait=true&labels=batch:b${n % 2}`, {
        name: `s${n}`,
      });
      ids.push(res.json<ExecutionBody>().id);
    }
    const page = (await get('/executions/search?flowId=inputs&labels=batch:b1&size=1&page=1')).json<{
      results: ExecutionBody[];
      total: number;
    }>();
    expect(page.total).toBe(2);
    expect(page.results.map((e) => e.id)).toEqual([ids[2]]);
    const second = (await get('/executions/search?flowId=inputs&labels=batch:b1&size=1&page=2')).json<{
      results: ExecutionBody[];
    }>();
    expect(second.results.map((e) => e.id)).toEqual([ids[0]]);
    const failedOnly = (await get('/executions/search?namespace=api&state=FAILED&state=KILLED')).json<{
      results: ExecutionBody[];
    }>();
    expect(failedOnly.results.every((e) => ['FAILED', 'KILLED'].includes(e.state.current))).toBe(true);
    const future = (
      await get(`/executions/search?flowId=inputs&startDate=2999-01-01T00:00:00Z`)
    ).json<ApiBody>();
    expect(future.total).toBe(0);
  });

  it('refuses file paths outside the execution or with `..` (400), and a missing file is a 404', async () => {
    const res = await postJson('/executions/api.exec/inputs?wait=true', { name: 'files' });
    const { id } = res.json<ExecutionBody>();
    const other = (
      await postJson('/executions/api.exec/inputs?wait=true', { name: 'other' })
    ).json<ExecutionBody>();
    const prefix = `kestra:///api/exec/inputs/executions/${id}`;
    for (const path of [
      `${prefix}/../${other.id}/tasks/x`,
      `${prefix}/%2e%2e/%2e%2e/secret`,
      `${prefix}/%252e%252e/x`,
      other.outputs.file as string,
      '/etc/passwd',
      'kestra:///api/exec/inputs',
    ]) {
      const answer = await get(`/executions/${id}/file?path=${encodeURIComponent(path)}`);
      expect([path, answer.statusCode, answer.json<ApiBody>().code]).toEqual([path, 400, 'WH_PATH_INVALID']);
    }
    const missing = await get(
      `/executions/${id}/file?path=${encodeURIComponent(`${prefix}/tasks/none.txt`)}`,
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ApiBody>().code).toBe('WH_STORAGE_FILE_NOT_FOUND');
  });

  it('resumes a paused execution with onResume inputs; a second resume is a 409', async () => {
    const { id } = (await postJson('/executions/api.exec/paused', {})).json<ExecutionBody>();
    await waitState(id, 'PAUSED');
    const form = new FormData();
    form.append('approved', 'true');
    const resumed = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/${id}/resume`,
      ...(await encodeForm(form)),
    });
    expect(resumed.statusCode).toBe(204);
    await waitState(id, 'SUCCESS');
    const ended = await execution(id);
    expect(ended.taskRunList.find((r) => r.taskId === 'after')?.outputs.value).toBe('approved=true');
    const again = await server.app.inject({ method: 'POST', url: `${API}/executions/${id}/resume` });
    expect(again.statusCode).toBe(409);
    expect(again.json<ApiBody>().code).toBe('WH_EXECUTION_STATE');
  });

  it('kills a running execution (202, then KILLED); killing it again is a 409', async () => {
    const { id } = (await postJson('/executions/api.exec/paused', {})).json<ExecutionBody>();
    await waitState(id, 'PAUSED');
    const kill = await server.app.inject({ method: 'DELETE', url: `${API}/executions/${id}/kill` });
    expect(kill.statusCode).toBe(202);
    await waitState(id, 'KILLED');
    const again = await server.app.inject({ method: 'DELETE', url: `${API}/executions/${id}/kill` });
    expect(again.statusCode).toBe(409);
  });

  it('restarts a failed execution, sets a task run state, and replays as a new execution', async () => {
    const failed = (await postJson('/executions/api.exec/failing?wait=true', {})).json<ExecutionBody>();
    expect(failed.state.current).toBe('FAILED');
    const success = (
      await postJson('/executions/api.exec/inputs?wait=true', { name: 'r' })
    ).json<ExecutionBody>();
    const restartOk = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/${success.id}/restart`,
    });
    expect(restartOk.statusCode).toBe(409);

    const restarted = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/${failed.id}/restart`,
    });
    expect(restarted.statusCode).toBe(200);
    await vi.waitFor(
      async () => {
        const now = await execution(failed.id);
        expect(now.state.histories.map((h) => h.state)).toContain('RESTARTED');
        expect(now.state.current).toBe('FAILED');
      },
      { timeout: 10_000 },
    );

    const boom = (await execution(failed.id)).taskRunList.find((r) => r.taskId === 'boom')!;
    const changed = await postJson(`/executions/${failed.id}/state`, {
      taskRunId: boom.id,
      state: 'SUCCESS',
    });
    expect(changed.statusCode).toBe(200);
    await waitState(failed.id, 'SUCCESS');
    expect((await execution(failed.id)).taskRunList.map((r) => r.taskId)).toContain('after');
    expect(
      (await postJson(`/executions/${failed.id}/state`, { taskRunId: 'nope', state: 'SUCCESS' })).statusCode,
    ).toBe(400);

    const replay = await server.app.inject({ method: 'POST', url: `${API}/executions/${failed.id}/replay` });
    expect(replay.statusCode).toBe(200);
    const copy = replay.json<ExecutionBody>();
    expect(copy.id).not.toBe(failed.id);
    expect(copy.originalId).toBe(failed.id);
    await waitState(copy.id, 'FAILED');
    const badRun = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/${failed.id}/replay?taskRunId=nope`,
    });
    expect(badRun.statusCode).toBe(422);
  });
});

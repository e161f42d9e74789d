import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import type { ApiBody } from './multipart.js';
import { basicAuth, startTestServer } from './support.js';
import type { TestServer } from './support.js';

const AUTH = { username: 'admin', password: 'hook-test-pw' };
const HOOK = '/api/v1/main/executions/webhook';

interface ExecutionBody {
  id: string;
  state: { current: string };
  labels: Array<{ key: string; value: string }>;
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
}

const ECHO_FLOW = `id: echo
namespace: api.hooks
labels:
  team: hooks
inputs:
  - id: who
    type: STRING
    defaults: nobody
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.who }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: open-sesame
    inputs:
      who: "{{ trigger.body.name ?? 'anonymous' }}"
    labels:
      source: webhook
  - id: gated
    type: io.kestra.plugin.core.trigger.Webhook
    key: gated-key
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ trigger.parameters.go[0] == 'yes' }}"
  - id: off
    type: io.kestra.plugin.core.trigger.Webhook
    key: off-key
    disabled: true
  - id: secret_hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: "{{ secret('WH_TEST_HOOK') }}"
`;

const OUTPUTS_FLOW = `id: answer
namespace: api.hooks
tasks:
  - id: token
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.parameters.token[0] ?? 'none' }}"
outputs:
  - id: response
    type: STRING
    value: "{{ outputs.token.value }}"
triggers:
  - id: json
    type: io.kestra.plugin.core.trigger.Webhook
    key: json-key
    wait: true
    returnOutputs: true
  - id: text
    type: io.kestra.plugin.core.trigger.Webhook
    key: text-key
    wait: true
    returnOutputs: true
    responseContentType: text/plain
    responseCode: 201
  - id: waiting
    type: io.kestra.plugin.core.trigger.Webhook
    key: wait-key
    wait: true
`;

describe('webhook trigger route', () => {
  let server: TestServer;
  beforeAll(async () => {
    process.env.SECRET_WH_TEST_HOOK = Buffer.from('from-a-secret').toString('base64');
    server = await startTestServer({ auth: AUTH });
    await deployFlow(server.local.store, ECHO_FLOW);
    await deployFlow(server.local.store, OUTPUTS_FLOW);
    await server.scheduler.flowChanged('api.hooks', 'echo');
  });
  afterAll(async () => {
    delete process.env.SECRET_WH_TEST_HOOK;
    await server.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: string, contentType?: string) =>
    server.app.inject({
      method,
      url: `${HOOK}/${path}`,
      ...(payload !== undefined ? { payload } : {}),
      headers: { ...(contentType ? { 'content-type': contentType } : {}), 'x-custom': 'abc' },
    });
  const ended = (id: string) => server.local.runtime.waitForEnd(id);

  it('starts an execution without credentials; the JSON body, headers and query are trigger variables', async () => {
    const res = await call(
      'POST',
      'api.hooks/echo/open-sesame?a=1&a=2',
      '{"name":"Ada"}',
      'application/json',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json<ExecutionBody>();
    expect(body.trigger).toMatchObject({ id: 'hook', type: 'io.kestra.plugin.core.trigger.Webhook' });
    expect(body.trigger!.variables.body).toEqual({ name: 'Ada' });
    expect(body.trigger!.variables.parameters).toEqual({ a: ['1', '2'] });
    expect((body.trigger!.variables.headers as Record<string, string[]>)['x-custom']).toEqual(['abc']);
    expect(body.labels).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'hooks' },
        { key: 'source', value: 'webhook' },
        { key: 'system.correlationId', value: body.id },
      ]),
    );
    const done = await ended(body.id);
    expect(done.state.current).toBe('SUCCESS');
    expect(done.inputs.who).toBe('Ada');
    // The rest of the API still needs credentials.
    expect(
      (await server.app.inject({ method: 'GET', url: `/api/v1/main/executions/${body.id}` })).statusCode,
    ).toBe(401);
    const authed = await server.app.inject({
      method: 'GET',
      url: `/api/v1/main/executions/${body.id}`,
      headers: { authorization: basicAuth(AUTH.username, AUTH.password) },
    });
    expect(authed.statusCode).toBe(200);
  });

  it('keeps a body that is not JSON as text, whatever its content type, and takes GET and PUT', async () => {
    const text = await call('POST', 'api.hooks/echo/open-sesame', 'plain words', 'text/plain');
    expect(text.json<ExecutionBody>().trigger!.variables.body).toBe('plain words');
    const broken = await call('POST', 'api.hooks/echo/open-sesame', '{not json', 'application/json');
    expect(broken.statusCode).toBe(200);
    expect(broken.json<ExecutionBody>().trigger!.variables.body).toBe('{not json');
    const odd = await call('PUT', 'api.hooks/echo/open-sesame', '<a/>', 'application/xml');
    expect(odd.json<ExecutionBody>().trigger!.variables.body).toBe('<a/>');
    const get = await call('GET', 'api.hooks/echo/open-sesame');
    expect(get.statusCode).toBe(200);
    expect((await ended(get.json<ExecutionBody>().id)).inputs.who).toBe('anonymous');
  });

  it('answers 404 WH_WEBHOOK_NOT_FOUND for an unknown flow, a wrong key, or a disabled trigger', async () => {
    for (const path of ['api.hooks/nope/open-sesame', 'api.hooks/echo/wrong-key', 'api.hooks/echo/off-key']) {
      const res = await call('POST', path, '{}', 'application/json');
      expect([path, res.statusCode, res.json<ApiBody>().code]).toEqual([path, 404, 'WH_WEBHOOK_NOT_FOUND']);
    }
    await server.scheduler.setTriggerDisabled('api.hooks', 'echo', 'hook', true);
    expect((await call('POST', 'api.hooks/echo/open-sesame', '{}', 'application/json')).statusCode).toBe(404);
    await server.scheduler.setTriggerDisabled('api.hooks', 'echo', 'hook', false);
    expect((await call('POST', 'api.hooks/echo/open-sesame', '{}', 'application/json')).statusCode).toBe(200);
  });

  it('answers 409 for a disabled flow, as Kestra does', async () => {
    await deployFlow(server.local.store, `${ECHO_FLOW}disabled: true\n`);
    const res = await call('POST', 'api.hooks/echo/open-sesame', '{}', 'application/json');
    expect([res.statusCode, res.json<ApiBody>().code]).toEqual([409, 'WH_EXECUTION_STATE']);
    await deployFlow(server.local.store, ECHO_FLOW);
    expect((await call('POST', 'api.hooks/echo/open-sesame', '{}', 'application/json')).statusCode).toBe(200);
  });

  it('renders a key written as an expression (a secret) and follows a new revision’s key', async () => {
    expect((await call('POST', 'api.hooks/echo/from-a-secret')).statusCode).toBe(200);
    await deployFlow(server.local.store, ECHO_FLOW.replace('key: open-sesame', 'key: new-key'));
    expect((await call('POST', 'api.hooks/echo/open-sesame')).statusCode).toBe(404);
    expect((await call('POST', 'api.hooks/echo/new-key')).statusCode).toBe(200);
    await deployFlow(server.local.store, ECHO_FLOW);
  });

  it('answers 204 without an execution when a condition does not hold', async () => {
    const before = (await server.local.store.searchExecutions({ flowId: 'echo' })).total;
    const skipped = await call('GET', 'api.hooks/echo/gated-key?go=no');
    expect(skipped.statusCode).toBe(204);
    expect((await server.local.store.searchExecutions({ flowId: 'echo' })).total).toBe(before);
    expect((await call('GET', 'api.hooks/echo/gated-key?go=yes')).statusCode).toBe(200);
  });

  it('with wait and returnOutputs answers the outputs once ended, as JSON or text with the code asked', async () => {
    const json = await call('GET', 'api.hooks/answer/json-key?token=t1');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ response: 't1' });
    const text = await call('GET', 'api.hooks/answer/text-key?token=t2');
    expect(text.statusCode).toBe(201);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe('t2');
    const waited = await call('GET', 'api.hooks/answer/wait-key');
    expect(waited.json<ExecutionBody>().state.current).toBe('SUCCESS');
  });

  it('is served over real HTTP without credentials', async () => {
    const open = await startTestServer({ auth: AUTH, listen: true });
    try {
      await deployFlow(open.local.store, ECHO_FLOW);
      const res = await fetch(`${open.url!}${HOOK}/api.hooks/echo/open-sesame`, {
        method: 'POST',
        body: '{"name":"Http"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      const { id } = (await res.json()) as ExecutionBody;
      await vi.waitFor(async () => expect((await open.local.runtime.execution(id))?.inputs.who).toBe('Http'));
    } finally {
      await open.close();
    }
  });
});

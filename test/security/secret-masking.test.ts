/**
 * Issue 19, item 4: secrets are masked everywhere an execution shows them. A real runtime and
 * the real app (through `app.inject`) run flows that pass a `secret()` through task outputs,
 * flow outputs, a JSON text, a script's output (plain and base64) and the executor's own log
 * lines, and that take SECRET inputs; no API answer holds the clear text, and the tasks still
 * got the real values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { SecretMask } from '../../src/engine/secret-mask.js';
import { parseSse } from '../server/sse-client.js';
import { startTestServer } from '../server/support.js';
import type { TestServer } from '../server/support.js';

const API = '/api/v1/main';
/** A quote in it: its JSON-escaped form differs from the text. */
const SECRET = 's3cr3t-"pw"-42';
const INPUT_SECRET = 'input-pass-123';
const TOKEN_SECRET = 'tok-9f8e7d';
const SHORT_SECRET = 'xyz';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** Every way the API could show a secret in clear. */
function leaksOf(text: string): string[] {
  const leaks: string[] = [];
  for (const secret of [SECRET, INPUT_SECRET, TOKEN_SECRET])
    for (const form of [secret, jsonEscaped(secret), b64(secret)]) if (text.includes(form)) leaks.push(form);
  return leaks;
}

const LEAKY_FLOW = `id: leaky
namespace: sec.mask
tasks:
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('WH_MASK_PW') }}"
  - id: json
    type: io.kestra.plugin.core.debug.Return
    format: "{{ {'k': secret('WH_MASK_PW')} | toJson }}"
  - id: check
    type: io.kestra.plugin.core.log.Log
    message: >-
      matches={{ secret('WH_MASK_PW') == '${SECRET}' }} short={{ secret('WH_MASK_SHORT') }}
  - id: short
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('WH_MASK_SHORT') }}"
  - id: reader
    type: io.kestra.plugin.core.log.Log
    message: >-
      ret={{ outputs.ret.value }} json={{ outputs.json.value }} same={{ outputs.ret.value == '${SECRET}' }}
  - id: sh
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      PW: "{{ outputs.ret.value }}"
    outputFiles:
      - pw.txt
    commands:
      - echo "pw is $PW"
      - echo -n "$PW" | base64
      - printf '%s' "$PW" > pw.txt
      - 'test "$PW" = ''${SECRET}'' && echo intact'
  - id: sw
    type: io.kestra.plugin.core.flow.Switch
    allowFailure: true # no case matches: FAILED, as in Kestra
    value: "{{ outputs.ret.value }}"
    cases:
      none:
        - id: never
          type: io.kestra.plugin.core.log.Log
          message: never
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
    errorMessage: "bad value {{ outputs.ret.value }}"
outputs:
  - id: leaked
    type: STRING
    value: "{{ outputs.ret.value }}"
  - id: encoded
    type: STRING
    value: "{{ outputs.ret.value | base64encode }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: leaky-hook
    wait: true
    returnOutputs: true
`;

const INPUT_FLOW = `id: secret_input
namespace: sec.mask
inputs:
  - id: pw
    type: SECRET
  - id: api.token
    type: SECRET
  - id: user
    type: STRING
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "user={{ inputs.user }} pw={{ inputs.pw }} token={{ inputs.api.token }}"
  - id: same
    type: io.kestra.plugin.core.log.Log
    message: "same={{ inputs.pw == '${INPUT_SECRET}' }}"
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.pw }}"
  - id: sh
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      PW: "{{ inputs.pw }}"
    commands:
      - echo "script sees $PW"
outputs:
  - id: pw_out
    type: STRING
    value: "{{ inputs.pw }}"
`;

interface ExecutionBody {
  id: string;
  state: { current: string };
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  taskRunList: Array<{ taskId: string; outputs: Record<string, unknown> }>;
}

describe('secrets masked everywhere an execution shows them', () => {
  let server: TestServer;
  let leaky: ExecutionBody;
  let withInputs: ExecutionBody;
  /** The answers of `POST /executions/…?wait=true`. */
  const startAnswers: string[] = [];

  const get = (url: string) => server.app.inject({ method: 'GET', url: `${API}${url}` });
  /** Starts an execution through the API and waits for its end (the answer of `wait=true`). */
  const start = async (flowId: string, inputs: Record<string, unknown> = {}) => {
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/sec.mask/${flowId}?wait=true`,
      payload: inputs,
    });
    expect(res.statusCode).toBe(200);
    startAnswers.push(res.body);
    return res.json<ExecutionBody>();
  };
  const messages = async (executionId: string) =>
    (await get(`/logs/${executionId}`)).json<Array<{ taskId?: string; message: string }>>();

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ...process.env,
        SECRET_WH_MASK_PW: b64(SECRET),
        SECRET_WH_MASK_SHORT: b64(SHORT_SECRET),
        SECRET_WH_MASK_UNUSED: b64(TOKEN_SECRET),
      },
    });
    await deployFlow(server.local.store, LEAKY_FLOW);
    await deployFlow(server.local.store, INPUT_FLOW);
    await server.scheduler.flowChanged('sec.mask', 'leaky');
    leaky = await start('leaky');
    withInputs = await start('secret_input', { pw: INPUT_SECRET, 'api.token': TOKEN_SECRET, user: 'ada' });
  }, 60_000);
  afterAll(() => server.close());

  it('the tasks got the real values: compared, passed to a script, written to a file, stored as they are', async () => {
    expect(leaky.state.current).toBe('WARNING'); // the allowed failures
    const lines = (await messages(leaky.id)).map((l) => l.message);
    // A short secret is masked in the log of the task that reads it (see the limit below).
    expect(lines).toContain('matches=true short=******');
    expect(lines.some((m) => m.includes('same=true'))).toBe(true);
    expect(lines).toContain('intact');
    const stored = (await server.local.runtime.execution(leaky.id))!;
    expect(stored.outputs?.leaked).toBe(SECRET);
    const sh = stored.taskRunList.find((r) => r.taskId === 'sh')!;
    const uri = (sh.outputs?.outputFiles as Record<string, string>)['pw.txt']!;
    expect((await server.local.runtime.storage.readBuffer(uri)).toString()).toBe(SECRET);

    expect(withInputs.state.current).toBe('SUCCESS');
    expect((await messages(withInputs.id)).map((l) => l.message)).toContain('same=true');
    expect((await server.local.runtime.execution(withInputs.id))!.inputs.pw).toBe(INPUT_SECRET);
  });

  it('task outputs and flow outputs are ****** in the execution JSON (JSON and base64 forms too)', async () => {
    expect(startAnswers.map(leaksOf)).toEqual([[], []]);
    const res = await get(`/executions/${leaky.id}`);
    expect(leaksOf(res.body)).toEqual([]);
    const body = res.json<ExecutionBody>();
    const outputsOf = (taskId: string) => body.taskRunList.find((r) => r.taskId === taskId)!.outputs;
    expect(outputsOf('ret')).toEqual({ value: '******' });
    expect(outputsOf('json')).toEqual({ value: '{"k":"******"}' });
    expect(body.outputs).toEqual({ leaked: '******', encoded: '******' });
    // A value under 4 characters is masked once a task of the execution read it (short-secrets.test.ts).
    expect(outputsOf('short')).toEqual({ value: '******' });
  });

  it('every log line of the execution is masked: later tasks, the script (plain and base64), the executor, errors', async () => {
    const lines = await messages(leaky.id);
    expect(leaksOf(JSON.stringify(lines))).toEqual([]);
    const text = lines.map((l) => l.message);
    expect(text).toContain('ret=****** json={"k":"******"} same=true');
    expect(text).toContain('pw is ******');
    expect(text).toContain('******'); // `echo -n $PW | base64`
    expect(text.some((m) => m.includes('No case of `sw` matches `******`'))).toBe(true);
    expect(text).toContain('bad value ******');
    // Workers mask as they write: the store holds none of their lines in clear (the executor's
    // own lines, such as Switch's, are masked as they are served).
    const stored = await server.local.store.getLogs(leaky.id, {});
    const written = stored.filter((l) => !l.message.startsWith('No case of'));
    expect(written.map((l) => l.message)).toContain('pw is ******');
    expect(leaksOf(JSON.stringify(written))).toEqual([]);
  });

  it('logs are masked in the download, the search and the followed stream', async () => {
    const download = await get(`/logs/${leaky.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(leaksOf(download.body)).toEqual([]);
    expect(download.body).toContain('pw is ******');

    const search = await get('/logs/search?namespace=sec.mask&size=1000');
    expect(search.statusCode).toBe(200);
    expect(leaksOf(search.body)).toEqual([]);
    expect(search.body).toContain('pw=******');

    const followed = await get(`/logs/${leaky.id}/follow`);
    expect(parseSse(followed.body).length).toBeGreaterThan(5);
    expect(leaksOf(followed.body)).toEqual([]);
    expect(followed.body).toContain('pw is ******');
  });

  it('the followed execution, the search and the commands answer masked JSON', async () => {
    const followed = await get(`/executions/${leaky.id}/follow`);
    const end = parseSse(followed.body).find((m) => m.id === 'end')!;
    expect(JSON.parse(end.data)).toMatchObject({ outputs: { leaked: '******' } });
    expect(leaksOf(followed.body)).toEqual([]);

    const search = await get('/executions/search?namespace=sec.mask');
    expect(leaksOf(search.body)).toEqual([]);
    expect(search.body).toContain('"pw":"******"');

    const replay = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/${withInputs.id}/replay`,
    });
    expect(replay.statusCode).toBe(200);
    expect(leaksOf(replay.body)).toEqual([]);
    await server.local.runtime.waitForEnd(replay.json<ExecutionBody>().id);
  });

  it('SECRET inputs are ****** in the API and in every log line, scripts included', async () => {
    const res = await get(`/executions/${withInputs.id}`);
    expect(leaksOf(res.body)).toEqual([]);
    const body = res.json<ExecutionBody>();
    expect(body.inputs).toEqual({ pw: '******', api: { token: '******' }, user: 'ada' });
    expect(body.outputs).toEqual({ pw_out: '******' });
    expect(body.taskRunList.find((r) => r.taskId === 'ret')!.outputs).toEqual({ value: '******' });
    const lines = await messages(withInputs.id);
    expect(leaksOf(JSON.stringify(lines))).toEqual([]);
    expect(lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['user=ada pw=****** token=******', 'script sees ******']),
    );
    expect(leaksOf(JSON.stringify(await server.local.store.getLogs(withInputs.id, {})))).toEqual([]);
  });

  it('a webhook returning the outputs answers them masked', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: `${API}/executions/webhook/sec.mask/leaky/leaky-hook`,
    });
    expect(res.statusCode).toBe(200);
    expect(leaksOf(res.body)).toEqual([]);
    expect(res.json()).toEqual({ leaked: '******', encoded: '******' });
  });
});

describe('SecretMask', () => {
  it('masks the text, its base64 and JSON-escaped forms, and the lines of a multi-line secret', () => {
    const mask = SecretMask.of(['pa"ss\\word', '-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----']);
    expect(mask.text('x pa"ss\\word y')).toBe('x ****** y');
    expect(mask.text(JSON.stringify({ k: 'pa"ss\\word' }))).toBe('{"k":"******"}');
    expect(mask.text(JSON.stringify(JSON.stringify({ k: 'pa"ss\\word' })))).toBe('"{\\"k\\":\\"******\\"}"');
    expect(mask.text(`b64 ${b64('pa"ss\\word')} and ${b64('pa"ss\\word\n')}`)).toBe('b64 ****** and ******');
    expect(mask.text('line AAAABBBBCCCC')).toBe('line ******');
    expect(mask.deep({ a: ['pa"ss\\word'], pa: 1, n: null })).toEqual({ a: ['******'], pa: 1, n: null });
  });

  it('leaves values shorter than 4 characters alone, and masks nothing when empty', () => {
    expect(SecretMask.of(['abc', '']).empty).toBe(true);
    expect(SecretMask.of(['abc']).text('abc')).toBe('abc');
    const value = { a: 'text' };
    expect(SecretMask.NONE.deep(value)).toBe(value);
    expect(SecretMask.of(['abcd']).text('abcd abcde')).toBe('****** ******e');
  });
});

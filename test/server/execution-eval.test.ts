/**
 * Kestra's debugger endpoint, POST /executions/{id}/eval/{taskRunId}: an expression rendered
 * with a task run's variables and the server's functions (kv, secret), secrets masked in the
 * answer, errors as { error, stackTrace } with their position, unknown ids as 404.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const API = '/api/v1/main';
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FLOW = `id: shop
namespace: api.eval
inputs:
  - id: customer
    type: STRING
    defaults: ada
  - id: password
    type: SECRET
    defaults: hunter22
variables:
  greeting: hello
tasks:
  - id: extract
    type: io.kestra.plugin.core.output.OutputValues
    values:
      city: paris
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.greeting }}"
`;

interface Execution {
  id: string;
  state: { current: string };
  taskRunList: Array<{ id: string; taskId: string }>;
}

async function finished(): Promise<{ test: TestServer; execution: Execution; sayRun: string }> {
  const test = await startTestServer({
    scheduler: false,
    env: { SECRET_API_TOKEN: Buffer.from('tok-123456').toString('base64') },
  });
  await deployFlow(test.local.store, FLOW);
  await test.local.store.kvPut({ namespace: 'api.eval', key: 'region', type: 'STRING', value: 'eu-west' });
  const response = await test.app.inject({
    method: 'POST',
    url: `${API}/executions/api.eval/shop?wait=true`,
  });
  const execution = response.json<Execution>();
  expect(execution.state.current).toBe('SUCCESS');
  return { test, execution, sayRun: execution.taskRunList.find((run) => run.taskId === 'say')!.id };
}

const evaluate = (test: TestServer, executionId: string, taskRunId: string, expression: string) =>
  test.app.inject({
    method: 'POST',
    url: `${API}/executions/${executionId}/eval/${taskRunId}`,
    headers: { 'content-type': 'text/plain' },
    payload: expression,
  });

describe('POST /executions/{id}/eval/{taskRunId}', () => {
  it("renders with the task run's variables and the server's functions", async () => {
    const { test, execution, sayRun } = await finished();
    server = test;
    const cases: Array<[string, string]> = [
      ['{{ outputs.extract.values.city | upper }}', 'PARIS'],
      ['{{ vars.greeting }} {{ inputs.customer }}', 'hello ada'],
      ['{{ task.id }} of {{ flow.id }}', 'say of shop'],
      ["{{ kv('region') }}", 'eu-west'],
    ];
    for (const [expression, result] of cases) {
      const response = await evaluate(test, execution.id, sayRun, expression);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ result });
    }
  });

  it('masks secrets and SECRET inputs in the answer', async () => {
    const { test, execution, sayRun } = await finished();
    server = test;
    const secret = await evaluate(test, execution.id, sayRun, "token={{ secret('API_TOKEN') }}");
    expect(secret.json()).toEqual({ result: 'token=******' });
    const input = await evaluate(test, execution.id, sayRun, '{{ inputs.password }}');
    expect(input.body).not.toContain('hunter22');
    expect(input.json()).toEqual({ result: '******' });
  });

  it('answers an error with its position, and 404 for unknown ids', async () => {
    const { test, execution, sayRun } = await finished();
    server = test;
    const broken = await evaluate(test, execution.id, sayRun, '{{ inputs.customer | }}');
    expect(broken.statusCode).toBe(200);
    const body = broken.json<{ error: string; stackTrace: string; result?: string }>();
    expect(body.result).toBeUndefined();
    expect(body.error).not.toBe('');
    expect(body.stackTrace).toMatch(/WH_EXPR_SYNTAX at line 1, column \d+/);
    expect((await evaluate(test, execution.id, 'nope', '{{ 1 }}')).statusCode).toBe(404);
    expect((await evaluate(test, 'nope', sayRun, '{{ 1 }}')).statusCode).toBe(404);
  });
});

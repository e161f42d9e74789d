/**
 * The Slack notification tasks against a real webhook server on 127.0.0.1, through real flows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/plugins/notifications/slack/execution-summary.js';
import { startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import { closedPort, startHttpServer } from './support/http-server.js';
import type { TestServer } from './support/http-server.js';

let rt: TestRuntime;
let slack: TestServer;

const received = (path: string) =>
  slack.requests
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>);

beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 4, publicUrl: 'http://windhover.test:8080/' });
  slack = await startHttpServer({
    '/services/T1/B1/ok': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    '/services/T1/B1/gone': (_req, res) =>
      void res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service'),
  });
});

afterAll(async () => {
  await slack.close();
  await rt.dispose();
});

describe('SlackIncomingWebhook', () => {
  it('posts the payload, rendered twice, as JSON with the extra headers', async () => {
    const execution = await rt.run(`id: slack_payload
namespace: test.slack
variables:
  greeting: "Hello from {{ flow.id }}"
tasks:
  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${slack.url}/services/T1/B1/ok?thread=1
    options:
      headers:
        X-Trace: abc
    payload: |
      {"text": "{{ vars.greeting }}", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*{{ execution.id }}*"}}]}
`);
    expect(execution.state.current).toBe('SUCCESS');
    const request = slack.requests.find((r) => r.headers['x-trace'] === 'abc')!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body.toString())).toEqual({
      text: 'Hello from slack_payload',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${execution.id}*` } }],
    });
  });

  it('messageText (and the course-notes alias io.kestra.plugin.slack.Send) sends {"text": …}', async () => {
    const execution = await rt.run(`id: slack_text
namespace: test.slack
tasks:
  - id: notify
    type: io.kestra.plugin.slack.Send
    url: ${slack.url}/services/T1/B1/ok
    messageText: 'Flow *{{ flow.id }}* said "done"'
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(received('/services/T1/B1/ok')).toContainEqual({ text: 'Flow *slack_text* said "done"' });
  });

  it('a non-2xx answer fails with the status and the body; the webhook path stays secret', async () => {
    const execution = await rt.run(`id: slack_gone
namespace: test.slack
tasks:
  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${slack.url}/services/T1/B1/gone
    messageText: hi
`);
    expect(execution.state.current).toBe('FAILED');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toContain(`Slack webhook ${slack.url}/… answered 404 Not Found: no_service`);
    expect(logs).not.toContain('B1/gone');
  });

  it('a payload that is not JSON once rendered fails clearly', async () => {
    const execution = await rt.run(`id: slack_bad
namespace: test.slack
inputs:
  - id: text
    type: STRING
    defaults: 'say "hi"'
tasks:
  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${slack.url}/services/T1/B1/ok
    payload: '{"text": "{{ inputs.text }}"}'
`);
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'Property `payload`: the rendered payload is not JSON',
    );
  });

  it('a refused connection fails clearly, and the rest of the error handling still runs', async () => {
    const port = await closedPort();
    const execution = await rt.run(`id: slack_down
namespace: test.slack
tasks:
  - id: work
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the load broke
errors:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: http://127.0.0.1:${port}/services/T1/B1/secret
    messageText: failed
finally:
  - id: backup_alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${slack.url}/services/T1/B1/ok
    messageText: "backup alert for {{ execution.id }}"
`);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toMatchObject({ work: 'FAILED', alert: 'FAILED', backup_alert: 'SUCCESS' });
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toContain(
      `ERROR alert Slack webhook http://127.0.0.1:${port}/… refused the connection (ECONNREFUSED)`,
    );
    expect(logs).not.toContain('secret');
    expect(received('/services/T1/B1/ok')).toContainEqual({ text: `backup alert for ${execution.id}` });
  });
});

describe('SlackExecution', () => {
  it('in errors: names the failed task, links to the execution, adds custom message and fields', async () => {
    const execution = await rt.run(`id: slack_summary
namespace: test.slack
tasks:
  - id: extract
    type: io.kestra.plugin.core.debug.Return
    format: fine
  - id: load
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the load broke
errors:
  - id: summary
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${slack.url}/services/T1/B1/ok
    channel: "#alerts"
    username: Windhover
    iconEmoji: ":bird:"
    customMessage: "Nightly load of {{ flow.id }}"
    customFields:
      env: prod
      attempt: 2
`);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toMatchObject({ load: 'FAILED', summary: 'SUCCESS' });
    const link = `http://windhover.test:8080/ui/main/executions/test.slack/slack_summary/${execution.id}`;
    const message = received('/services/T1/B1/ok').find((m) => JSON.stringify(m).includes(execution.id))!;
    expect(message.text).toMatch(
      new RegExp(
        `^\\*<${link.replace(/[.]/g, '\\.')}\\|\\[test\\.slack\\] slack_summary ➛ FAILED>\\*\\n> Failed on task \`load\` after [0-9.]+s$`,
      ),
    );
    expect(message).toMatchObject({ channel: '#alerts', username: 'Windhover', icon_emoji: ':bird:' });
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Nightly load of slack_summary' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: message.text },
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Details' }, url: link },
      },
    ]);
    const [attachment] = message.attachments as Record<string, unknown>[];
    expect(attachment).toMatchObject({
      color: 'danger',
      fields: [
        { title: 'Namespace', value: 'test.slack', short: true },
        { title: 'Job', value: 'slack_summary', short: true },
        { title: 'Execution', value: execution.id, short: true },
        { title: 'Status', value: 'FAILED', short: true },
        { title: 'env', value: 'prod', short: true },
        { title: 'attempt', value: '2', short: true },
      ],
    });
    expect(attachment!.ts).toBe(Math.floor(Date.parse(execution.state.startDate) / 1000));
  });

  it('summarizes another execution given by executionId (as from a Flow trigger)', async () => {
    const upstream = await rt.run(`id: slack_upstream
namespace: test.slack
tasks:
  - id: ok
    type: io.kestra.plugin.core.debug.Return
    format: done
`);
    const execution = await rt.run(
      `id: slack_watcher
namespace: test.slack
inputs:
  - id: upstream
    type: STRING
tasks:
  - id: summary
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${slack.url}/services/T1/B1/ok
    executionId: "{{ inputs.upstream }}"
  - id: unknown
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${slack.url}/services/T1/B1/ok
    executionId: nope
`,
      { upstream: upstream.id },
    );
    expect(statesOf(execution)).toEqual({ summary: 'SUCCESS', unknown: 'FAILED' });
    const message = received('/services/T1/B1/ok').find((m) => JSON.stringify(m).includes(upstream.id))!;
    expect(message.text).toContain(
      `/ui/main/executions/test.slack/slack_upstream/${upstream.id}|[test.slack] slack_upstream ➛ SUCCESS>*\n> Succeeded after`,
    );
    expect((message.attachments as Record<string, unknown>[])[0]).toMatchObject({ color: 'good' });
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'Property `executionId`: there is no execution `nope`',
    );
  });

  it('durations read like people write them', () => {
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(1234)).toBe('1.23s');
    expect(humanDuration(42_500)).toBe('42.5s');
    expect(humanDuration(125_000)).toBe('2m 5s');
    expect(humanDuration(3_725_000)).toBe('1h 2m 5s');
  });
});

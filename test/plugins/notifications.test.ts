import { describe, expect, it } from 'vitest';
import { NOTIFICATIONS_PLUGINS } from '../../src/plugins/notifications/index.js';
import { errorsOf, flowWithTasks, validateYaml, warningsOf } from '../helpers.js';

describe('notification examples', () => {
  const examples = NOTIFICATIONS_PLUGINS.flatMap((def) =>
    (def.examples ?? []).map((example) => ({ type: def.type, ...example })),
  );

  it.each(examples)('$type: $title', ({ code }) => {
    expect(errorsOf(code)).toEqual([]);
    expect(warningsOf(code)).toEqual([]);
  });
});

describe('SlackIncomingWebhook', () => {
  it('accepts the course-notes alias io.kestra.plugin.slack.Send and normalizes it', () => {
    const text = flowWithTasks(`  - id: notify
    type: io.kestra.plugin.slack.Send
    url: "{{ kv('SLACK_WEBHOOK') }}"
    messageText: Pipeline done`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual([]);
    expect(validateYaml(text).flows[0]?.flow?.tasks[0]?.type).toBe(
      'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
    );
  });

  it('requires payload or messageText', () => {
    const text = flowWithTasks(`  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: https://hooks.slack.com/services/x/y/z`);
    expect(errorsOf(text)).toEqual(['4:5 give `payload` (a JSON message) or `messageText` (plain text)']);
  });

  it('requires url', () => {
    const text = flowWithTasks(`  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    messageText: hi`);
    expect(errorsOf(text)).toEqual([
      '4:5 missing required property `url` on io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
    ]);
  });

  it('warns that messageText is ignored next to payload', () => {
    const text = flowWithTasks(`  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: https://hooks.slack.com/services/x/y/z
    payload: '{"text": "hi"}'
    messageText: hi`);
    expect(errorsOf(text)).toEqual([]);
    expect(warningsOf(text)).toEqual(['8:5 `messageText` is ignored when `payload` is given']);
  });

  it('refuses a literal payload that is not JSON', () => {
    const text = flowWithTasks(`  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: https://hooks.slack.com/services/x/y/z
    payload: hello`);
    expect(errorsOf(text)[0]).toContain('`payload` must be a JSON document');
  });
});

describe('SlackExecution', () => {
  it('accepts the execution summary properties', () => {
    const text = flowWithTasks(`  - id: summary
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: https://hooks.slack.com/services/x/y/z
    channel: "#alerts"
    username: Windhover
    iconEmoji: ":bird:"
    customMessage: Nightly load
    customFields:
      env: prod
    options:
      readTimeout: PT30S
      headers:
        X-Trace: "1"`);
    expect(errorsOf(text)).toEqual([]);
  });

  it('refuses an unknown property with a suggestion', () => {
    const text = flowWithTasks(`  - id: summary
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: https://hooks.slack.com/services/x/y/z
    chanel: "#alerts"`);
    expect(errorsOf(text)[0]).toContain('unknown property `chanel`');
    expect(errorsOf(text)[0]).toContain('(did you mean `channel`?)');
  });
});

import { defineTask, isExpression, p, toText } from '../../api.js';
import { httpOptionsProp, slackUrlProp } from './common.js';
import { checkPayload, postToSlack } from './post.js';

export default defineTask({
  type: 'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
  aliases: ['io.kestra.plugin.slack.Send', 'io.kestra.plugin.slack.SlackIncomingWebhook'],
  title: 'Send a Slack message',
  description:
    'Posts a message to a Slack incoming webhook (or a compatible one, such as Rocket.Chat). Give either a full JSON `payload` or a plain `messageText`.',
  properties: {
    url: slackUrlProp,
    payload: p
      .string()
      .describe(
        'The JSON message, as Slack expects it (`{"text": …}` or `{"blocks": […]}`). Expressions are rendered, twice.',
      ),
    messageText: p.string().describe('A plain (markdown) text message; used when `payload` is not given.'),
    options: httpOptionsProp,
  },
  check: (props, report) => {
    const hasPayload = props.payload != null;
    const hasText = props.messageText != null;
    if (!hasPayload && !hasText) {
      report([], 'give `payload` (a JSON message) or `messageText` (plain text)');
    }
    if (hasPayload && hasText) {
      report(['messageText'], '`messageText` is ignored when `payload` is given', {
        severity: 'warning',
        atKey: true,
      });
    }
    const payload = props.payload;
    if (typeof payload === 'string' && !isExpression(payload)) {
      try {
        JSON.parse(payload);
      } catch (e) {
        report(
          ['payload'],
          `\`payload\` must be a JSON document: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
  },
  async run(ctx, props) {
    // As in Kestra, the payload is rendered a second time: a template held in a variable fills in.
    const payload =
      props.payload !== undefined && props.payload !== null
        ? await ctx.render(toText(props.payload))
        : JSON.stringify({ text: toText(props.messageText ?? '') });
    ctx.logger.debug(`Slack payload: ${payload}`);
    await postToSlack(ctx, props, checkPayload(payload));
  },
  examples: [
    {
      title: 'Alert a Slack channel when the flow fails',
      code: `id: unreliable_flow
namespace: company.team
tasks:
  - id: fail
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - exit 1
errors:
  - id: alert_on_failure
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}"
    payload: |
      {
        "text": "Failure in {{ flow.namespace }}.{{ flow.id }}, execution {{ execution.id }}"
      }`,
    },
    {
      title: 'Send a plain text message',
      code: `id: slack_text
namespace: company.team
tasks:
  - id: notify
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}"
    messageText: "Flow *{{ flow.id }}* is done."`,
    },
  ],
});

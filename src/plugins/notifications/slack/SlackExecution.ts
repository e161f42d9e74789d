import { defineTask, p } from '../../api.js';
import { httpOptionsProp, slackUrlProp } from './common.js';
import { runSlackExecution } from './run-execution.js';

export default defineTask({
  type: 'io.kestra.plugin.notifications.slack.SlackExecution',
  aliases: ['io.kestra.plugin.slack.SlackExecution'],
  title: 'Send an execution summary to Slack',
  description:
    'Posts a summary of an execution (link, namespace, flow, start date, duration, state, failed task) to a Slack incoming webhook. ' +
    'Use it in a flow started by a Flow trigger, with `executionId: "{{ trigger.executionId }}"`, or in `errors` tasks, where it summarizes the failing execution.',
  properties: {
    url: slackUrlProp,
    executionId: p
      .string()
      .default('{{ execution.id }}')
      .describe('The execution to summarize; the current one by default.'),
    channel: p.string().describe('The channel to post to, such as `#alerts`, when the webhook allows it.'),
    username: p.string().describe('The author name shown on the message.'),
    iconUrl: p.string().describe('URL of the icon shown on the message.'),
    iconEmoji: p.string().describe('Emoji shown as the icon, such as `:rotating_light:`.'),
    customMessage: p.string().describe('A message added to the summary.'),
    customFields: p.map(p.any()).describe('Extra fields added to the summary, by name.'),
    templateRenderMap: p.map(p.any()).describe('Extra variables for the message template.'),
    options: httpOptionsProp,
  },
  run: runSlackExecution,
  examples: [
    {
      title: 'Post a summary of every failed production execution',
      code: `id: failure_alert
namespace: system
tasks:
  - id: send_alert
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
    channel: "#alerts"
    executionId: "{{ trigger.executionId }}"
triggers:
  - id: failed_prod_workflows
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - FAILED
          - WARNING
      - type: io.kestra.plugin.core.condition.ExecutionNamespace
        namespace: prod
        prefix: true`,
    },
  ],
});

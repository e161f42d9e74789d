import { defineTrigger, isExpression, isRecord, p } from '../../api.js';
import type { ReportFn } from '../../api.js';
import { MultipleCondition } from '../condition/index.js';
import { scalarText } from '../condition/shared.js';
import { checkSystemLabels, executionLabelsProp } from '../task-props.js';
import { triggerName } from './shared.js';

const MULTIPLE_CONDITION_NAMES = new Set([MultipleCondition.type, ...MultipleCondition.legacyNames]);
const MAX_KEY_LENGTH = 256;

export default defineTrigger({
  type: 'io.kestra.plugin.core.trigger.Webhook',
  legacyNames: ['io.kestra.core.models.triggers.types.Webhook'],
  title: 'Run on an HTTP call',
  description:
    'Starts an execution when `/api/v1/main/executions/webhook/{namespace}/{flowId}/{key}` is called with GET, POST or PUT; this URL needs no login, so the key is its only protection. ' +
    'The request is read as `trigger.body` (parsed as JSON when it is JSON), `trigger.headers` and `trigger.parameters`. ' +
    'The answer is 200 with the execution, 204 when a condition does not hold, 404 for an unknown flow or key. ' +
    'Conditions are allowed, except `MultipleCondition`.',
  properties: {
    key: p
      .string()
      .required()
      .describe(
        'The secret part of the URL, at most 256 characters. Use a long random string, or `{{ secret(...) }}`.',
      ),
    inputs: p.map(p.any()).describe('Inputs given to each execution; values may read `trigger.body`.'),
    labels: executionLabelsProp().describe(
      'Labels given to each execution: a map `key: value`, or a list of `{key, value}`.',
    ),
    wait: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('Answer the call only when the execution has ended, instead of as soon as it is created.'),
    returnOutputs: p
      .boolean({ dynamic: false })
      .default(false)
      .describe('With `wait`, answer with the flow outputs instead of the execution.'),
    responseContentType: p
      .enum(['application/json', 'text/plain'], { dynamic: false })
      .describe(
        'With `wait` and `returnOutputs`, the content type of the answer; `application/json` by default.',
      ),
    responseCode: p
      .integer({ min: 100, max: 599 })
      .describe(
        'With `wait` and `returnOutputs`, the HTTP status of the answer; 200 by default (500 when the execution failed).',
      ),
  },
  outputs: {
    body: { type: 'object', description: 'The request body, parsed as JSON when possible: `trigger.body`.' },
    headers: {
      type: 'object',
      description: 'The request headers, each a list of values: `trigger.headers`.',
    },
    parameters: {
      type: 'object',
      description: 'The query parameters, each a list of values: `trigger.parameters`.',
    },
  },
  check: (props, report) => {
    const owner = triggerName(props);
    checkKey(props.key, owner, report);
    checkSystemLabels(props.labels, 'labels', report);
    if (props.returnOutputs === true && props.wait !== true) {
      report(['returnOutputs'], `\`returnOutputs\` of ${owner} has no effect without \`wait: true\``, {
        severity: 'warning',
        atKey: true,
      });
    }
    for (const key of ['responseContentType', 'responseCode']) {
      if (props[key] == null || (props.wait === true && props.returnOutputs === true)) continue;
      report(
        [key],
        `\`${key}\` of ${owner} has no effect without \`wait: true\` and \`returnOutputs: true\``,
        {
          severity: 'warning',
          atKey: true,
        },
      );
    }
    if (Array.isArray(props.conditions)) {
      props.conditions.forEach((condition, index) => {
        if (
          isRecord(condition) &&
          typeof condition.type === 'string' &&
          MULTIPLE_CONDITION_NAMES.has(condition.type)
        ) {
          report(['conditions', index, 'type'], `a Webhook trigger does not support \`MultipleCondition\``);
        }
      });
    }
  },
  examples: [
    {
      title: 'Start the flow from an HTTP call',
      code: `id: webhook_flow
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Received {{ trigger.body }}"
triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: 4wjtkzwVGBM9yKnjm3yv8r`,
    },
    {
      title: 'Answer the caller with the flow outputs, as plain text',
      code: `id: echo_token
namespace: company.team
tasks:
  - id: token
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.parameters.validationToken[0] ?? 'ok' }}"
outputs:
  - id: response
    type: STRING
    value: "{{ outputs.token.value }}"
triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: "{{ secret('WEBHOOK_KEY') }}"
    wait: true
    returnOutputs: true
    responseContentType: text/plain`,
    },
  ],
});

function checkKey(key: unknown, owner: string, report: ReportFn): void {
  const text = scalarText(key);
  if (text === undefined) return;
  if (text.trim() === '') {
    report(['key'], `\`key\` of ${owner} must not be blank`);
    return;
  }
  if (text.length > MAX_KEY_LENGTH) {
    report(
      ['key'],
      `\`key\` of ${owner} is ${text.length} characters long; at most ${MAX_KEY_LENGTH} are allowed`,
    );
    return;
  }
  if (isExpression(text)) return;
  if (/[/\s]/.test(text)) {
    report(
      ['key'],
      `\`key\` of ${owner} cannot contain \`/\` or spaces: it is one segment of the webhook URL (use letters, digits, \`-\`, \`_\`, \`.\` and \`~\`)`,
    );
  } else if (/[^A-Za-z0-9._~-]/.test(text)) {
    report(
      ['key'],
      `\`key\` of ${owner} holds characters that callers must percent-encode in the URL; letters, digits, \`-\`, \`_\`, \`.\` and \`~\` are safer`,
      { severity: 'warning' },
    );
  }
}

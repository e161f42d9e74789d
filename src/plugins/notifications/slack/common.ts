/** What the Slack notification tasks share: the webhook URL and the HTTP client options. */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

export const slackUrlProp: Prop = p
  .string()
  .required()
  .describe(
    "The Slack incoming-webhook URL (`https://hooks.slack.com/services/…`); keep it secret, e.g. `{{ secret('SLACK_WEBHOOK') }}`.",
  );

export const httpOptionsProp: Prop = p
  .object({
    connectTimeout: p.duration().describe('Time allowed to connect.'),
    readTimeout: p.duration().default('PT10S').describe('Time allowed to read the answer.'),
    readIdleTimeout: p.duration().default('PT5M').describe('Time a read may stay idle.'),
    connectionPoolIdleTimeout: p
      .duration()
      .default('PT0S')
      .describe('Time an idle pooled connection is kept.'),
    maxContentLength: p.integer({ min: 0 }).default(10485760).describe('Largest answer accepted, in bytes.'),
    defaultCharset: p.string().default('UTF-8').describe('Charset of the request.'),
    headers: p.map(p.string()).describe('Extra HTTP headers.'),
  })
  .describe('Options of the HTTP client.');

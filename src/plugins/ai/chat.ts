/**
 * What the chat tasks share: Kestra's chat `configuration`, the message list, and the outputs
 * made from a model's answer (`textOutput` or `jsonOutput`, `tokenUsage`, `finishReason`,
 * `requestDuration`).
 */
import { TaskFailure, isExpression, isRecord, p, toText } from '../api.js';
import type { OutputDoc, Prop, ReportFn, TaskLogger } from '../api.js';
import type { ChatConfiguration, ChatMessage, ChatResult, ChatRole } from './providers/types.js';

/** Kestra's ChatConfiguration. */
export const chatConfigurationProp: Prop = p
  .object({
    temperature: p.number().describe('Randomness of the answer, typically 0.0–1.0.'),
    topK: p.integer().describe('Sample from the K most likely tokens (not OpenAI).'),
    topP: p.number().describe('Nucleus sampling: the smallest set of tokens whose probability reaches topP.'),
    seed: p.integer().describe('Seed for repeatable answers (not Anthropic).'),
    maxToken: p.integer().describe('Most tokens the model may generate in its answer.'),
    logRequests: p.boolean().describe('Log each request body sent to the model, at INFO.'),
    logResponses: p.boolean().describe("Log each of the model's raw answers, at INFO."),
    responseFormat: p
      .object({
        type: p
          .enum(['TEXT', 'JSON'])
          .default('TEXT')
          .describe('`TEXT` (output `textOutput`) or `JSON` (output `jsonOutput`).'),
        jsonSchema: p.map(p.any()).describe('The JSON Schema the answer must follow, with `type: JSON`.'),
        jsonSchemaDescription: p.string().describe('What the schema describes, to help the model.'),
        strictJson: p.boolean().describe('Accepted; Windhover sends the schema either way.'),
      })
      .describe('What the answer should be: free text, or JSON following a schema (Gemini, OpenAI).'),
    thinkingEnabled: p
      .boolean()
      .describe('Accepted and ignored by Windhover (no thinking models wired yet).'),
    thinkingBudgetTokens: p.integer().describe('Accepted and ignored by Windhover.'),
    returnThinking: p.boolean().describe('Accepted and ignored by Windhover.'),
    promptCaching: p.boolean().describe('Accepted and ignored by Windhover.'),
  })
  .describe('Chat settings: temperature, topK, topP, seed, maxToken, responseFormat…');

/** The rendered configuration, typed. */
export function chatConfigurationOf(value: unknown, logger: TaskLogger): ChatConfiguration {
  if (!isRecord(value)) return {};
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const format = isRecord(value.responseFormat) ? value.responseFormat : undefined;
  const ignored = ['thinkingEnabled', 'thinkingBudgetTokens', 'returnThinking', 'promptCaching'].filter(
    (k) => value[k] != null,
  );
  if (ignored.length > 0)
    logger.warn(`configuration: ${ignored.map((k) => `\`${k}\``).join(', ')} ignored by Windhover`);
  const configuration: ChatConfiguration = {};
  const set = <K extends keyof ChatConfiguration>(key: K, v: ChatConfiguration[K] | undefined) => {
    if (v !== undefined) configuration[key] = v;
  };
  set('temperature', number(value.temperature));
  set('topK', number(value.topK));
  set('topP', number(value.topP));
  set('seed', number(value.seed));
  set('maxToken', number(value.maxToken));
  set('logRequests', value.logRequests === true ? true : undefined);
  set('logResponses', value.logResponses === true ? true : undefined);
  if (format) {
    const type = format.type === 'JSON' ? 'JSON' : 'TEXT';
    if (type === 'TEXT' && format.jsonSchema != null)
      throw new TaskFailure(
        '`configuration.responseFormat.jsonSchema` is only allowed when `type` is `JSON`',
      );
    configuration.responseFormat = {
      type,
      ...(isRecord(format.jsonSchema) ? { jsonSchema: format.jsonSchema } : {}),
      ...(typeof format.jsonSchemaDescription === 'string'
        ? { jsonSchemaDescription: format.jsonSchemaDescription }
        : {}),
    };
  }
  return configuration;
}

const ROLES: readonly ChatRole[] = ['SYSTEM', 'USER', 'AI'];

/** Kestra's `messages`: `{type: SYSTEM | USER | AI, content}`. */
export const messagesProp: Prop = p
  .list(
    p.object({
      type: p.enum(['SYSTEM', 'USER', 'AI']).required().describe('Who says it.'),
      content: p.string().describe('The text of the message.'),
    }),
  )
  .required()
  .describe('The conversation: at most one `SYSTEM` message, and the last one a `USER` message.');

/** The order problem of a message list (by role), as Kestra words it; undefined when fine. */
function orderProblem(roles: readonly string[]): string | undefined {
  if (roles.filter((r) => r === 'SYSTEM').length > 1) return 'only one SYSTEM message is allowed';
  if (roles.length > 0 && roles.at(-1) !== 'USER') return 'the last message must be a USER message';
  return undefined;
}

/** Checks a written `messages` list before the flow runs (when its types are written out). */
export function checkMessages(value: unknown, report: ReportFn): void {
  if (!Array.isArray(value)) return;
  const roles = value.map((item) =>
    isRecord(item) && typeof item.type === 'string' ? item.type : undefined,
  );
  // A type given by an expression is only known at run time.
  if (roles.some((r) => r === undefined || isExpression(r))) return;
  const problem = orderProblem(roles as string[]);
  if (problem) report(['messages'], problem);
}

/** The rendered messages, checked as Kestra checks them. */
export function messagesOf(value: unknown): ChatMessage[] {
  const list = Array.isArray(value) ? value : [];
  const messages = list.map((item, i): ChatMessage => {
    const role = isRecord(item) ? toText(item.type ?? '') : '';
    if (!ROLES.includes(role as ChatRole))
      throw new TaskFailure(`Property \`messages[${i}].type\` must be SYSTEM, USER or AI`);
    return {
      role: role as ChatRole,
      text: isRecord(item) && item.content != null ? toText(item.content) : '',
    };
  });
  if (messages.length === 0) throw new TaskFailure('Property `messages`: give at least one USER message');
  const problem = orderProblem(messages.map((m) => m.role));
  if (problem) throw new TaskFailure(`Property \`messages\`: ${problem}`);
  return messages;
}

/** The outputs both chat tasks document (Kestra's AIOutput). */
export const CHAT_OUTPUTS: Readonly<Record<string, OutputDoc>> = {
  textOutput: { type: 'string', description: 'The answer, for the `TEXT` response format (the default).' },
  jsonOutput: { type: 'object', description: 'The answer parsed, for the `JSON` response format.' },
  tokenUsage: {
    type: 'object',
    description: 'Tokens the chat call used: `inputTokenCount`, `outputTokenCount`, `totalTokenCount`.',
  },
  finishReason: {
    type: 'string',
    description: 'Why the model stopped: `STOP`, `LENGTH`, `TOOL_EXECUTION`, `CONTENT_FILTER` or `OTHER`.',
  },
  requestDuration: { type: 'integer', description: 'How long the model took to answer, in milliseconds.' },
};

/** The outputs of a chat answer, as Kestra's AIOutput names them. */
export function chatOutputs(
  result: ChatResult,
  configuration: ChatConfiguration,
  requestDuration: number,
): Record<string, unknown> {
  const json = configuration.responseFormat?.type === 'JSON';
  let jsonOutput: unknown;
  if (json) {
    try {
      jsonOutput = JSON.parse(result.text);
    } catch {
      throw new TaskFailure(
        `The model was asked for JSON (responseFormat.type: JSON) but answered text that is not JSON: ${result.text.slice(0, 300)}`,
      );
    }
  }
  return {
    ...(json ? { jsonOutput } : { textOutput: result.text }),
    ...(result.tokenUsage ? { tokenUsage: result.tokenUsage } : {}),
    finishReason: result.finishReason,
    requestDuration,
  };
}

/** Logs a model's token usage at INFO (Kestra reports it as metrics). */
export function logUsage(logger: TaskLogger, label: string, result: Pick<ChatResult, 'tokenUsage'>): void {
  const usage = result.tokenUsage;
  if (!usage) return;
  logger.info(
    `${label} token usage: ${usage.inputTokenCount ?? '?'} in, ${usage.outputTokenCount ?? '?'} out, ${usage.totalTokenCount ?? '?'} in all`,
  );
}

/** Anthropic over its Messages API (`messages`, `x-api-key`, `anthropic-version`); chat only. */
import { TaskFailure, isRecord } from '../../api.js';
import { postJson, unexpectedAnswer } from './call.js';
import { compactUsage, countOf, splitSystem } from './types.js';
import type { ChatResult, ClientSettings, FinishReason, ModelClient } from './types.js';

/** The API version the request shapes here follow. */
const ANTHROPIC_VERSION = '2023-06-01';
/** `max_tokens` is required by the API; langchain4j (so Kestra) sends 1024 when not configured. */
const DEFAULT_MAX_TOKENS = 1024;

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  max_tokens: 'LENGTH',
  tool_use: 'TOOL_EXECUTION',
  refusal: 'CONTENT_FILTER',
};

/** An Anthropic client for one model. */
export function anthropicClient(settings: ClientSettings): ModelClient {
  const { ctx, apiKey, baseUrl, modelName } = settings;
  return {
    label: 'Anthropic',
    async chat(messages, configuration): Promise<ChatResult> {
      if (configuration.seed !== undefined)
        throw new TaskFailure(
          'Anthropic models do not support `configuration.seed`; remove it (as in Kestra)',
        );
      if (configuration.responseFormat !== undefined)
        throw new TaskFailure(
          'Anthropic models do not support `configuration.responseFormat`; describe the format in the prompt (as in Kestra)',
        );
      const { system, rest } = splitSystem(messages);
      const body = {
        model: modelName,
        ...(system !== undefined ? { system } : {}),
        messages: rest.map((m) => ({ role: m.role === 'AI' ? 'assistant' : 'user', content: m.text })),
        max_tokens: configuration.maxToken ?? DEFAULT_MAX_TOKENS,
        ...(configuration.temperature !== undefined ? { temperature: configuration.temperature } : {}),
        ...(configuration.topP !== undefined ? { top_p: configuration.topP } : {}),
        ...(configuration.topK !== undefined ? { top_k: configuration.topK } : {}),
      };
      const what = 'Anthropic messages';
      const answer = await postJson({
        ctx,
        what,
        url: `${baseUrl}/messages`,
        headers: { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION },
        body,
        ...(configuration.logRequests ? { logRequest: true } : {}),
        ...(configuration.logResponses ? { logResponse: true } : {}),
      });
      if (!Array.isArray(answer.content)) throw unexpectedAnswer(what, 'no content', answer);
      const text = answer.content
        .filter((block): block is Record<string, unknown> => isRecord(block) && block.type === 'text')
        .map((block) => (typeof block.text === 'string' ? block.text : ''))
        .join('');
      const usage = isRecord(answer.usage) ? answer.usage : {};
      return {
        text,
        finishReason: FINISH_REASONS[String(answer.stop_reason)] ?? (answer.stop_reason ? 'OTHER' : 'STOP'),
        tokenUsage: compactUsage({
          inputTokenCount: countOf(usage.input_tokens),
          outputTokenCount: countOf(usage.output_tokens),
        }),
      };
    },
    embed(): Promise<never> {
      return Promise.reject(
        new TaskFailure(
          'Anthropic has no embedding models (as in Kestra): use GoogleGemini or OpenAI as the embedding provider',
        ),
      );
    },
  };
}

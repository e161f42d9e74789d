/**
 * OpenAI over its REST API (`chat/completions`, `embeddings`, bearer key); any server speaking
 * the same API (Ollama, vLLM, LocalAI…) through the provider's `baseUrl`.
 */
import { TaskFailure, isRecord } from '../../api.js';
import { postJson, unexpectedAnswer, vectorOf } from './call.js';
import { compactUsage, countOf } from './types.js';
import type { ChatResult, ClientSettings, EmbeddingResult, FinishReason, ModelClient } from './types.js';

/** Texts per embeddings call (OpenAI takes up to 2048; smaller batches suit local servers). */
const EMBED_BATCH = 256;

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'STOP',
  length: 'LENGTH',
  tool_calls: 'TOOL_EXECUTION',
  function_call: 'TOOL_EXECUTION',
  content_filter: 'CONTENT_FILTER',
};

const ROLES = { SYSTEM: 'system', USER: 'user', AI: 'assistant' } as const;

/** An OpenAI (or OpenAI-compatible) client for one model. */
export function openAiClient(settings: ClientSettings): ModelClient {
  const { ctx, apiKey, baseUrl, modelName } = settings;
  const headers = { Authorization: `Bearer ${apiKey}` };
  return {
    label: 'OpenAI',
    async chat(messages, configuration): Promise<ChatResult> {
      if (configuration.topK !== undefined)
        throw new TaskFailure('OpenAI models do not support `configuration.topK`; remove it (as in Kestra)');
      const format = configuration.responseFormat;
      const responseFormat =
        format?.type === 'JSON'
          ? format.jsonSchema
            ? {
                type: 'json_schema',
                json_schema: {
                  name: 'output',
                  ...(format.jsonSchemaDescription ? { description: format.jsonSchemaDescription } : {}),
                  schema: format.jsonSchema,
                },
              }
            : { type: 'json_object' }
          : undefined;
      const body = {
        model: modelName,
        messages: messages.map((m) => ({ role: ROLES[m.role], content: m.text })),
        ...(configuration.temperature !== undefined ? { temperature: configuration.temperature } : {}),
        ...(configuration.topP !== undefined ? { top_p: configuration.topP } : {}),
        ...(configuration.seed !== undefined ? { seed: configuration.seed } : {}),
        ...(configuration.maxToken !== undefined ? { max_tokens: configuration.maxToken } : {}),
        ...(responseFormat ? { response_format: responseFormat } : {}),
      };
      const what = 'OpenAI chat/completions';
      const answer = await postJson({
        ctx,
        what,
        url: `${baseUrl}/chat/completions`,
        headers,
        body,
        ...(configuration.logRequests ? { logRequest: true } : {}),
        ...(configuration.logResponses ? { logResponse: true } : {}),
      });
      const choice: unknown = Array.isArray(answer.choices) ? answer.choices[0] : undefined;
      if (!isRecord(choice) || !isRecord(choice.message)) throw unexpectedAnswer(what, 'no choices', answer);
      const content = choice.message.content;
      if (content !== null && content !== undefined && typeof content !== 'string')
        throw unexpectedAnswer(what, 'the message content is not text', answer);
      const usage = isRecord(answer.usage) ? answer.usage : {};
      return {
        text: content ?? '',
        finishReason:
          FINISH_REASONS[String(choice.finish_reason)] ?? (choice.finish_reason ? 'OTHER' : 'STOP'),
        tokenUsage: compactUsage({
          inputTokenCount: countOf(usage.prompt_tokens),
          outputTokenCount: countOf(usage.completion_tokens),
          totalTokenCount: countOf(usage.total_tokens),
        }),
      };
    },
    async embed(texts): Promise<EmbeddingResult> {
      const what = 'OpenAI embeddings';
      const vectors: number[][] = [];
      let input = 0;
      let total = 0;
      for (let start = 0; start < texts.length; start += EMBED_BATCH) {
        const batch = texts.slice(start, start + EMBED_BATCH);
        const answer = await postJson({
          ctx,
          what,
          url: `${baseUrl}/embeddings`,
          headers,
          body: { model: modelName, input: batch },
        });
        const data = Array.isArray(answer.data) ? answer.data.filter(isRecord) : [];
        if (data.length !== batch.length)
          throw unexpectedAnswer(what, `${data.length} embeddings for ${batch.length} texts`, answer);
        // Items carry their `index`; order by it rather than trusting the list order.
        const ordered = [...data].sort((a, b) => (countOf(a.index) ?? 0) - (countOf(b.index) ?? 0));
        for (const item of ordered) vectors.push(vectorOf(what, item.embedding, answer));
        const usage = isRecord(answer.usage) ? answer.usage : {};
        input += countOf(usage.prompt_tokens) ?? 0;
        total += countOf(usage.total_tokens) ?? 0;
      }
      return { vectors, tokenUsage: compactUsage({ inputTokenCount: input, totalTokenCount: total }) };
    },
  };
}

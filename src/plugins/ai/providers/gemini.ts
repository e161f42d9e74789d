/**
 * Google Gemini over its REST API (Generative Language API): `models/{model}:generateContent`
 * for chat and `models/{model}:batchEmbedContents` for embeddings, the key in `x-goog-api-key`.
 */
import { TaskFailure, isRecord } from '../../api.js';
import { postJson, unexpectedAnswer, vectorOf } from './call.js';
import { compactUsage, countOf, splitSystem } from './types.js';
import type { ChatResult, ClientSettings, EmbeddingResult, FinishReason, ModelClient } from './types.js';

/** Gemini takes at most 100 texts per batchEmbedContents call. */
const EMBED_BATCH = 100;

const FINISH_REASONS: Record<string, FinishReason> = {
  STOP: 'STOP',
  MAX_TOKENS: 'LENGTH',
  SAFETY: 'CONTENT_FILTER',
  RECITATION: 'CONTENT_FILTER',
  BLOCKLIST: 'CONTENT_FILTER',
  PROHIBITED_CONTENT: 'CONTENT_FILTER',
  SPII: 'CONTENT_FILTER',
};

/** A Gemini client for one model. */
export function geminiClient(settings: ClientSettings): ModelClient {
  const { ctx, apiKey, baseUrl } = settings;
  const model = settings.modelName.replace(/^models\//, '');
  const url = (method: string) => `${baseUrl}/models/${encodeURIComponent(model)}:${method}`;
  const headers = { 'x-goog-api-key': apiKey };
  return {
    label: 'Google Gemini',
    async chat(messages, configuration): Promise<ChatResult> {
      const { system, rest } = splitSystem(messages);
      const generationConfig: Record<string, unknown> = {
        ...(configuration.temperature !== undefined ? { temperature: configuration.temperature } : {}),
        ...(configuration.topK !== undefined ? { topK: configuration.topK } : {}),
        ...(configuration.topP !== undefined ? { topP: configuration.topP } : {}),
        ...(configuration.seed !== undefined ? { seed: configuration.seed } : {}),
        ...(configuration.maxToken !== undefined ? { maxOutputTokens: configuration.maxToken } : {}),
      };
      if (configuration.responseFormat?.type === 'JSON') {
        generationConfig.responseMimeType = 'application/json';
        if (configuration.responseFormat.jsonSchema)
          generationConfig.responseJsonSchema = configuration.responseFormat.jsonSchema;
      }
      const body = {
        ...(system !== undefined ? { systemInstruction: { parts: [{ text: system }] } } : {}),
        contents: rest.map((m) => ({ role: m.role === 'AI' ? 'model' : 'user', parts: [{ text: m.text }] })),
        ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
      };
      const what = 'Google Gemini generateContent';
      const answer = await postJson({
        ctx,
        what,
        url: url('generateContent'),
        headers,
        body,
        ...(configuration.logRequests ? { logRequest: true } : {}),
        ...(configuration.logResponses ? { logResponse: true } : {}),
      });
      const candidate: unknown = Array.isArray(answer.candidates) ? answer.candidates[0] : undefined;
      if (!isRecord(candidate)) {
        const blocked = isRecord(answer.promptFeedback) ? answer.promptFeedback.blockReason : undefined;
        if (typeof blocked === 'string')
          throw new TaskFailure(`${what} refused the prompt (blockReason ${blocked})`);
        throw unexpectedAnswer(what, 'no candidates', answer);
      }
      const parts =
        isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
      // Thought summaries (`thought: true`) are not the answer.
      const text = parts
        .filter((part): part is Record<string, unknown> => isRecord(part) && part.thought !== true)
        .map((part) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
      const usage = isRecord(answer.usageMetadata) ? answer.usageMetadata : {};
      return {
        text,
        finishReason:
          FINISH_REASONS[String(candidate.finishReason)] ?? (candidate.finishReason ? 'OTHER' : 'STOP'),
        tokenUsage: compactUsage({
          inputTokenCount: countOf(usage.promptTokenCount),
          outputTokenCount: countOf(usage.candidatesTokenCount),
          totalTokenCount: countOf(usage.totalTokenCount),
        }),
      };
    },
    async embed(texts): Promise<EmbeddingResult> {
      const what = 'Google Gemini batchEmbedContents';
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += EMBED_BATCH) {
        const batch = texts.slice(start, start + EMBED_BATCH);
        const answer = await postJson({
          ctx,
          what,
          url: url('batchEmbedContents'),
          headers,
          body: {
            requests: batch.map((text) => ({ model: `models/${model}`, content: { parts: [{ text }] } })),
          },
        });
        const embeddings = Array.isArray(answer.embeddings) ? answer.embeddings : [];
        if (embeddings.length !== batch.length)
          throw unexpectedAnswer(what, `${embeddings.length} embeddings for ${batch.length} texts`, answer);
        for (const embedding of embeddings)
          vectors.push(vectorOf(what, isRecord(embedding) ? embedding.values : undefined, answer));
      }
      // Gemini's embedding API reports no token usage.
      return { vectors };
    },
  };
}

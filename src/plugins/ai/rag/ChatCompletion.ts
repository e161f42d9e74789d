import { TaskFailure, defineTask, isRecord, p, toText } from '../../api.js';
import { CHAT_OUTPUTS, chatConfigurationOf, chatConfigurationProp, chatOutputs, logUsage } from '../chat.js';
import { embeddingStoreProp, openEmbeddingStore } from '../embeddings/store.js';
import type { StoreMatch } from '../embeddings/store.js';
import { modelClientOf, providerProp } from '../providers/props.js';
import type { ChatMessage } from '../providers/types.js';

/** How langchain4j's default content injector (so Kestra) adds the retrieved segments to the prompt. */
function injectContents(prompt: string, matches: readonly StoreMatch[]): string {
  if (matches.length === 0) return prompt;
  return `${prompt}\n\nAnswer using the following information:\n${matches.map((m) => m.text).join('\n\n')}`;
}

export default defineTask({
  type: 'io.kestra.plugin.ai.rag.ChatCompletion',
  aliases: ['io.kestra.plugin.langchain4j.rag.ChatCompletion'],
  title: 'Chat with a model, grounded in an embedding store (RAG)',
  description:
    'Embeds the `prompt` with the `embeddingProvider` (the `chatProvider` when not given), retrieves the closest segments from the `embeddings` store (see IngestDocument), adds them to the prompt and asks the `chatProvider`. Outputs the answer, the token usage and the retrieved `sources`. Web-search content retrievers, tools and chat memory are not supported yet.',
  properties: {
    chatProvider: providerProp('The chat model provider').required(),
    embeddingProvider: providerProp('The embedding model provider (the chat provider when not given)'),
    embeddings: embeddingStoreProp().required(),
    systemMessage: p.string().describe("The system message: the assistant's role, tone and limits."),
    prompt: p.string().required().describe('The question.'),
    chatConfiguration: chatConfigurationProp,
    contentRetrieverConfiguration: p
      .object({
        maxResults: p.integer({ min: 1 }).default(3).describe('Most segments added to the prompt.'),
        minScore: p.number().default(0).describe('Least relevance score (0–1) of a segment added.'),
      })
      .describe('How many segments to retrieve, and how relevant they must be.'),
  },
  outputs: {
    ...CHAT_OUTPUTS,
    sources: { type: 'array', description: 'The retrieved segments: `content` and `metadata` of each.' },
    completion: { type: 'string', description: 'Deprecated in Kestra: the same as `textOutput`.' },
  },
  async run(ctx, props) {
    const chat = modelClientOf(ctx, props.chatProvider, 'chatProvider');
    const embedder =
      props.embeddingProvider != null
        ? modelClientOf(ctx, props.embeddingProvider, 'embeddingProvider')
        : chat;
    const configuration = chatConfigurationOf(props.chatConfiguration, ctx.logger);
    const retrieval = isRecord(props.contentRetrieverConfiguration)
      ? props.contentRetrieverConfiguration
      : {};
    const maxResults = typeof retrieval.maxResults === 'number' ? retrieval.maxResults : 3;
    const minScore = typeof retrieval.minScore === 'number' ? retrieval.minScore : 0;
    const prompt = toText(props.prompt ?? '');
    if (!prompt.trim()) throw new TaskFailure('Property `prompt` is empty');

    const store = await openEmbeddingStore(ctx, props.embeddings, 'embeddings', false);
    let matches: StoreMatch[] = [];
    if (store.size === 0) {
      ctx.logger.warn(
        `${store.label} is empty: the model answers without retrieved context; run IngestDocument first`,
      );
    } else {
      const { vectors } = await embedder.embed([prompt]);
      matches = store.search(vectors[0]!, maxResults, minScore);
      ctx.logger.info(
        `Retrieved ${matches.length} segment(s) from ${store.label.replace(/^The/, 'the')} (scores ${matches.map((m) => m.score.toFixed(3)).join(', ') || 'none'})`,
      );
    }
    const messages: ChatMessage[] = [
      ...(props.systemMessage != null
        ? [{ role: 'SYSTEM' as const, text: toText(props.systemMessage) }]
        : []),
      { role: 'USER', text: injectContents(prompt, matches) },
    ];
    const started = Date.now();
    const result = await chat.chat(messages, configuration);
    logUsage(ctx.logger, chat.label, result);
    const outputs = chatOutputs(result, configuration, Date.now() - started);
    return {
      outputs: {
        ...outputs,
        sources: matches.map((m) => ({ content: m.text, metadata: m.metadata })),
        ...(outputs.textOutput !== undefined ? { completion: outputs.textOutput } : {}),
      },
    };
  },
  examples: [
    {
      title: 'Answer from ingested release notes (Retrieval Augmented Generation)',
      code: `id: rag
namespace: company.ai
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    drop: true
    fromExternalURLs:
      - https://raw.githubusercontent.com/kestra-io/docs/refs/heads/main/README.md
  - id: chat_with_rag
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddingProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    contentRetrieverConfiguration:
      maxResults: 3
      minScore: 0.6
    systemMessage: You answer questions about Kestra from the documentation given.
    prompt: How do I run Kestra locally?`,
    },
  ],
});

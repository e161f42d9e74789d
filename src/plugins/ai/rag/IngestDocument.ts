import { defineTask, isRecord, p } from '../../api.js';
import { embeddingStoreProp, openEmbeddingStore } from '../embeddings/store.js';
import { modelClientOf, providerProp } from '../providers/props.js';
import { loadDocuments } from './documents.js';
import { embedInto, segmentsOf } from './ingest.js';
import type { SplitterOptions, SplitterType } from './splitter.js';

export default defineTask({
  type: 'io.kestra.plugin.ai.rag.IngestDocument',
  aliases: ['io.kestra.plugin.langchain4j.rag.IngestDocument'],
  title: 'Ingest documents into an embedding store',
  description:
    'Reads text documents (from URLs, the working directory, internal storage or inline), splits them when `documentSplitter` is given (else each document is one segment, as in Kestra), embeds each segment with the `provider` (an embedding model of Google Gemini or OpenAI) and adds them to the `embeddings` store, for rag.ChatCompletion to retrieve.',
  properties: {
    provider: providerProp('The embedding model provider').required(),
    embeddings: embeddingStoreProp().required(),
    fromPath: p
      .string()
      .describe('A file or folder of the working directory; every file under it is ingested.'),
    fromInternalURIs: p.list(p.string()).describe('Internal-storage files (`kestra://…`) to ingest.'),
    fromExternalURLs: p
      .list(p.string())
      .describe('URLs of text documents (TXT, Markdown, HTML as text) to ingest.'),
    fromDocuments: p
      .list(
        p.object({
          content: p.string().required().describe('The text.'),
          metadata: p.map(p.any()).describe('Metadata kept with each segment (shown in `sources`).'),
        }),
      )
      .describe('Documents given inline.'),
    metadata: p.map(p.string()).describe('Metadata added to every ingested document.'),
    documentSplitter: p
      .object({
        splitter: p
          .enum(['RECURSIVE', 'PARAGRAPH', 'LINE', 'SENTENCE', 'WORD'], { dynamic: false })
          .default('RECURSIVE')
          .describe('The unit segments are made of; a unit too long is cut into finer ones.'),
        maxSegmentSizeInChars: p
          .integer({ dynamic: false })
          .required()
          .describe('Longest segment, in characters.'),
        maxOverlapSizeInChars: p
          .integer({ dynamic: false })
          .required()
          .describe('Most characters of whole units shared by two consecutive segments.'),
      })
      .describe('How documents are cut into segments; without it, each document is one segment.'),
    drop: p.boolean().default(false).describe('Empty the store before ingesting.'),
  },
  outputs: {
    ingestedDocuments: { type: 'integer', description: 'How many documents were ingested.' },
    inputTokenCount: {
      type: 'integer',
      description: 'Tokens embedded, when the provider reports them (OpenAI).',
    },
    outputTokenCount: { type: 'integer', description: 'Output tokens, when the provider reports them.' },
    totalTokenCount: { type: 'integer', description: 'Tokens in all, when the provider reports them.' },
    embeddingStoreOutputs: {
      type: 'object',
      description: 'What the store reports: `kvName` for KestraKVStore.',
    },
  },
  async run(ctx, props) {
    const client = modelClientOf(ctx, props.provider, 'provider');
    const documents = await loadDocuments(ctx, props);
    const store = await openEmbeddingStore(ctx, props.embeddings, 'embeddings', props.drop === true);
    const segments = segmentsOf(documents, splitterOf(props.documentSplitter));
    const usage = await embedInto(client, store, segments);
    const embeddingStoreOutputs = await store.save();
    ctx.logger.info(
      `Ingested ${documents.length} document(s) as ${segments.length} segment(s); ${store.label.replace(/^The/, 'the')} holds ${store.size}`,
    );
    return { outputs: { ingestedDocuments: documents.length, ...(usage ?? {}), embeddingStoreOutputs } };
  },
  examples: [
    {
      title: 'Ingest a release note from a URL into the KV embedding store',
      code: `id: document_ingestion
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
    documentSplitter:
      splitter: RECURSIVE
      maxSegmentSizeInChars: 1000
      maxOverlapSizeInChars: 100
    fromExternalURLs:
      - https://raw.githubusercontent.com/kestra-io/docs/refs/heads/main/README.md`,
    },
  ],
});

function splitterOf(value: unknown): SplitterOptions | undefined {
  if (!isRecord(value)) return undefined;
  return {
    splitter: (typeof value.splitter === 'string' ? value.splitter : 'RECURSIVE') as SplitterType,
    maxSegmentSizeInChars: Number(value.maxSegmentSizeInChars),
    maxOverlapSizeInChars: Number(value.maxOverlapSizeInChars),
  };
}

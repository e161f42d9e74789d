/**
 * io.kestra.plugin.ai.rag.IngestDocument and rag.ChatCompletion with the KestraKVStore embedding
 * store, through real flows, against TEST DOUBLES of the Gemini and OpenAI HTTP APIs (see
 * support/provider-doubles.ts: their embeddings are a deterministic bag-of-words hashing). The
 * documents are served by a real HTTP server on 127.0.0.1, so the course flow's
 * `fromExternalURLs` (raw.githubusercontent.com) is replaced by that server's URL here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { startHttpServer } from '../support/http-server.js';
import type { TestServer } from '../support/http-server.js';
import { startProviderDouble } from './support/provider-doubles.js';
import type { ProviderDouble } from './support/provider-doubles.js';

const GEMINI_KEY = 'gemini-rag-SECRET-4242';
const OPENAI_KEY = 'sk-rag-SECRET-4343';

const RELEASE_NOTES = `# Kestra 1.1

Kestra 1.1 brings new features.

## Flow playground

The playground lets you run tasks one by one while editing a flow.

## Custom dashboards

Dashboards now accept custom charts of executions and logs.
`;

let rt: TestRuntime;
let gemini: ProviderDouble;
let openai: ProviderDouble;
let docs: TestServer;

beforeAll(async () => {
  [gemini, openai] = await Promise.all([
    startProviderDouble('gemini', GEMINI_KEY),
    startProviderDouble('openai', OPENAI_KEY),
  ]);
  docs = await startHttpServer({
    '/kestra-io/docs/release-1-1/index.md': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(RELEASE_NOTES),
  });
  rt = await startTestRuntime({
    workerConcurrency: 2,
    env: { ...process.env, WINDHOVER_AI_GEMINI_BASE_URL: gemini.baseUrl },
  });
  await rt.store.kvPut({ namespace: 'zoomcamp', key: 'GEMINI_API_KEY', type: 'STRING', value: GEMINI_KEY });
  await rt.store.kvPut({ namespace: 'zoomcamp', key: 'OPENAI_API_KEY', type: 'STRING', value: OPENAI_KEY });
});

afterAll(async () => {
  await rt?.dispose();
  await Promise.all([gemini?.close(), openai?.close(), docs?.close()]);
});

/** The entries the KV store holds for a flow's embedding store. */
async function storedTexts(flowId: string): Promise<string[]> {
  const entry = await rt.store.kvGet('zoomcamp', `${flowId}-embedding-store`);
  const store = JSON.parse(String(entry?.value)) as { entries: { embedded: { text: string } }[] };
  return store.entries.map((e) => e.embedded.text);
}

describe('IngestDocument then rag.ChatCompletion (the course flow 11_chat_with_rag shape)', () => {
  it('ingests a document from a URL into the KV store and answers with it as context', async () => {
    const execution = await rt.run(`id: chat_with_rag
namespace: zoomcamp
tasks:
  - id: ingest_release_notes
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    drop: true
    fromExternalURLs:
      - ${docs.url}/kestra-io/docs/release-1-1/index.md

  - id: chat_with_rag
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    embeddingProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    systemMessage: |
      You are a helpful assistant that answers questions about Kestra.
    prompt: |
      Which features were released in Kestra 1.1?

  - id: log_results
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.chat_with_rag.textOutput }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'ingest_release_notes')).toMatchObject({
      ingestedDocuments: 1,
      embeddingStoreOutputs: { kvName: 'chat_with_rag-embedding-store' },
    });
    // Without a documentSplitter each document is one segment, as in Kestra.
    expect(await storedTexts('chat_with_rag')).toEqual([RELEASE_NOTES]);

    const chat = outputsOf(execution, 'chat_with_rag')!;
    expect(chat.textOutput).toMatch(/^Echo: Which features were released in Kestra 1\.1\?/);
    expect(chat.textOutput).toContain('Answer using the following information:');
    expect(chat.textOutput).toContain('## Flow playground');
    expect(typeof (chat.tokenUsage as Record<string, unknown>).inputTokenCount).toBe('number');
    expect(chat.sources).toEqual([
      { content: RELEASE_NOTES, metadata: { url: `${docs.url}/kestra-io/docs/release-1-1/index.md` } },
    ]);
    const body = gemini.chatBodies().at(-1)!;
    expect(body.systemInstruction).toEqual({
      parts: [{ text: 'You are a helpful assistant that answers questions about Kestra.\n' }],
    });
    expect(gemini.requests.some((r) => r.path.endsWith('gemini-embedding-001:batchEmbedContents'))).toBe(
      true,
    );

    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).not.toContain(GEMINI_KEY);
    expect(JSON.stringify(execution.taskRunList.map((r) => r.outputs))).not.toContain(GEMINI_KEY);
  });

  it('retrieves the relevant chunk (maxResults) from split documents', async () => {
    const execution = await rt.run(`id: rag_chunks
namespace: zoomcamp
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: text-embedding-3-small
      apiKey: "{{ kv('OPENAI_API_KEY') }}"
      baseUrl: ${openai.baseUrl}
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
      kvName: chunks-store
    drop: true
    documentSplitter:
      splitter: PARAGRAPH
      maxSegmentSizeInChars: 80
      maxOverlapSizeInChars: 0
    fromDocuments:
      - content: |
          Penguins live in the southern hemisphere and cannot fly.

          Volcanoes erupt molten lava and ash from deep inside the earth.

          Sourdough bread rises slowly thanks to wild yeast and bacteria.
        metadata:
          topic: mixed
  - id: ask
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: gpt-4o-mini
      apiKey: "{{ kv('OPENAI_API_KEY') }}"
      baseUrl: ${openai.baseUrl}
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
      kvName: chunks-store
    contentRetrieverConfiguration:
      maxResults: 1
      minScore: 0.5
    prompt: Why does sourdough bread rise slowly?
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'ingest')).toMatchObject({ ingestedDocuments: 1, inputTokenCount: 30 });
    const answer = outputsOf(execution, 'ask')!;
    expect(answer.sources).toEqual([
      {
        content: 'Sourdough bread rises slowly thanks to wild yeast and bacteria.',
        metadata: { topic: 'mixed', index: '2' },
      },
    ]);
    const sent = JSON.stringify(openai.chatBodies().at(-1));
    expect(sent).toContain('wild yeast');
    expect(sent).not.toContain('Penguins');
    expect(sent).not.toContain('Volcanoes');
  });

  it('drop: true empties the store before ingesting; drop: false adds to it', async () => {
    const ingest = (id: string, text: string, drop: boolean) => `
  - id: ${id}
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-embedding-001
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    drop: ${drop}
    fromDocuments:
      - content: ${text}`;
    const first = await rt.run(`id: rag_drop
namespace: zoomcamp
tasks:${ingest('a', 'first document', true)}${ingest('b', 'second document', false)}
`);
    expect(first.state.current).toBe('SUCCESS');
    expect(await storedTexts('rag_drop')).toEqual(['first document', 'second document']);

    const second = await rt.run(`id: rag_drop
namespace: zoomcamp
tasks:${ingest('c', 'third document', true)}
`);
    expect(second.state.current).toBe('SUCCESS');
    expect(await storedTexts('rag_drop')).toEqual(['third document']);
  });

  it('fromPath ingests every file under a folder of the working directory, never outside it', async () => {
    const execution = await rt.run(`id: rag_from_path
namespace: zoomcamp
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      docs/a.md: alpha document
      docs/sub/b.txt: beta document
    tasks:
      - id: ingest
        type: io.kestra.plugin.ai.rag.IngestDocument
        provider:
          type: io.kestra.plugin.ai.provider.GoogleGemini
          modelName: gemini-embedding-001
          apiKey: "{{ kv('GEMINI_API_KEY') }}"
        embeddings:
          type: io.kestra.plugin.ai.embeddings.KestraKVStore
        drop: true
        fromPath: docs
        metadata:
          source: course
      - id: escape
        type: io.kestra.plugin.ai.rag.IngestDocument
        provider:
          type: io.kestra.plugin.ai.provider.GoogleGemini
          modelName: gemini-embedding-001
          apiKey: "{{ kv('GEMINI_API_KEY') }}"
        embeddings:
          type: io.kestra.plugin.ai.embeddings.KestraKVStore
        fromPath: ../..
`);
    expect(outputsOf(execution, 'ingest')).toMatchObject({ ingestedDocuments: 2 });
    const entry = await rt.store.kvGet('zoomcamp', 'rag_from_path-embedding-store');
    const store = JSON.parse(String(entry?.value)) as {
      entries: { embedded: { text: string; metadata: Record<string, string> } }[];
    };
    expect(
      store.entries.map((e) => [e.embedded.text, e.embedded.metadata.file_name, e.embedded.metadata.source]),
    ).toEqual([
      ['alpha document', 'a.md', 'course'],
      ['beta document', 'b.txt', 'course'],
    ]);
    expect(execution.taskRunList.find((r) => r.taskId === 'escape')?.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      "Property `fromPath`: `../..` is outside the task's working directory",
    );
  });

  it('chatting before anything was ingested, or embedding with Anthropic, fails clearly', async () => {
    const empty = await rt.run(`id: rag_nothing
namespace: zoomcamp
tasks:
  - id: ask
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    prompt: anything?
`);
    // Kestra starts from an empty store and answers without context; so does Windhover, with a warning.
    expect(empty.state.current).toBe('SUCCESS');
    expect((await rt.logs(empty.id)).join('\n')).toContain(
      'The embedding store `rag_nothing-embedding-store` is empty',
    );

    const anthropic = await rt.run(`id: rag_anthropic
namespace: zoomcamp
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.kestra.plugin.ai.provider.Anthropic
      modelName: claude-3-5-haiku-latest
      apiKey: whatever
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromDocuments:
      - content: hello
`);
    expect(anthropic.state.current).toBe('FAILED');
    expect((await rt.logs(anthropic.id)).join('\n')).toContain('Anthropic has no embedding models');
  });
});

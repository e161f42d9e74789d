/**
 * io.kestra.plugin.ai.completion.ChatCompletion through real flows, against TEST DOUBLES of the
 * Gemini, OpenAI and Anthropic HTTP APIs (see support/provider-doubles.ts). Gemini and Anthropic
 * are reached through the configuration's base-URL settings (WINDHOVER_AI_*_BASE_URL), as a
 * course flow that names no `baseUrl` would be; OpenAI through the flow's own `baseUrl`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { startProviderDouble } from './support/provider-doubles.js';
import type { ProviderDouble } from './support/provider-doubles.js';

const GEMINI_KEY = 'gemini-key-SECRET-1234567890';
const OPENAI_KEY = 'sk-openai-SECRET-0987654321';
const ANTHROPIC_KEY = 'sk-ant-SECRET-1122334455';

let rt: TestRuntime;
let gemini: ProviderDouble;
let openai: ProviderDouble;
let anthropic: ProviderDouble;

beforeAll(async () => {
  [gemini, openai, anthropic] = await Promise.all([
    startProviderDouble('gemini', GEMINI_KEY),
    startProviderDouble('openai', OPENAI_KEY),
    startProviderDouble('anthropic', ANTHROPIC_KEY),
  ]);
  rt = await startTestRuntime({
    workerConcurrency: 4,
    env: {
      ...process.env,
      WINDHOVER_AI_GEMINI_BASE_URL: gemini.baseUrl,
      WINDHOVER_AI_ANTHROPIC_BASE_URL: anthropic.baseUrl,
    },
  });
  for (const [key, value] of [
    ['GEMINI_API_KEY', GEMINI_KEY],
    ['OPENAI_API_KEY', OPENAI_KEY],
    ['ANTHROPIC_API_KEY', ANTHROPIC_KEY],
  ] as const)
    await rt.store.kvPut({ namespace: 'zoomcamp', key, type: 'STRING', value });
});

afterAll(async () => {
  await rt?.dispose();
  await Promise.all([gemini?.close(), openai?.close(), anthropic?.close()]);
});

/** Fails when a key shows up in the execution's logs or outputs. */
async function expectNoKeyLeak(executionId: string): Promise<void> {
  const logs = (await rt.logs(executionId)).join('\n');
  const execution = await rt.store.getExecution(executionId);
  const outputs = JSON.stringify(execution?.taskRunList.map((r) => r.outputs) ?? []);
  for (const key of [GEMINI_KEY, OPENAI_KEY, ANTHROPIC_KEY]) {
    expect(logs).not.toContain(key);
    expect(outputs).not.toContain(key);
  }
}

const geminiChat = (id: string, extra = '') => `id: ${id}
namespace: zoomcamp
tasks:
  - id: chat_without_rag
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    messages:
      - type: USER
        content: |
          Which features were released in Kestra 1.1?
${extra}
  - id: log_results
    type: io.kestra.plugin.core.log.Log
    message: |
      Response WITHOUT RAG:
      {{ outputs.chat_without_rag.textOutput }}
`;

describe('ChatCompletion with GoogleGemini (the course flow 10_chat_without_rag shape)', () => {
  it('calls generateContent at the configured endpoint and gives textOutput, tokenUsage and finishReason', async () => {
    const before = gemini.requests.length;
    const execution = await rt.run(geminiChat('chat_gemini'));
    expect(execution.state.current).toBe('SUCCESS');
    const outputs = outputsOf(execution, 'chat_without_rag')!;
    expect(outputs.textOutput).toBe('Echo: Which features were released in Kestra 1.1?\n');
    expect(outputs.finishReason).toBe('STOP');
    expect(outputs.tokenUsage).toEqual({ inputTokenCount: 7, outputTokenCount: 8, totalTokenCount: 15 });
    expect(typeof outputs.requestDuration).toBe('number');

    const request = gemini.requests[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe(GEMINI_KEY);
    expect(JSON.parse(request.body.toString())).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Which features were released in Kestra 1.1?\n' }] }],
    });
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'Response WITHOUT RAG:\nEcho: Which features were released in Kestra 1.1?',
    );
    await expectNoKeyLeak(execution.id);
  });

  it('sends the system message apart and the chat configuration as generationConfig', async () => {
    const execution = await rt.run(`id: chat_gemini_config
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    configuration:
      temperature: 0.2
      topK: 40
      topP: 0.9
      seed: 42
      maxToken: 256
    messages:
      - type: SYSTEM
        content: Answer briefly.
      - type: USER
        content: Hello
      - type: AI
        content: Hi, how can I help?
      - type: USER
        content: Name a river.
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'chat')!.textOutput).toBe('Echo: Name a river.');
    expect(gemini.chatBodies().at(-1)).toEqual({
      systemInstruction: { parts: [{ text: 'Answer briefly.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hello' }] },
        { role: 'model', parts: [{ text: 'Hi, how can I help?' }] },
        { role: 'user', parts: [{ text: 'Name a river.' }] },
      ],
      generationConfig: { temperature: 0.2, topK: 40, topP: 0.9, seed: 42, maxOutputTokens: 256 },
    });
  });

  it('a 500 answer fails the task with the provider, the status and its message', async () => {
    gemini.failNext({ status: 500 });
    const execution = await rt.run(geminiChat('chat_gemini_500'));
    expect(execution.state.current).toBe('FAILED');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toMatch(
      /Google Gemini generateContent http:\/\/127\.0\.0\.1:\d+\/v1beta\/models\/gemini-2\.5-flash:generateContent answered 500 Internal Server Error: simulated failure 500/,
    );
    await expectNoKeyLeak(execution.id);
  });

  it('a malformed JSON answer fails the task clearly', async () => {
    gemini.failNext('malformed');
    const execution = await rt.run(geminiChat('chat_gemini_malformed'));
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toMatch(
      /Google Gemini generateContent .* answered malformed JSON/,
    );
  });

  it('429 is retried with backoff as the task retry says, then succeeds', async () => {
    gemini.failNext({ status: 429 }, { status: 429 });
    const execution = await rt.run(
      geminiChat(
        'chat_gemini_429',
        `    retry:
      type: exponential
      interval: PT0.05S
      maxInterval: PT1S
      maxAttempts: 4`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const run = execution.taskRunList.find((r) => r.taskId === 'chat_without_rag')!;
    expect(run.attempts.map((a) => a.state.current)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
    expect((await rt.logs(execution.id)).join('\n')).toContain('is rate limiting (429');
  });

  it('429 without a task retry fails, saying to add one', async () => {
    gemini.failNext({ status: 429 });
    const execution = await rt.run(geminiChat('chat_gemini_429_no_retry'));
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toMatch(
      /is rate limiting \(429 Too Many Requests\): simulated failure 429; add a `retry` to the task/,
    );
  });

  it('a wrong key fails clearly and the key stays out of logs and outputs', async () => {
    await rt.store.kvPut({
      namespace: 'zoomcamp',
      key: 'WRONG_KEY',
      type: 'STRING',
      value: 'wrong-SECRET-key-777',
    });
    const execution = await rt.run(
      geminiChat('chat_gemini_badkey').replace("kv('GEMINI_API_KEY')", "kv('WRONG_KEY')"),
    );
    expect(execution.state.current).toBe('FAILED');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toContain('answered 400 Bad Request: API key not valid');
    expect(logs).not.toContain('wrong-SECRET-key-777');
  });

  it('the last message must be USER, also when a type is only known at run time', async () => {
    const execution = await rt.run(`id: chat_bad_messages
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    messages:
      - type: USER
        content: Hello
      - type: "{{ 'AI' }}"
        content: Hi
`);
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain('the last message must be a USER message');
  });
});

describe('ChatCompletion with OpenAI (and OpenAI-compatible servers through baseUrl)', () => {
  it('calls chat/completions with the bearer key and maps messages, configuration and usage', async () => {
    const execution = await rt.run(`id: chat_openai
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: llama3.2
      apiKey: "{{ kv('OPENAI_API_KEY') }}"
      baseUrl: ${openai.baseUrl}
    configuration:
      temperature: 0.5
      seed: 7
      maxToken: 100
    messages:
      - type: SYSTEM
        content: Be brief.
      - type: USER
        content: Say hello
`);
    expect(execution.state.current).toBe('SUCCESS');
    const outputs = outputsOf(execution, 'chat')!;
    expect(outputs).toMatchObject({
      textOutput: 'Echo: Say hello',
      finishReason: 'STOP',
      tokenUsage: { inputTokenCount: 4, outputTokenCount: 3, totalTokenCount: 7 },
    });
    const request = openai.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(JSON.parse(request.body.toString())).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      temperature: 0.5,
      seed: 7,
      max_tokens: 100,
    });
    await expectNoKeyLeak(execution.id);
  });

  it('refuses topK, which OpenAI does not take (as Kestra does)', async () => {
    const execution = await rt.run(`id: chat_openai_topk
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: gpt-4o-mini
      apiKey: "{{ kv('OPENAI_API_KEY') }}"
      baseUrl: ${openai.baseUrl}
    configuration:
      topK: 3
    messages:
      - type: USER
        content: hi
`);
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'OpenAI models do not support `configuration.topK`',
    );
  });
});

describe('ChatCompletion with Anthropic', () => {
  it('calls messages with x-api-key and anthropic-version, system apart, max_tokens set', async () => {
    const execution = await rt.run(`id: chat_anthropic
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.Anthropic
      modelName: claude-3-5-haiku-latest
      apiKey: "{{ kv('ANTHROPIC_API_KEY') }}"
    messages:
      - type: SYSTEM
        content: Be brief.
      - type: USER
        content: Say hello
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'chat')).toMatchObject({
      textOutput: 'Echo: Say hello',
      finishReason: 'STOP',
      tokenUsage: { inputTokenCount: 2, outputTokenCount: 3, totalTokenCount: 5 },
    });
    const request = anthropic.requests.at(-1)!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(request.body.toString())).toEqual({
      model: 'claude-3-5-haiku-latest',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
      max_tokens: 1024,
    });
    await expectNoKeyLeak(execution.id);
  });

  it('a 500 from Anthropic fails with its error message; seed is refused as Kestra does', async () => {
    anthropic.failNext({ status: 500 });
    const failed = await rt.run(`id: chat_anthropic_500
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.Anthropic
      modelName: claude-3-5-haiku-latest
      apiKey: "{{ kv('ANTHROPIC_API_KEY') }}"
    messages:
      - type: USER
        content: hi
`);
    expect(failed.state.current).toBe('FAILED');
    expect((await rt.logs(failed.id)).join('\n')).toMatch(
      /Anthropic messages http:\/\/127\.0\.0\.1:\d+\/v1\/messages answered 500 Internal Server Error: simulated failure 500/,
    );

    const seeded = await rt.run(`id: chat_anthropic_seed
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.Anthropic
      modelName: claude-3-5-haiku-latest
      apiKey: "{{ kv('ANTHROPIC_API_KEY') }}"
    configuration:
      seed: 1
    messages:
      - type: USER
        content: hi
`);
    expect(seeded.state.current).toBe('FAILED');
    expect((await rt.logs(seeded.id)).join('\n')).toContain(
      'Anthropic models do not support `configuration.seed`',
    );
  });
});

/**
 * `ai.geminiBaseUrl` / `ai.openaiBaseUrl` / `ai.anthropicBaseUrl` of the server configuration:
 * read from the file or from WINDHOVER_AI_*_BASE_URL (which win), checked, and handed to the
 * worker's tasks, so a course flow that names no `baseUrl` reaches the endpoint the configuration
 * names (here a TEST DOUBLE of the Gemini API, see test/plugins/ai/support/provider-doubles.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeConfig, resolveServerConfig } from '../../src/server/config.js';
import { runtimeOptionsOf } from '../../src/server/open-store.js';
import { outputsOf, startTestRuntime } from '../engine/support/runtime.js';
import { startProviderDouble } from '../plugins/ai/support/provider-doubles.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-config-ai-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const withFile = (yaml: string) => writeFileSync(join(dir, 'windhover.yml'), yaml);

describe('AI provider endpoints in the server configuration', () => {
  it('reads them from the file; the environment variables win; a bad URL is refused by name', () => {
    withFile(
      'ai:\n  geminiBaseUrl: http://127.0.0.1:9001/v1beta\n  anthropicBaseUrl: http://127.0.0.1:9003/v1\n',
    );
    expect(resolveServerConfig({ env: {}, cwd: dir }).ai).toEqual({
      geminiBaseUrl: 'http://127.0.0.1:9001/v1beta',
      anthropicBaseUrl: 'http://127.0.0.1:9003/v1',
    });
    const config = resolveServerConfig({
      env: {
        WINDHOVER_AI_OPENAI_BASE_URL: 'http://ollama:11434/v1',
        WINDHOVER_AI_GEMINI_BASE_URL: 'http://gw/v1beta',
      },
      cwd: dir,
    });
    expect(config.ai).toEqual({
      geminiBaseUrl: 'http://gw/v1beta',
      openaiBaseUrl: 'http://ollama:11434/v1',
      anthropicBaseUrl: 'http://127.0.0.1:9003/v1',
    });
    expect(describeConfig(config)).toContain('ai.openaiBaseUrl http://ollama:11434/v1');
    withFile('ai:\n  geminiBaseUrl: "not a url"\n');
    expect(() => resolveServerConfig({ env: {}, cwd: dir })).toThrow(
      /ai\.geminiBaseUrl: expected an http\(s\) URL/,
    );
  });

  it("hands them to the worker's tasks: a flow without baseUrl calls the configured endpoint", async () => {
    const gemini = await startProviderDouble('gemini', 'config-key-SECRET');
    try {
      withFile(`ai:\n  geminiBaseUrl: ${gemini.baseUrl}\n`);
      const options = runtimeOptionsOf(resolveServerConfig({ env: {}, cwd: dir }));
      expect(options.env?.WINDHOVER_AI_GEMINI_BASE_URL).toBe(gemini.baseUrl);
      const rt = await startTestRuntime({ env: options.env });
      try {
        await rt.store.kvPut({
          namespace: 'zoomcamp',
          key: 'GEMINI_API_KEY',
          type: 'STRING',
          value: 'config-key-SECRET',
        });
        const execution = await rt.run(`id: chat_config
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
        content: ping`);
        expect(execution.state.current).toBe('SUCCESS');
        expect(outputsOf(execution, 'chat')?.textOutput).toBe('Echo: ping');
        expect(gemini.requests).toHaveLength(1);
      } finally {
        await rt.dispose();
      }
    } finally {
      await gemini.close();
    }
  });
});

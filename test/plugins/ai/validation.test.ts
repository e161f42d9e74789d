/** Validation of the AI tasks before they run: message order, and the course flows' shapes. */
import { describe, expect, it } from 'vitest';
import { errorsOf } from '../../helpers.js';

const chat = (messages: string) => `id: chat
namespace: zoomcamp
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ kv('GEMINI_API_KEY') }}"
    messages:
${messages}`;

describe('ChatCompletion validation', () => {
  it('refuses two SYSTEM messages, or a last message that is not USER, before the flow runs', () => {
    expect(
      errorsOf(
        chat(`      - type: SYSTEM
        content: a
      - type: SYSTEM
        content: b
      - type: USER
        content: c`),
      ),
    ).toEqual([expect.stringMatching(/^\d+:\d+ only one SYSTEM message is allowed/)]);
    expect(
      errorsOf(
        chat(`      - type: USER
        content: a
      - type: AI
        content: b`),
      ),
    ).toEqual([expect.stringMatching(/^\d+:\d+ the last message must be a USER message/)]);
  });

  it('accepts a conversation, and messages given by an expression', () => {
    expect(
      errorsOf(
        chat(`      - type: SYSTEM
        content: a
      - type: USER
        content: b
      - type: AI
        content: c
      - type: USER
        content: d`),
      ),
    ).toEqual([]);
    expect(
      errorsOf(chat(`      "{{ inputs.messages }}"`).replace('    messages:\n', '    messages: ')),
    ).toEqual([]);
  });

  it('names what is wrong with a provider or a store Windhover does not have', () => {
    const errors = errorsOf(
      chat(`      - type: USER
        content: hi`).replace('provider.GoogleGemini', 'provider.Ollama'),
    );
    expect(errors.join('\n')).toContain('`provider.type` of task `chat` must be one of');
    expect(errors.join('\n')).toContain('got `io.kestra.plugin.ai.provider.Ollama`');
  });
});

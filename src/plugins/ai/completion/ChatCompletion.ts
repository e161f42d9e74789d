import { defineTask } from '../../api.js';
import {
  CHAT_OUTPUTS,
  checkMessages,
  chatConfigurationOf,
  chatConfigurationProp,
  chatOutputs,
  logUsage,
  messagesOf,
  messagesProp,
} from '../chat.js';
import { modelClientOf, providerProp } from '../providers/props.js';

export default defineTask({
  type: 'io.kestra.plugin.ai.completion.ChatCompletion',
  aliases: [
    'io.kestra.plugin.langchain4j.ChatCompletion',
    'io.kestra.plugin.langchain4j.completion.ChatCompletion',
  ],
  title: 'Chat with a language model',
  description:
    'Sends a conversation (`messages`) to a model of Google Gemini, OpenAI (or an OpenAI-compatible server such as Ollama) or Anthropic over its REST API and outputs the answer (`textOutput`, or `jsonOutput` with a JSON `responseFormat`), the token usage and the finish reason. ' +
    'A rate-limited call (429) fails the attempt: give the task a `retry` to try again with backoff. Tools, guardrails and multimodal `contentBlocks` are not supported yet.',
  properties: {
    provider: providerProp('The model provider').required(),
    messages: messagesProp,
    configuration: chatConfigurationProp,
  },
  check: (props, report) => checkMessages(props.messages, report),
  outputs: {
    ...CHAT_OUTPUTS,
    aiResponse: { type: 'string', description: 'Deprecated in Kestra: the same as `textOutput`.' },
  },
  async run(ctx, props) {
    const client = modelClientOf(ctx, props.provider, 'provider');
    const messages = messagesOf(props.messages);
    const configuration = chatConfigurationOf(props.configuration, ctx.logger);
    const started = Date.now();
    const result = await client.chat(messages, configuration);
    logUsage(ctx.logger, client.label, result);
    const outputs = chatOutputs(result, configuration, Date.now() - started);
    ctx.logger.debug(`AI response: ${result.text}`);
    return {
      outputs: {
        ...outputs,
        ...(outputs.textOutput !== undefined ? { aiResponse: outputs.textOutput } : {}),
      },
    };
  },
  examples: [
    {
      title: 'Ask Google Gemini a question',
      code: `id: chat_completion
namespace: company.ai
inputs:
  - id: prompt
    type: STRING
    defaults: Summarize what an orchestrator does in one sentence.
tasks:
  - id: chat_completion
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
      modelName: gemini-2.5-flash
    messages:
      - type: SYSTEM
        content: You are a helpful assistant, answer concisely.
      - type: USER
        content: "{{ inputs.prompt }}"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.chat_completion.textOutput }}"`,
    },
    {
      title: 'Chat with a local Ollama model through its OpenAI-compatible API',
      code: `id: chat_ollama
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      baseUrl: http://localhost:11434/v1
      apiKey: ollama
      modelName: llama3.2
    configuration:
      temperature: 0.2
    messages:
      - type: USER
        content: Name three rivers of France.`,
    },
  ],
});

/**
 * The `provider` property of the AI tasks (`chatProvider`/`embeddingProvider` in rag tasks):
 * Kestra's model providers GoogleGemini, OpenAI (which covers OpenAI-compatible servers such as
 * Ollama through `baseUrl`) and Anthropic, each under its langchain4j-era alias too.
 */
import { TaskFailure, isRecord, p, toText } from '../../api.js';
import type { Prop, TaskContext } from '../../api.js';
import { anthropicClient } from './anthropic.js';
import { baseUrlOf } from './endpoint.js';
import type { ProviderKind } from './endpoint.js';
import { geminiClient } from './gemini.js';
import { openAiClient } from './openai.js';
import type { ModelClient } from './types.js';

const PROVIDER_TYPES: Readonly<Record<string, ProviderKind>> = {
  'io.kestra.plugin.ai.provider.GoogleGemini': 'gemini',
  'io.kestra.plugin.ai.provider.OpenAI': 'openai',
  'io.kestra.plugin.ai.provider.Anthropic': 'anthropic',
  'io.kestra.plugin.langchain4j.provider.GoogleGemini': 'gemini',
  'io.kestra.plugin.langchain4j.provider.OpenAI': 'openai',
  'io.kestra.plugin.langchain4j.provider.Anthropic': 'anthropic',
};

const DEFAULT_ENDPOINT: Record<ProviderKind, string> = {
  gemini: '`https://generativelanguage.googleapis.com/v1beta`',
  openai:
    '`https://api.openai.com/v1`; an OpenAI-compatible server such as Ollama: `http://localhost:11434/v1`',
  anthropic: '`https://api.anthropic.com/v1`',
};

const ENV_NAME: Record<ProviderKind, string> = {
  gemini: 'WINDHOVER_AI_GEMINI_BASE_URL',
  openai: 'WINDHOVER_AI_OPENAI_BASE_URL',
  anthropic: 'WINDHOVER_AI_ANTHROPIC_BASE_URL',
};

function shapeOf(type: string, kind: ProviderKind): Record<string, Prop> {
  return {
    type: p.enum([type], { dynamic: false }).required(),
    modelName: p
      .string()
      .required()
      .describe(
        'The model, such as `gemini-2.5-flash`, `gpt-4o-mini`, `claude-3-5-haiku-latest` or an embedding model.',
      ),
    apiKey: p
      .string()
      .required()
      .describe("The API key, e.g. `{{ secret('GEMINI_API_KEY') }}`; masked in logs and never in outputs."),
    baseUrl: p
      .string()
      .describe(
        `The API's base URL, with its version path. Default: the \`${ENV_NAME[kind]}\` setting of the worker when set, else ${DEFAULT_ENDPOINT[kind]}.`,
      ),
    clientPem: p.string().describe('Not supported by Windhover yet (client certificate for mTLS endpoints).'),
    caPem: p.string().describe('Not supported by Windhover yet (CA certificate of a custom endpoint).'),
  };
}

/** The provider property, with `title` saying what it is for. */
export function providerProp(title: string): Prop {
  const variants: Record<string, Record<string, Prop>> = {};
  for (const [type, kind] of Object.entries(PROVIDER_TYPES)) variants[type] = shapeOf(type, kind);
  return p
    .variant('type', variants)
    .describe(
      `${title}: \`io.kestra.plugin.ai.provider.GoogleGemini\`, \`io.kestra.plugin.ai.provider.OpenAI\` (also OpenAI-compatible servers such as Ollama, through \`baseUrl\`) or \`io.kestra.plugin.ai.provider.Anthropic\` (chat only), with \`modelName\`, \`apiKey\` and optional \`baseUrl\`.`,
    );
}

/** The client of a rendered provider property; masks its API key first. */
export function modelClientOf(ctx: TaskContext, value: unknown, property: string): ModelClient {
  if (!isRecord(value)) throw new TaskFailure(`Property \`${property}\` is required`);
  const kind = PROVIDER_TYPES[toText(value.type ?? '')];
  if (!kind)
    throw new TaskFailure(`Property \`${property}.type\`: unknown provider \`${toText(value.type ?? '')}\``);
  const apiKey = toText(value.apiKey ?? '');
  if (apiKey) ctx.maskSecret(apiKey);
  if (value.clientPem != null || value.caPem != null)
    throw new TaskFailure(
      `Property \`${property}\`: \`clientPem\` and \`caPem\` are not supported by Windhover yet; reach the endpoint without client certificates`,
    );
  const modelName = toText(value.modelName ?? '').trim();
  if (!modelName) throw new TaskFailure(`Property \`${property}.modelName\` is required`);
  const baseUrl = baseUrlOf(ctx, kind, value.baseUrl == null ? undefined : toText(value.baseUrl), property);
  const settings = { ctx, modelName, apiKey, baseUrl };
  switch (kind) {
    case 'gemini':
      return geminiClient(settings);
    case 'openai':
      return openAiClient(settings);
    case 'anthropic':
      return anthropicClient(settings);
  }
}

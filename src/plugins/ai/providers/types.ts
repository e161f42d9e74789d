/** What the AI tasks ask of a model provider, whichever its HTTP API. */
import type { TaskContext } from '../../api.js';

/** Kestra's (langchain4j's) chat message roles. */
export type ChatRole = 'SYSTEM' | 'USER' | 'AI';

export interface ChatMessage {
  role: ChatRole;
  text: string;
}

/** Kestra's `configuration` (`chatConfiguration` in rag.ChatCompletion), rendered. */
export interface ChatConfiguration {
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  maxToken?: number;
  logRequests?: boolean;
  logResponses?: boolean;
  responseFormat?: {
    type?: 'TEXT' | 'JSON';
    jsonSchema?: Record<string, unknown>;
    jsonSchemaDescription?: string;
  };
}

/** langchain4j's FinishReason, which Kestra outputs. */
export type FinishReason = 'STOP' | 'LENGTH' | 'TOOL_EXECUTION' | 'CONTENT_FILTER' | 'OTHER';

/** Kestra's TokenUsage output. */
export interface TokenUsage {
  inputTokenCount?: number;
  outputTokenCount?: number;
  totalTokenCount?: number;
}

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  tokenUsage?: TokenUsage;
}

export interface EmbeddingResult {
  vectors: number[][];
  tokenUsage?: TokenUsage;
}

/** One provider's client, bound to its model, key and endpoint. */
export interface ModelClient {
  /** How messages name the provider (`Google Gemini`). */
  readonly label: string;
  chat(messages: readonly ChatMessage[], configuration: ChatConfiguration): Promise<ChatResult>;
  embed(texts: readonly string[]): Promise<EmbeddingResult>;
}

/** Sums token usages (several embedding batches). */
export function addUsage(a: TokenUsage | undefined, b: TokenUsage | undefined): TokenUsage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  return compactUsage({
    inputTokenCount: sum(a.inputTokenCount, b.inputTokenCount),
    outputTokenCount: sum(a.outputTokenCount, b.outputTokenCount),
    totalTokenCount: sum(a.totalTokenCount, b.totalTokenCount),
  });
}

/** A usage without its unknown counts; the total is the sum when the provider gives none. */
export function compactUsage(usage: {
  inputTokenCount?: number | undefined;
  outputTokenCount?: number | undefined;
  totalTokenCount?: number | undefined;
}): TokenUsage {
  const { inputTokenCount, outputTokenCount } = usage;
  const totalTokenCount =
    usage.totalTokenCount ??
    (inputTokenCount !== undefined || outputTokenCount !== undefined
      ? (inputTokenCount ?? 0) + (outputTokenCount ?? 0)
      : undefined);
  return {
    ...(inputTokenCount !== undefined ? { inputTokenCount } : {}),
    ...(outputTokenCount !== undefined ? { outputTokenCount } : {}),
    ...(totalTokenCount !== undefined ? { totalTokenCount } : {}),
  };
}

/** What a provider client is made from (the rendered provider property). */
export interface ClientSettings {
  ctx: Pick<TaskContext, 'signal' | 'logger'>;
  modelName: string;
  apiKey: string;
  /** Without a trailing slash, with the API version path. */
  baseUrl: string;
}

/** The system message (at most one) and the others, in order. */
export function splitSystem(messages: readonly ChatMessage[]): { system?: string; rest: ChatMessage[] } {
  const system = messages.find((m) => m.role === 'SYSTEM')?.text;
  return { ...(system !== undefined ? { system } : {}), rest: messages.filter((m) => m.role !== 'SYSTEM') };
}

/** Whether a value is a finite number (token counts in answers). */
export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

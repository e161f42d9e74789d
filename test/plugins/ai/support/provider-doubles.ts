/**
 * TEST DOUBLES of the AI providers' HTTP APIs (Google Gemini, OpenAI, Anthropic), which cannot be
 * reached from here. Each is a real HTTP server on 127.0.0.1 answering the documented request
 * paths in the documented JSON shapes, errors included:
 *
 * - Gemini: `POST /v1beta/models/{model}:generateContent`, `…:batchEmbedContents`, `…:embedContent`
 *   (key in `x-goog-api-key`); errors `{ error: { code, message, status } }`.
 * - OpenAI: `POST /v1/chat/completions`, `POST /v1/embeddings` (`Authorization: Bearer`);
 *   errors `{ error: { message, type, code } }`.
 * - Anthropic: `POST /v1/messages` (`x-api-key`, `anthropic-version`); errors
 *   `{ type: "error", error: { type, message } }`. No embeddings API.
 *
 * The chat answer is deterministic: `Echo: ` and the last user message. Embeddings are a
 * bag-of-words hashing into 64 dimensions (normalised), so texts sharing words are close.
 * `failNext` queues faults answered before the normal answer: an HTTP status with the
 * provider's error body, or a malformed JSON body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, startHttpServer } from '../../support/http-server.js';
import type { ReceivedRequest, TestServer } from '../../support/http-server.js';

export type ProviderName = 'gemini' | 'openai' | 'anthropic';

/** A queued fault: an HTTP error status, or a 200 with a body that is not JSON. */
export type Fault = { status: number } | 'malformed';

export interface ProviderDouble {
  /** The base URL Kestra's `baseUrl` takes (with the API version path). */
  baseUrl: string;
  /** The server's origin, `http://127.0.0.1:<port>`. */
  origin: string;
  requests: ReceivedRequest[];
  /** Bodies of the chat requests, parsed. */
  chatBodies(): Record<string, unknown>[];
  failNext(...faults: Fault[]): void;
  close(): Promise<void>;
}

export const DIMENSIONS = 64;

/** The double's embedding of a text: words hashed into buckets, then normalised. */
export function bagOfWords(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (const ch of word) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
    vector[hash % DIMENSIONS]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

const tokens = (text: string) => (text.match(/\S+/g) ?? []).length;

/** Starts the double of one provider; `apiKey` is the only key it accepts. */
export async function startProviderDouble(provider: ProviderName, apiKey: string): Promise<ProviderDouble> {
  const faults: Fault[] = [];
  const chatPaths: string[] = [];
  const answerFault = (res: ServerResponse): boolean => {
    const fault = faults.shift();
    if (!fault) return false;
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"candidates": [ {"content": ');
      return true;
    }
    json(res, fault.status, errorBody(provider, fault.status, `simulated failure ${fault.status}`));
    return true;
  };
  const guard = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (keyOf(provider, req) !== apiKey) {
      const status = provider === 'gemini' ? 400 : 401;
      json(res, status, errorBody(provider, status, 'API key not valid. Please pass a valid API key.'));
      return false;
    }
    return !answerFault(res);
  };

  let server: TestServer;
  if (provider === 'gemini') {
    // Gemini's paths hold the model name (`models/gemini-2.5-flash:generateContent`): route by suffix.
    const routes = {
      generateContent: (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as {
          contents: { role: string; parts: { text: string }[] }[];
        };
        const last =
          request.contents
            .at(-1)
            ?.parts.map((p) => p.text)
            .join('') ?? '';
        const prompt = request.contents.flatMap((c) => c.parts.map((p) => p.text)).join(' ');
        json(res, 200, {
          candidates: [
            {
              content: { role: 'model', parts: [{ text: `Echo: ${last}` }] },
              finishReason: 'STOP',
              index: 0,
            },
          ],
          usageMetadata: {
            promptTokenCount: tokens(prompt),
            candidatesTokenCount: tokens(last) + 1,
            totalTokenCount: tokens(prompt) + tokens(last) + 1,
          },
          modelVersion: 'gemini-double',
          responseId: 'gemini-response-1',
        });
      },
      batchEmbedContents: (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as {
          requests: { content: { parts: { text: string }[] } }[];
        };
        json(res, 200, {
          embeddings: request.requests.map((r) => ({
            values: bagOfWords(r.content.parts.map((p) => p.text).join('')),
          })),
        });
      },
      embedContent: (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as { content: { parts: { text: string }[] } };
        json(res, 200, {
          embedding: { values: bagOfWords(request.content.parts.map((p) => p.text).join('')) },
        });
      },
    };
    server = await startGeminiServer(routes, chatPaths);
  } else if (provider === 'openai') {
    chatPaths.push('/v1/chat/completions');
    server = await startHttpServer({
      '/v1/chat/completions': (req, res, body) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as { messages: { role: string; content: string }[] };
        const last = request.messages.at(-1)?.content ?? '';
        const prompt = request.messages.map((m) => m.content).join(' ');
        json(res, 200, {
          id: 'chatcmpl-double-1',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'gpt-double',
          choices: [
            { index: 0, message: { role: 'assistant', content: `Echo: ${last}` }, finish_reason: 'stop' },
          ],
          usage: {
            prompt_tokens: tokens(prompt),
            completion_tokens: tokens(last) + 1,
            total_tokens: tokens(prompt) + tokens(last) + 1,
          },
        });
      },
      '/v1/embeddings': (req, res, body) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as { input: string | string[] };
        const inputs = Array.isArray(request.input) ? request.input : [request.input];
        const used = inputs.reduce((n, t) => n + tokens(t), 0);
        json(res, 200, {
          object: 'list',
          data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: bagOfWords(t) })),
          model: 'embedding-double',
          usage: { prompt_tokens: used, total_tokens: used },
        });
      },
    });
  } else {
    chatPaths.push('/v1/messages');
    server = await startHttpServer({
      '/v1/messages': (req, res, body) => {
        if (!guard(req, res)) return;
        const request = JSON.parse(body.toString()) as { messages: { role: string; content: string }[] };
        const last = request.messages.at(-1)?.content ?? '';
        const prompt = request.messages.map((m) => m.content).join(' ');
        json(res, 200, {
          id: 'msg_double_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-double',
          content: [{ type: 'text', text: `Echo: ${last}` }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: tokens(prompt), output_tokens: tokens(last) + 1 },
        });
      },
    });
  }
  const basePath = provider === 'gemini' ? '/v1beta' : '/v1';
  return {
    baseUrl: `${server.url}${basePath}`,
    origin: server.url,
    requests: server.requests,
    chatBodies: () =>
      server.requests
        .filter((r) => chatPaths.some((p) => r.path.split('?')[0]!.endsWith(p)))
        .map((r) => JSON.parse(r.body.toString()) as Record<string, unknown>),
    failNext: (...more) => faults.push(...more),
    close: () => server.close(),
  };
}

/** The Gemini double: routes by the method after the model name (`…/models/NAME:method`). */
async function startGeminiServer(
  routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: Buffer) => void>,
  chatPaths: string[],
): Promise<TestServer> {
  const { createServer } = await import('node:http');
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const match = /^\/v1beta\/models\/[^/:]+:(\w+)$/.exec((req.url ?? '').split('?')[0]!);
      const route = match ? routes[match[1]!] : undefined;
      if (!route || req.method !== 'POST') {
        json(res, 404, errorBody('gemini', 404, `no route for ${req.method} ${req.url}`));
        return;
      }
      route(req, res, body);
    });
  });
  chatPaths.push(':generateContent');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function keyOf(provider: ProviderName, req: IncomingMessage): string | undefined {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (provider === 'gemini')
    return (
      header('x-goog-api-key') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? undefined
    );
  if (provider === 'openai') return header('authorization')?.replace(/^Bearer /, '');
  return header('x-api-key');
}

function errorBody(provider: ProviderName, status: number, message: string): unknown {
  const statusName: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
  };
  if (provider === 'gemini')
    return { error: { code: status, message, status: statusName[status] ?? 'UNKNOWN' } };
  if (provider === 'openai')
    return {
      error: {
        message,
        type:
          status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: null,
      },
    };
  return {
    type: 'error',
    error: {
      type: status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'authentication_error',
      message,
    },
  };
}

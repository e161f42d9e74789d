/**
 * The KV store of a namespace, with Kestra's paths and shapes: list the entries, get one as
 * `{ type, value }`, put a value (typed from its text, as Kestra does, with a `ttl` header) and
 * delete one (Kestra answers `true`, or `false` when there was nothing to delete).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JsonTooDeepError, parseJsonBounded } from '../../bounded-json.js';
import { checkKvKey } from '../../engine/worker/kv-keys.js';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { parseIsoDuration } from '../../flow/duration.js';
import type { KvEntry, KvType } from '../../store/contract.js';
import type { ServerDeps } from '../deps.js';
import { jsonTooDeep } from '../json-body.js';
import { namespaceParam } from './namespace-param.js';

/** One entry of a KV list (Kestra's `KVEntry`, plus the type). */
export interface KvEntryView {
  namespace: string;
  key: string;
  type: KvType;
  description?: string;
  creationDate: string;
  updateDate: string;
  expirationDate?: string;
}

interface KvParams {
  namespace: string;
  key: string;
}

const TAGS = ['KV'];
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The list view of a stored entry. */
export function kvEntryView(entry: KvEntry): KvEntryView {
  return {
    namespace: entry.namespace,
    key: entry.key,
    type: entry.type,
    ...(entry.description !== undefined ? { description: entry.description } : {}),
    creationDate: entry.created,
    updateDate: entry.updated,
    ...(entry.expiresAt !== undefined ? { expirationDate: entry.expiresAt } : {}),
  };
}

/**
 * A value sent as text, typed the way Kestra reads it (its Ion parser): JSON literals keep their
 * type (`12` NUMBER, `true` BOOLEAN, `{"a":1}` JSON, `"abc"` STRING), bare ISO dates and
 * date-times are DATE and DATETIME, bare ISO durations DURATION, and any other text a STRING.
 */
export function typedKvValue(text: string): { type: KvType; value: unknown } {
  const trimmed = text.trim();
  try {
    const value = parseJsonBounded(trimmed);
    if (typeof value === 'number') return { type: 'NUMBER', value };
    if (typeof value === 'boolean') return { type: 'BOOLEAN', value };
    if (typeof value === 'string') return { type: 'STRING', value };
    return { type: 'JSON', value };
  } catch (error) {
    if (error instanceof JsonTooDeepError) throw jsonTooDeep('The value');
    // Not JSON: a date, a duration or plain text.
  }
  if (DATE_TEXT.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return { type: 'DATE', value: trimmed };
  if (DATETIME_TEXT.test(trimmed) && !Number.isNaN(Date.parse(trimmed)))
    return { type: 'DATETIME', value: trimmed };
  if (/^[-+]?P/i.test(trimmed) && parseIsoDuration(trimmed) !== undefined)
    return { type: 'DURATION', value: trimmed.toUpperCase() };
  return { type: 'STRING', value: text };
}

/** The typed value of a PUT body: raw text (Kestra's text/plain) or JSON already parsed. */
function bodyValue(request: FastifyRequest): { type: KvType; value: unknown } {
  const body = request.body;
  const json = /^application\/([\w.+-]*\+)?json/i.test(request.headers['content-type'] ?? '');
  // A string Fastify parsed from JSON was quoted: it is text, whatever it looks like.
  if (typeof body === 'string') return json ? { type: 'STRING', value: body } : typedKvValue(body);
  if (body === undefined)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      'The request body is the value to store (send it as text/plain, e.g. `"abc"`, `12` or `{"a":1}`)',
    );
  if (typeof body === 'number') return { type: 'NUMBER', value: body };
  if (typeof body === 'boolean') return { type: 'BOOLEAN', value: body };
  return { type: 'JSON', value: body };
}

/** The `ttl` header as an expiry instant, or undefined without one. */
function expiryOf(request: FastifyRequest): string | undefined {
  const header = request.headers.ttl;
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header[0] : header;
  const ms = text === undefined ? undefined : parseIsoDuration(text);
  if (ms === undefined || ms <= 0)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      `The ttl header ${JSON.stringify(text)} is not a positive ISO-8601 duration such as PT1H or P7D`,
    );
  return new Date(Date.now() + ms).toISOString();
}

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Registers the KV routes. */
export function registerKvRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;

  app.get<{ Params: { namespace: string } }>(
    '/namespaces/:namespace/kv',
    { schema: { summary: 'List the KV entries of a namespace (not the expired ones)', tags: TAGS } },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      return (await store.kvList(namespace)).map(kvEntryView);
    },
  );

  app.get<{ Params: KvParams }>(
    '/namespaces/:namespace/kv/:key',
    { schema: { summary: 'Get the value of a KV key, as { type, value }', tags: TAGS } },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      const key = checkKvKey(request.params.key);
      const entry = await store.kvGet(namespace, key);
      if (!entry)
        throw new WindhoverError(
          ErrorCodes.KV_NOT_FOUND,
          `No value found for key '${key}' in namespace '${namespace}' (or it expired)`,
        );
      return { type: entry.type, value: entry.value };
    },
  );

  app.put<{ Params: KvParams }>(
    '/namespaces/:namespace/kv/:key',
    {
      schema: {
        summary: 'Put a KV value: the body is the value as text; headers `ttl` (ISO-8601) and `description`',
        tags: TAGS,
      },
    },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      const key = checkKvKey(request.params.key);
      const { type, value } = bodyValue(request);
      const expiresAt = expiryOf(request);
      const description = headerText(request, 'description');
      const entry = await store.kvPut({
        namespace,
        key,
        type,
        value,
        ...(description !== undefined ? { description } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      return kvEntryView(entry);
    },
  );

  app.delete<{ Params: { namespace: string } }>(
    '/namespaces/:namespace/kv',
    {
      schema: { summary: 'Delete several KV keys: { keys: [...] } → { keys: [those deleted] }', tags: TAGS },
    },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      const body = request.body as { keys?: unknown } | undefined;
      if (!Array.isArray(body?.keys) || !body.keys.every((k) => typeof k === 'string'))
        throw new WindhoverError(
          ErrorCodes.REQUEST_INVALID,
          'The body lists the keys to delete: { "keys": ["a", "b"] }',
        );
      const keys = body.keys.map((key) => checkKvKey(key));
      const deleted: string[] = [];
      for (const key of keys) if (await store.kvDelete(namespace, key)) deleted.push(key);
      return { keys: deleted };
    },
  );

  app.delete<{ Params: KvParams }>(
    '/namespaces/:namespace/kv/:key',
    { schema: { summary: 'Delete a KV key: true, or false when it did not exist', tags: TAGS } },
    async (request, reply) => {
      const namespace = namespaceParam(request.params.namespace);
      const key = checkKvKey(request.params.key);
      const deleted = await store.kvDelete(namespace, key);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(deleted));
    },
  );
}

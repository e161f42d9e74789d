/**
 * Small HTTP helpers shared by the storage routes: reading a JSON body from the raw request
 * (the storage plugin parses no bodies itself, so uploads stay streams), links, query values.
 */
import type { FastifyRequest } from 'fastify';
import { StorageApiError } from './errors.js';
import type { WritableObjectFields } from './local-store.js';
import type { Preconditions } from './rules.js';

const MAX_JSON_BODY = 1024 * 1024;

/** The query string as flat strings (a repeated key keeps its first value). */
export function queryOf(request: FastifyRequest): Record<string, string> {
  const query = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') flat[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') flat[key] = value[0];
  }
  return flat;
}

/** The scheme and host the client reached the emulator at, for links and session URIs. */
export function baseUrlOf(request: FastifyRequest): string {
  const host = request.headers.host ?? `${request.hostname}`;
  return `${request.protocol}://${host}`;
}

/** The path of the request as sent (percent-encoding kept: object names may hold `%2F`). */
export function rawPathOf(request: FastifyRequest): string {
  const url = request.raw.url ?? '/';
  const question = url.indexOf('?');
  return question < 0 ? url : url.slice(0, question);
}

/** Decodes one percent-encoded path segment into an object or bucket name. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new StorageApiError('invalid', `Invalid percent-encoding in the path: ${segment}`);
  }
}

/** Reads a JSON object body (empty body = `{}`), at most 1 MiB. */
export async function readJsonBody(request: FastifyRequest): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request.raw) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > MAX_JSON_BODY) throw new StorageApiError('invalid', 'The JSON body is larger than 1 MiB.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  return parseJsonObject(text);
}

/** Parses a JSON object, or throws a 400 saying what is wrong. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StorageApiError('invalid', `Invalid JSON body: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StorageApiError('invalid', 'The JSON body must be an object.');
  }
  return parsed as Record<string, unknown>;
}

/** The object preconditions of a query, optionally with a prefix (`ifSourceGenerationMatch` …). */
export function preconditionsOf(query: Record<string, string>, prefix: '' | 'Source' = ''): Preconditions {
  const p: Preconditions = {};
  const pick = (
    name: 'GenerationMatch' | 'GenerationNotMatch' | 'MetagenerationMatch' | 'MetagenerationNotMatch',
  ) => query[`if${prefix}${name}`];
  const generationMatch = pick('GenerationMatch');
  const generationNotMatch = pick('GenerationNotMatch');
  const metagenerationMatch = pick('MetagenerationMatch');
  const metagenerationNotMatch = pick('MetagenerationNotMatch');
  if (generationMatch !== undefined) p.ifGenerationMatch = generationMatch;
  if (generationNotMatch !== undefined) p.ifGenerationNotMatch = generationNotMatch;
  if (metagenerationMatch !== undefined) p.ifMetagenerationMatch = metagenerationMatch;
  if (metagenerationNotMatch !== undefined) p.ifMetagenerationNotMatch = metagenerationNotMatch;
  return p;
}

/** A string field of a JSON body, or undefined; a non-string is a 400. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new StorageApiError('invalid', `Invalid value for ${key}: expected a string.`);
  return value;
}

/** A string map field (`metadata`, `labels`): null stays null (meaning "clear"), values become strings. */
export function optionalStringMap(
  body: Record<string, unknown>,
  key: string,
): Record<string, string | null> | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StorageApiError('invalid', `Invalid value for ${key}: expected an object of strings.`);
  }
  const map: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    map[k] = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return map;
}

/** A non-negative integer query value, or undefined. */
export function optionalCount(query: Record<string, string>, key: string): number | undefined {
  const value = query[key];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new StorageApiError('invalid', `Invalid value for ${key}: ${value}`);
  return Number(value);
}

/** The writable object fields of a JSON resource (upload metadata, copy/patch bodies). */
export function objectFieldsOf(body: Record<string, unknown>): WritableObjectFields {
  const fields: WritableObjectFields = {};
  for (const key of [
    'contentType',
    'contentEncoding',
    'contentDisposition',
    'contentLanguage',
    'cacheControl',
    'storageClass',
  ] as const) {
    if (key in body) {
      const value = optionalString(body, key);
      // An explicit null in a PATCH clears the field; the store reads `undefined` as "clear".
      fields[key] = value;
    }
  }
  const metadata = optionalStringMap(body, 'metadata');
  if (metadata !== undefined) fields.metadata = metadata;
  return fields;
}

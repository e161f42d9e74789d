/**
 * What a query task does with its result rows (`fetchType`) and the outputs it gives, as in
 * Kestra's plugin-jdbc: `row`, `rows`, or a stored file of rows (`uri`), with `size`.
 */
import { Readable } from 'node:stream';
import type { TaskContext } from '../../api.js';

export type FetchType = 'NONE' | 'FETCH_ONE' | 'FETCH' | 'STORE';

/** Text is handed to storage in chunks of about this size: fewer, larger writes. */
const STORE_CHUNK_CHARS = 256 * 1024;

/**
 * The fetch type of a task's props. The deprecated flags win over `fetchType`, in Kestra's
 * order: `fetchOne`, then `store`, then `fetch`.
 */
export function fetchTypeOf(props: Record<string, unknown>): FetchType {
  if (props.fetchOne === true) return 'FETCH_ONE';
  if (props.store === true) return 'STORE';
  if (props.fetch === true) return 'FETCH';
  const given = props.fetchType;
  return given === 'FETCH_ONE' || given === 'FETCH' || given === 'STORE' ? given : 'NONE';
}

/**
 * A driver value as later expressions should see it: dates as ISO-8601 text, bigints as
 * numbers when exact (else text), bytes as base64 text, JSON objects and arrays kept as they
 * are (their values converted the same way), non-finite numbers as text (JSON has none).
 */
export function outputValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(outputValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>))
      out[key] = outputValue(inner);
    return out;
  }
  return value;
}

/** A row with its values converted by `outputValue`. */
export function outputRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = outputValue(value);
  return out;
}

/** Rows as the text of an item file (one JSON value per line, which Ion readers read too). */
async function* storeLines(
  rows: AsyncIterable<Record<string, unknown>>,
  counter: { size: number },
): AsyncGenerator<string> {
  let chunk = '';
  for await (const row of rows) {
    chunk += `${JSON.stringify(outputRow(row))}\n`;
    counter.size++;
    if (chunk.length >= STORE_CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Kestra's outputs for `fetchType`: FETCH_ONE → `{ row, size }`, FETCH → `{ rows, size }`,
 * STORE → `{ uri, size }` (rows streamed to `result.ion`, never all in memory), NONE → `{}`
 * (rows not read). FETCH_ONE stops reading after the first row (the iterator is returned,
 * which lets a cursor close). `options.fileName` names the STORE file when a task stores
 * several results (Queries: `result-2.ion`…).
 */
export async function rowsToOutputs(
  ctx: TaskContext,
  fetchType: FetchType,
  rows: AsyncIterable<Record<string, unknown>>,
  options: { fileName?: string } = {},
): Promise<Record<string, unknown>> {
  switch (fetchType) {
    case 'NONE':
      return {};
    case 'FETCH_ONE': {
      for await (const row of rows) return { row: outputRow(row), size: 1 };
      return { size: 0 };
    }
    case 'FETCH': {
      const all: Record<string, unknown>[] = [];
      for await (const row of rows) all.push(outputRow(row));
      return { rows: all, size: all.length };
    }
    case 'STORE': {
      const counter = { size: 0 };
      const uri = await ctx.storage.putFile(
        options.fileName ?? 'result.ion',
        Readable.from(storeLines(rows, counter)),
      );
      return { uri, size: counter.size };
    }
  }
}

/**
 * Streaming helpers for tasks that read and write files of internal storage line by line
 * (storage.Split, FilterItems, DeduplicateItems…): a whole file is never held in memory.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { parseIon, TaskFailure } from '../api.js';
import type { TaskContext } from '../api.js';

/** Text is handed to the storage stream in chunks of about this size (fewer, larger writes). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Checks that `uri` names an existing file of internal storage; returns it. The message of a
 * failure names the property, so that the user knows which value to fix.
 */
export async function existingFile(ctx: TaskContext, uri: unknown, property: string): Promise<string> {
  const text = typeof uri === 'string' ? uri.trim() : '';
  if (!text.startsWith('kestra://'))
    throw new TaskFailure(
      `Property \`${property}\`: ${JSON.stringify(uri ?? null)} is not an internal storage URI: give a \`kestra:///…\` URI, such as the \`uri\` output of an earlier task`,
    );
  let exists: boolean;
  try {
    exists = await ctx.storage.exists(text);
  } catch (error) {
    throw new TaskFailure(`Property \`${property}\`: ${(error as Error).message}`);
  }
  if (!exists)
    throw new TaskFailure(
      `Property \`${property}\`: the file \`${text}\` does not exist in internal storage (was it deleted, or written by another execution?)`,
    );
  return text;
}

/** Opens a stored file (checked with `existingFile`) as a stream. */
export async function openFile(ctx: TaskContext, uri: unknown, property: string): Promise<Readable> {
  return ctx.storage.readStream(await existingFile(ctx, uri, property));
}

/**
 * The lines of a stored file, without their end of line (`\n`, `\r\n`), read as a stream.
 * Stops early (and closes the file) when the task is aborted.
 */
export async function* fileLines(ctx: TaskContext, uri: unknown, property: string): AsyncGenerator<string> {
  const input = await openFile(ctx, uri, property);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      ctx.signal.throwIfAborted();
      yield line;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Thrown by `parseItem` for a line that is neither JSON nor Ion. */
export class ItemParseError extends Error {}

/**
 * One item of an item file: a line holding one JSON value, or one Ion value (Kestra's format,
 * e.g. `{id:1,name:"a"}`).
 */
export function parseItem(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    // Not JSON: Kestra writes Ion, which JSON is (nearly) a subset of.
  }
  let values: unknown[];
  try {
    values = parseIon(line, true);
  } catch (error) {
    throw new ItemParseError(`it is neither JSON nor Ion (${(error as Error).message})`);
  }
  if (values.length !== 1)
    throw new ItemParseError(
      values.length === 0 ? 'it holds no value' : `it holds ${values.length} values; one item per line`,
    );
  return values[0];
}

/** A line shortened for a message. */
export function excerpt(line: string, max = 120): string {
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
}

/** A file name with an extension given as `.txt` or `txt` (`.tmp` when none). */
export function fileName(base: string, extension: unknown, fallback = '.tmp'): string {
  const text = typeof extension === 'string' ? extension.trim() : '';
  if (text === '') return `${base}${fallback}`;
  return `${base}${text.startsWith('.') ? text : `.${text}`}`;
}

/** The extension of the file a URI names (`.csv`), or `.tmp` when it has none. */
export function extensionOf(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '.tmp';
}

/**
 * A new file of the task run, written as a stream: `write` waits when the storage is behind
 * (back-pressure), `close` finishes the file and gives its URI, `abort` gives up on it.
 */
export class StoredFileWriter {
  private readonly stream = new PassThrough();
  private readonly stored: Promise<string>;
  private pending = '';
  private failure: Error | undefined;
  /** Bytes written so far (UTF-8). */
  bytes = 0;

  constructor(ctx: TaskContext, name: string) {
    // abort() may come before the storage listens to the stream: its error must not go unheard.
    this.stream.on('error', () => undefined);
    this.stored = ctx.storage.putFile(name, this.stream);
    // Remembered so that the next write fails with it (and no rejection goes unhandled).
    this.stored.catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(`writing ${name} failed: ${String(error)}`);
    });
  }

  /** Appends text. */
  async write(text: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.pending += text;
    this.bytes += Buffer.byteLength(text);
    if (this.pending.length >= CHUNK_CHARS) await this.flush();
  }

  /** Ends the file; its `kestra://` URI. */
  async close(): Promise<string> {
    await this.flush();
    this.stream.end();
    return this.stored;
  }

  /** Stops writing (after a failure); the partial file is not used. */
  abort(): void {
    this.stream.destroy(new Error('aborted'));
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.stored]);
  }
}

/** Runs `work` with writers it opens, aborting those not closed when it fails. */
export async function withWriters<T>(
  work: (open: (ctx: TaskContext, name: string) => StoredFileWriter) => Promise<T>,
): Promise<T> {
  const writers: StoredFileWriter[] = [];
  try {
    return await work((ctx, name) => {
      const writer = new StoredFileWriter(ctx, name);
      writers.push(writer);
      return writer;
    });
  } catch (error) {
    for (const writer of writers) writer.abort();
    throw error;
  }
}

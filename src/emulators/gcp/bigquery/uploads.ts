/**
 * Load data sent with the job (`/upload/bigquery/v2/projects/{p}/jobs`): a multipart/related body
 * (the job's JSON, then the bytes; what `table.load(file)` and `createWriteStream` send) is read as
 * a stream, the bytes going straight to a temporary file; a resumable upload keeps its session
 * (the job's JSON and a file the chunks are appended to) until the last byte has come.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { invalid } from './errors.js';

const headerEnd = Buffer.from('\r\n\r\n');
/** The job's JSON part is small; a larger one is a malformed request. */
const maxJsonPartBytes = 1024 * 1024;

/** The boundary of a multipart/related content type. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/related/i.test(contentType ?? '') || boundary === undefined)
    throw invalid('A multipart upload must be sent as multipart/related with a boundary');
  return boundary;
}

/**
 * Reads a multipart/related body of two parts: the first (JSON) is returned as parsed, the second
 * is written to `file`. Throws `invalid` when the body is not shaped so.
 */
export async function readMultipartUpload(body: Readable, boundary: string, file: string): Promise<unknown> {
  const first = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pending: Buffer = Buffer.alloc(0);
  let state: 'preamble' | 'json' | 'dataHeaders' | 'data' | 'done' = 'preamble';
  let json: unknown;
  const out = createWriteStream(file);
  const write = async (chunk: Buffer) => {
    if (chunk.length === 0) return;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  try {
    for await (const raw of body) {
      pending = pending.length === 0 ? (raw as Buffer) : Buffer.concat([pending, raw as Buffer]);
      for (;;) {
        if (state === 'preamble') {
          const start = pending.indexOf(first);
          if (start < 0) break;
          const headers = pending.indexOf(headerEnd, start + first.length);
          if (headers < 0) break;
          pending = pending.subarray(headers + headerEnd.length);
          state = 'json';
        } else if (state === 'json') {
          const end = pending.indexOf(delimiter);
          if (end < 0) {
            if (pending.length > maxJsonPartBytes) throw invalid('The job part of the upload is too large');
            break;
          }
          try {
            json = JSON.parse(pending.subarray(0, end).toString('utf8'));
          } catch {
            throw invalid('The first part of the upload is not the job as JSON');
          }
          pending = pending.subarray(end + delimiter.length);
          state = 'dataHeaders';
        } else if (state === 'dataHeaders') {
          if (pending.length >= 2 && pending.subarray(0, 2).toString() === '--')
            throw invalid('The upload holds no data part');
          const headers = pending.indexOf(headerEnd);
          if (headers < 0) break;
          pending = pending.subarray(headers + headerEnd.length);
          state = 'data';
        } else if (state === 'data') {
          const end = pending.indexOf(delimiter);
          if (end >= 0) {
            await write(pending.subarray(0, end));
            pending = Buffer.alloc(0);
            state = 'done';
            break;
          }
          // Keep what could be the start of the delimiter for the next chunk.
          const keep = Math.min(pending.length, delimiter.length - 1);
          await write(pending.subarray(0, pending.length - keep));
          pending = Buffer.from(pending.subarray(pending.length - keep));
          break;
        } else break;
      }
    }
    if (state !== 'done') throw invalid('The multipart upload ended before its closing boundary');
    out.end();
    await finished(out);
    return json;
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
}

/** A resumable upload in progress. */
interface UploadSession {
  projectId: string;
  job: unknown;
  file: string;
  received: number;
  createdAt: number;
}

/** Sessions older than this are dropped with their file. */
const sessionLifetimeMs = 24 * 60 * 60 * 1000;

/** The resumable upload sessions of the emulator. */
export class ResumableUploads {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly tempDir: string) {}

  /** Starts a session for a job; returns its id. */
  start(projectId: string, job: unknown): string {
    void this.dropOld();
    const id = randomUUID();
    this.sessions.set(id, {
      projectId,
      job,
      file: join(this.tempDir, `upload-${id}`),
      received: 0,
      createdAt: Date.now(),
    });
    return id;
  }

  private async dropOld(): Promise<void> {
    const limit = Date.now() - sessionLifetimeMs;
    for (const [id, session] of this.sessions)
      if (session.createdAt < limit) {
        this.sessions.delete(id);
        await rm(session.file, { force: true });
      }
  }

  /**
   * Appends a chunk (`Content-Range: bytes a-b/total`, `bytes * /total` for a status query, none
   * for the whole). Returns the finished upload, or how many bytes have come so far.
   */
  async put(
    id: string,
    contentRange: string | undefined,
    body: Readable,
  ): Promise<
    { done: true; projectId: string; job: unknown; file: string } | { done: false; received: number }
  > {
    const session = this.sessions.get(id);
    if (session === undefined)
      throw invalid(`No upload session ${id} (it finished, or the emulator restarted)`);
    let total: number | undefined;
    let start = session.received;
    const range = contentRange?.trim();
    if (range !== undefined && range !== '') {
      const match = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(range);
      if (match === null) throw invalid(`Invalid Content-Range: ${range}`);
      if (match[3] !== '*') total = Number(match[3]);
      if (match[1] !== undefined) start = Number(match[1]);
      else {
        body.resume();
        if (total !== undefined && total === session.received) return this.finish(id, session);
        return { done: false, received: session.received };
      }
    }
    if (start !== session.received) {
      body.resume();
      return { done: false, received: session.received };
    }
    const out = createWriteStream(session.file, { flags: 'a' });
    body.pipe(out);
    await finished(out);
    session.received = (await stat(session.file)).size;
    if (range === undefined || range === '' || (total !== undefined && session.received >= total))
      return this.finish(id, session);
    return { done: false, received: session.received };
  }

  private async finish(
    id: string,
    session: UploadSession,
  ): Promise<{ done: true; projectId: string; job: unknown; file: string }> {
    this.sessions.delete(id);
    if (session.received === 0) {
      // An empty load: the file was never written.
      await new Promise<void>((resolve, reject) =>
        createWriteStream(session.file)
          .end(() => resolve())
          .on('error', reject),
      );
    }
    return { done: true, projectId: session.projectId, job: session.job, file: session.file };
  }

  /** Drops every session and its file. */
  async close(): Promise<void> {
    const files = [...this.sessions.values()].map((session) => session.file);
    this.sessions.clear();
    await Promise.all(files.map((file) => rm(file, { force: true })));
  }
}

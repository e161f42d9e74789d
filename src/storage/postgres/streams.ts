/**
 * Moving file content in and out of `storage_chunks` without holding a whole file in memory:
 * writes cut the input into fixed-size chunks as it arrives; reads fetch one chunk per query.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';

/** Calls `onChunk` with consecutive `chunkSize`-byte pieces of `content` (the last may be shorter). */
export async function forEachChunk(
  content: Buffer | string | Readable,
  chunkSize: number,
  onChunk: (chunk: Buffer, seq: number) => Promise<void>,
): Promise<number> {
  let seq = 0;
  let size = 0;
  const emit = async (chunk: Buffer) => {
    size += chunk.length;
    await onChunk(chunk, seq++);
  };
  if (typeof content === 'string' || Buffer.isBuffer(content)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    for (let at = 0; at < data.length; at += chunkSize) await emit(data.subarray(at, at + chunkSize));
    return size;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of content) {
    // Streams may yield strings (an encoding was set, or Readable.from of strings).
    let buf: Buffer = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
    while (pendingBytes + buf.length >= chunkSize) {
      const take = chunkSize - pendingBytes;
      pending.push(buf.subarray(0, take));
      await emit(Buffer.concat(pending, chunkSize));
      pending = [];
      pendingBytes = 0;
      buf = buf.subarray(take);
    }
    if (buf.length > 0) {
      pending.push(buf);
      pendingBytes += buf.length;
    }
  }
  if (pendingBytes > 0) await emit(Buffer.concat(pending, pendingBytes));
  return size;
}

/**
 * A stream of a blob's chunks, one query per chunk on whatever pooled connection is free: no
 * connection is held between chunks, so a slow reader (an HTTP download) pins nothing. A blob is
 * immutable and outlives its file by a grace period (see schema.ts), so the chunks read are all
 * of one version; a read slower than the grace period fails rather than mixing versions.
 */
export function chunkStream(pool: pg.Pool, uri: string, blobId: string, chunkCount: number): Readable {
  let seq = 0;
  return new Readable({
    // One chunk in flight at a time: the consumer's pace drives the queries.
    highWaterMark: 1,
    read() {
      if (seq >= chunkCount) {
        this.push(null);
        return;
      }
      queryRetrying(() =>
        pool.query<{ data: Buffer }>('SELECT data FROM storage_chunks WHERE blob_id = $1 AND seq = $2', [
          blobId,
          seq,
        ]),
      )
        .then((result) => {
          const row = result.rows[0];
          if (!row)
            throw new Error(
              `${uri} was replaced or deleted, and its old content collected, while this stream read it; read it again`,
            );
          seq += 1;
          this.push(row.data);
        })
        .catch((error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))));
    },
  });
}

/** Lost connections (SQLSTATE class 08, an administrator or crash shutdown) and socket errors. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  if (typeof code === 'string' && /^E(CONNRESET|CONNREFUSED|PIPE)$/.test(code)) return true;
  return error instanceof Error && /Connection terminated|connection is closed/i.test(error.message);
}

/**
 * Runs a read query, again after a lost connection (a server restart): a long stream should not
 * fail on a connection the pool had not yet found dead. Up to 5 tries over about 3 seconds.
 */
async function queryRetrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 5 || !isConnectionLoss(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

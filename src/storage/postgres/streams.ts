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
 * A stream of a blob's chunks, read one query at a time inside the caller's REPEATABLE READ
 * transaction on `client`: the snapshot keeps the chunks readable even if the file is replaced
 * or deleted meanwhile. `done` ends the transaction and releases the client; it runs once, when
 * the stream ends, fails or is destroyed (a reader that abandons a stream without destroying it
 * keeps a pool connection checked out: destroy what you do not finish).
 */
export function chunkStream(
  client: pg.PoolClient,
  blobId: string,
  chunkCount: number,
  done: (error?: Error) => void,
): Readable {
  let seq = 0;
  let finished = false;
  const finish = (error?: Error) => {
    if (finished) return;
    finished = true;
    done(error);
  };
  return new Readable({
    // One chunk in flight at a time: the consumer's pace drives the queries.
    highWaterMark: 1,
    objectMode: false,
    read() {
      if (seq >= chunkCount) {
        this.push(null);
        return;
      }
      client
        .query<{ data: Buffer }>('SELECT data FROM storage_chunks WHERE blob_id = $1 AND seq = $2', [
          blobId,
          seq,
        ])
        .then((result) => {
          const row = result.rows[0];
          if (!row) throw new Error(`storage chunk ${seq} of blob ${blobId} is missing`);
          seq += 1;
          this.push(row.data);
        })
        .catch((error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))));
    },
    destroy(error, callback) {
      finish(error ?? undefined);
      callback(error);
    },
  });
}

/**
 * Writing a byte stream to a file while computing what Cloud Storage reports about it (size,
 * MD5, CRC32C) in the same pass, so no object is read twice and none is held in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc32c } from './crc32c.js';

/** What a written blob holds: its length and its two hashes, base64 as the JSON API writes them. */
export interface BlobDigest {
  size: number;
  md5Hash: string;
  crc32c: string;
}

/** Running hashes over the bytes seen so far. */
export class DigestAccumulator {
  private readonly md5 = createHash('md5');
  private readonly crc = new Crc32c();
  size = 0;

  /** Adds a chunk. */
  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.crc.update(chunk);
    this.size += chunk.length;
  }

  /** The final digest (the accumulator must not be used afterwards). */
  digest(): BlobDigest {
    return { size: this.size, md5Hash: this.md5.digest('base64'), crc32c: this.crc.base64() };
  }
}

/** A pass-through stream feeding every chunk to `accumulator`. */
export function digestTap(accumulator: DigestAccumulator): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      accumulator.update(chunk);
      callback(null, chunk);
    },
  });
}

/**
 * Streams `source` (optionally through `transforms`) into `file`, hashing it; on any failure the
 * file is removed and the error rethrown, so a broken upload leaves nothing behind.
 */
export async function writeHashedFile(
  source: Readable | AsyncIterable<Buffer>,
  file: string,
  transforms: ((input: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>)[] = [],
  flags = 'w',
): Promise<BlobDigest> {
  const accumulator = new DigestAccumulator();
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(
      source,
      ...transforms,
      digestTap(accumulator),
      createWriteStream(file, { flags }),
    );
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return accumulator.digest();
}

/** Hashes an existing file by streaming it. */
export async function digestFile(file: string): Promise<BlobDigest> {
  const accumulator = new DigestAccumulator();
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
    accumulator.update(chunk as Buffer);
  return accumulator.digest();
}

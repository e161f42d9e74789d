/**
 * A streaming reader of `multipart/related` upload bodies (metadata part, then media part), as
 * the JSON API's `uploadType=multipart` sends them. The metadata part is read whole (it is
 * small and bounded); the media part is yielded chunk by chunk up to the closing delimiter, so
 * an object is never held in memory. A body that ends before the closing delimiter is an error,
 * so a cut-off upload never becomes an object.
 */
import { StorageApiError } from './errors.js';

const MAX_METADATA_PART = 1024 * 1024;
const MAX_PART_HEADERS = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/** One part's headers (lower-case names). */
export type PartHeaders = Record<string, string>;

/** The boundary of a `multipart/related; boundary=…` content type. */
export function multipartBoundary(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary)
    throw new StorageApiError(
      'invalid',
      'A multipart upload needs a Content-Type of multipart/related with a boundary.',
    );
  return boundary;
}

function parseHeaders(block: string): PartHeaders {
  const headers: PartHeaders = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Reads a multipart/related body from an async iterable of chunks. */
export class MultipartRelatedReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;
  /** `\r\n--boundary`: what ends every part's content. */
  private readonly delimiter: Buffer;

  constructor(source: AsyncIterable<Buffer>, boundary: string) {
    this.iterator = source[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.pending = this.pending.length === 0 ? next.value : Buffer.concat([this.pending, next.value]);
    return true;
  }

  private truncated(): never {
    throw new StorageApiError(
      'invalid',
      'The multipart body ended before its closing boundary: the upload was incomplete.',
    );
  }

  /** Consumes up to the first boundary line and the part's headers. */
  private async readPartHeaders(first: boolean): Promise<PartHeaders> {
    if (first) {
      // The body starts with `--boundary` (no CRLF before it); accept a preamble too.
      const opening = this.delimiter.subarray(2);
      for (;;) {
        const at = this.pending.indexOf(opening);
        if (at >= 0) {
          this.pending = this.pending.subarray(at + opening.length);
          break;
        }
        if (this.pending.length > MAX_PART_HEADERS)
          throw new StorageApiError('invalid', 'No multipart boundary found at the start of the body.');
        if (!(await this.fill())) this.truncated();
      }
    }
    for (;;) {
      const end = this.pending.indexOf(HEADER_END);
      if (end >= 0) {
        const block = this.pending.subarray(0, end).toString('utf8');
        this.pending = this.pending.subarray(end + HEADER_END.length);
        if (block.startsWith('--'))
          throw new StorageApiError('invalid', 'The multipart body has no media part.');
        return parseHeaders(block.replace(/^\r\n/, ''));
      }
      if (this.pending.length > MAX_PART_HEADERS)
        throw new StorageApiError('invalid', 'Multipart part headers are too long.');
      if (!(await this.fill())) this.truncated();
    }
  }

  /** The first part (the object's JSON metadata), read whole. */
  async readMetadataPart(): Promise<{ headers: PartHeaders; body: string }> {
    const headers = await this.readPartHeaders(true);
    for (;;) {
      const at = this.pending.indexOf(this.delimiter);
      if (at >= 0) {
        const body = this.pending.subarray(0, at).toString('utf8');
        this.pending = this.pending.subarray(at + this.delimiter.length);
        return { headers, body };
      }
      if (this.pending.length > MAX_METADATA_PART)
        throw new StorageApiError('invalid', 'The metadata part is larger than 1 MiB.');
      if (!(await this.fill())) this.truncated();
    }
  }

  /** The second part's headers; call after readMetadataPart. */
  async readMediaHeaders(): Promise<PartHeaders> {
    return this.readPartHeaders(false);
  }

  /** The media part's bytes, up to the closing delimiter (which must be there). */
  async *media(): AsyncGenerator<Buffer> {
    const keep = this.delimiter.length - 1;
    for (;;) {
      const at = this.pending.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield this.pending.subarray(0, at);
        this.pending = this.pending.subarray(at + this.delimiter.length);
        // Drain the rest (`--` and an epilogue) so the request completes normally.
        while (await this.fill()) this.pending = Buffer.alloc(0);
        return;
      }
      // Everything but a tail that might be the start of the delimiter is object bytes.
      if (this.pending.length > keep) {
        const safe = this.pending.length - keep;
        yield this.pending.subarray(0, safe);
        this.pending = Buffer.from(this.pending.subarray(safe));
      }
      if (!(await this.fill())) this.truncated();
    }
  }
}

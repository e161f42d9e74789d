/**
 * `node:crypto` for the expression engine in the browser (see node-buffer.ts): random bytes
 * from the Web Crypto API; the hash filters (md5, sha…) say they need the server, because the
 * browser only hashes asynchronously and not md5 at all.
 */
import { Buffer, type Bytes } from './node-buffer';

/** `size` random bytes. */
export function randomBytes(size: number): Bytes {
  const bytes = Buffer.alloc(size);
  crypto.getRandomValues(bytes);
  return bytes;
}

/** Throws: hashes are computed by the server only. */
export function createHash(algorithm: string): {
  update(data: string, encoding: string): { digest(encoding: string): string };
} {
  throw new Error(`the ${algorithm} hash is not available in the debugger (it runs on the server only)`);
}

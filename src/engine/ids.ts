import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const pool = Buffer.allocUnsafe(4096);
let position = pool.length;

/**
 * A new id for executions and task runs: 22 random base-62 characters (131 bits), the shape of
 * Kestra's ids. Random bytes are drawn from a pool refilled 4 KB at a time (one system call
 * per ~180 ids rather than one per id); bytes ≥ 248 are skipped so every character is equally likely.
 */
export function newId(): string {
  let id = '';
  while (id.length < 22) {
    if (position >= pool.length) {
      randomFillSync(pool);
      position = 0;
    }
    const byte = pool[position++]!;
    if (byte < 248) id += ALPHABET[byte % 62];
  }
  return id;
}

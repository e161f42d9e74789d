/**
 * The storage emulator's object rules, apart from where objects are kept: generation
 * preconditions (412 `conditionNotMet`), object name limits, declared hashes, metadata maps.
 */
import type { ObjectRecord } from './catalog.js';
import { StorageApiError } from './errors.js';
import type { BlobDigest } from './hashing.js';

const MAX_OBJECT_NAME_BYTES = 1024;

/** Generation preconditions (`ifGenerationMatch` …), as query strings give them. */
export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

function parseNumber(value: string, name: string): number {
  if (!/^-?\d+$/.test(value)) throw new StorageApiError('invalid', `Invalid value for ${name}: ${value}`);
  return Number(value);
}

/** Checks preconditions against the current object (undefined = no live object). */
export function checkPreconditions(
  current: ObjectRecord | undefined,
  p: Preconditions,
  what = 'object',
): void {
  const fail = (condition: string): never => {
    throw new StorageApiError(
      'conditionNotMet',
      `At least one of the pre-conditions you specified did not hold (${condition} on ${what}).`,
    );
  };
  if (p.ifGenerationMatch !== undefined) {
    const wanted = parseNumber(p.ifGenerationMatch, 'ifGenerationMatch');
    if (wanted === 0 ? current !== undefined : current?.generation !== wanted) fail('ifGenerationMatch');
  }
  if (p.ifGenerationNotMatch !== undefined) {
    const unwanted = parseNumber(p.ifGenerationNotMatch, 'ifGenerationNotMatch');
    if (unwanted === 0 ? current === undefined : current?.generation === unwanted)
      fail('ifGenerationNotMatch');
  }
  if (p.ifMetagenerationMatch !== undefined) {
    const wanted = parseNumber(p.ifMetagenerationMatch, 'ifMetagenerationMatch');
    if (current?.metageneration !== wanted) fail('ifMetagenerationMatch');
  }
  if (p.ifMetagenerationNotMatch !== undefined) {
    const unwanted = parseNumber(p.ifMetagenerationNotMatch, 'ifMetagenerationNotMatch');
    if (current === undefined || current.metageneration === unwanted) fail('ifMetagenerationNotMatch');
  }
}

/** Rejects names Cloud Storage refuses (empty, over 1024 bytes, `.`, `..`, line breaks). */
export function validateObjectName(name: string): void {
  if (name.length === 0) throw new StorageApiError('required', 'Required: an object name.');
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJECT_NAME_BYTES) {
    throw new StorageApiError('invalid', `The object name is longer than ${MAX_OBJECT_NAME_BYTES} bytes.`);
  }
  if (name === '.' || name === '..' || /[\r\n]/.test(name)) {
    throw new StorageApiError('invalid', `Invalid object name: ${JSON.stringify(name)}`);
  }
}

/** A metadata map without its `null` (removed) entries; undefined when empty. */
export function cleanMetadata(
  metadata: Record<string, string | null> | null | undefined,
): Record<string, string> | undefined {
  if (!metadata) return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata))
    if (value !== null && value !== undefined) result[key] = String(value);
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Rejects an upload whose bytes do not match the hashes the client declared. */
export function verifyExpectedHashes(
  digest: BlobDigest,
  expected: { md5Hash?: string; crc32c?: string },
): void {
  if (expected.md5Hash !== undefined && expected.md5Hash !== digest.md5Hash) {
    throw new StorageApiError(
      'invalid',
      `Provided MD5 hash "${expected.md5Hash}" doesn't match calculated MD5 hash "${digest.md5Hash}".`,
    );
  }
  if (expected.crc32c !== undefined && expected.crc32c !== digest.crc32c) {
    throw new StorageApiError(
      'invalid',
      `Provided CRC32C "${expected.crc32c}" doesn't match calculated CRC32C "${digest.crc32c}".`,
    );
  }
}

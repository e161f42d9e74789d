import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { typeName } from '../../values.js';
import { defineFunction } from '../define.js';
import { fail, stringArg } from '../filters/support.js';
import type { FunctionDefinition } from '../types.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NANO_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
/** KSUID timestamps count seconds from 2014-05-13T16:53:20Z. */
const KSUID_EPOCH = 1_400_000_000;

function base62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out || '0';
}

/** A version 7 UUID (time-ordered, as Kestra's `uuid()`): 48 bits of milliseconds, then random. */
function uuidV7(millis: number): string {
  const bytes = randomBytes(16);
  let t = BigInt(millis);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Kestra's short id (FriendlyId): a random UUID in base 62, at most 22 characters. */
function friendlyId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return base62(bytes);
}

function ksuid(millis: number): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.max(0, Math.floor(millis / 1000) - KSUID_EPOCH), 0);
  randomBytes(16).copy(bytes, 4);
  return base62(bytes).padStart(27, '0');
}

function nanoId(length: unknown, alphabet: unknown): string {
  let size = 21;
  if (typeof length === 'number' && Number.isInteger(length)) {
    if (length > 1000) fail('`nanoId()` needs a `length` of at most 1000');
    if (length < 0) fail('`nanoId()` needs a `length` of 0 or more');
    size = length;
  }
  const chars = typeof alphabet === 'string' && alphabet !== '' ? alphabet : NANO_ALPHABET;
  // Kestra's (biased) choice: a random byte masked by the alphabet's size minus one.
  const mask = chars.length - 1;
  let out = '';
  for (const byte of randomBytes(size)) out += chars[byte & mask];
  return out;
}

function longArg(param: string, value: unknown): number {
  if (value === null || value === undefined) fail(`\`randomInt()\` needs the argument \`${param}\``);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(`\`randomInt()\` needs a whole number as \`${param}\`, got ${typeName(value)}`);
  }
  return value;
}

/** Random ids and numbers; each call differs, and stays the same when a render replays. */
export const ID_FUNCTIONS: readonly FunctionDefinition[] = [
  defineFunction({
    name: 'uuid',
    description: 'A new time-ordered UUID (version 7).',
    params: [],
    apply: (_args, call) => call.stable(() => uuidV7(Date.now())),
  }),
  defineFunction({
    name: 'id',
    description: 'A new short unique id, like execution ids (22 base-62 characters).',
    params: [],
    apply: (_args, call) => call.stable(friendlyId),
  }),
  defineFunction({
    name: 'ksuid',
    description: 'A new K-sortable unique id (27 base-62 characters).',
    params: [],
    apply: (_args, call) => call.stable(() => ksuid(Date.now())),
  }),
  defineFunction({
    name: 'nanoId',
    description: 'A new random id of `length` characters (21) from `alphabet` (letters, digits, - and _).',
    params: ['length', 'alphabet'],
    apply: ([length, alphabet], call) => {
      if (alphabet !== undefined && alphabet !== null) stringArg('nanoId()', 'alphabet', alphabet);
      return call.stable(() => nanoId(length, alphabet));
    },
  }),
  defineFunction({
    name: 'randomInt',
    description: 'A random whole number from `lower` (included) to `upper` (excluded).',
    params: ['lower', 'upper'],
    required: 2,
    apply: ([lower, upper], call) => {
      const low = longArg('lower', lower);
      const high = longArg('upper', upper);
      if (high < low) fail(`\`randomInt()\` needs \`upper\` (${high}) to be at least \`lower\` (${low})`);
      return call.stable(() => low + Math.floor(Math.random() * (high - low)));
    },
  }),
];

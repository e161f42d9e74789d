import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { fail, javaString, stringInput } from './support.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /[A-Za-z0-9.\-*_]/;
const UTF8 = new TextEncoder();

function hashFilter(name: string, algorithm: string, label: string): FilterDefinition {
  return defineFilter({
    name,
    description: `The ${label} hash of a string, in lower-case hex.`,
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') fail(`\`${name}\` needs a string to hash, got ${typeName(input)}`);
      return createHash(algorithm).update(input, 'utf8').digest('hex');
    },
  });
}

/** Java's `URLEncoder.encode(s, UTF_8)`: form encoding, a space is `+`. */
function urlEncode(s: string): string {
  let out = '';
  for (const c of s) {
    if (URL_SAFE.test(c)) out += c;
    else if (c === ' ') out += '+';
    else for (const byte of UTF8.encode(c)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Java's `URLDecoder.decode(s, UTF_8)`: `+` is a space, `%XX` runs are UTF-8 bytes. */
function urlDecode(s: string): string {
  if (!/[%+]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '+') out += ' ';
    else if (c !== '%') out += c;
    else {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        if (i + 2 >= s.length) fail('`urldecode`: incomplete trailing escape (%) pattern');
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex))
          fail(`\`urldecode\`: illegal hex characters in escape (%) pattern: "${hex}"`);
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      i--;
      out += Buffer.from(bytes).toString('utf8');
    }
  }
  return out;
}

/** Encodings and hashes: base64, URL encoding, md5, sha1, sha256, sha512. */
export const ENCODING_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'base64encode',
    description: 'The Base64 encoding of the text (UTF-8).',
    params: [],
    apply: (input) =>
      input === null || input === undefined
        ? null
        : Buffer.from(javaString(input), 'utf8').toString('base64'),
  }),
  defineFilter({
    name: 'base64decode',
    description: 'The text (UTF-8) a Base64 string encodes.',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') fail(`\`base64decode\` needs a string, got ${typeName(input)}`);
      const unpadded = input.replace(/=+$/, '');
      if (
        !BASE64.test(input) ||
        unpadded.length % 4 === 1 ||
        (unpadded.length !== input.length && input.length % 4 !== 0)
      ) {
        fail('`base64decode` needs a correctly Base64-encoded string');
      }
      return Buffer.from(input, 'base64').toString('utf8');
    },
  }),
  defineFilter({
    name: 'urlencode',
    description: 'Encodes a string for a URL query (a space becomes +).',
    params: [],
    apply: (input) =>
      input === null || input === undefined ? null : urlEncode(stringInput('urlencode', input)),
  }),
  defineFilter({
    name: 'urldecode',
    description: 'Decodes a URL-encoded string (+ becomes a space).',
    params: [],
    apply: (input) =>
      input === null || input === undefined ? null : urlDecode(stringInput('urldecode', input)),
  }),
  hashFilter('md5', 'md5', 'MD5'),
  hashFilter('sha1', 'sha1', 'SHA-1'),
  hashFilter('sha256', 'sha256', 'SHA-256'),
  hashFilter('sha512', 'sha512', 'SHA-512'),
];

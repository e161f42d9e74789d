import { isMap, typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { fail, javaString, stringArg, stringInput, wholeArg } from './support.js';

/** Java's `Character.isWhitespace` (not the no-break spaces). */
const JAVA_WHITESPACE =
  // eslint-disable-next-line no-control-regex -- Java counts these control characters as whitespace
  /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/;

/** Java's `Character.toTitleCase` for one UTF-16 unit: one character stays one character. */
function titleCase(c: string): string {
  const upper = c.toUpperCase();
  return upper.length === 1 ? upper : c;
}

/** Java's `String.trim()`: every code unit up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The separator of `substring…`: a string or null (Java's `(String)` cast). */
function separatorOf(name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return stringArg(name, 'separator', value);
}

function substringFilter(
  name: string,
  description: string,
  apply: (s: string, sep: string | null) => string,
): FilterDefinition {
  return defineFilter({
    name,
    description,
    params: ['separator'],
    required: 1,
    apply: (input, [separator]) =>
      input === null || input === undefined ? null : apply(javaString(input), separatorOf(name, separator)),
  });
}

/** Java's `String.replace(target, replacement)`: every occurrence, literally. */
export function replaceLiteral(s: string, target: string, replacement: string): string {
  return s.replaceAll(target, () => replacement);
}

const ESCAPES: Readonly<Record<string, readonly [string, string]>> = {
  single: ["'", "\\'"],
  double: ['"', '\\"'],
  shell: ["'", "'\\''"],
};

/** Applies `f` to each string of a value, deeply through lists and maps (others as Java text). */
export function eachString(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => eachString(v, f));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = eachString(v, f);
    return out;
  }
  return f(javaString(value));
}

function indentFilter(name: 'indent' | 'nindent', description: string): FilterDefinition {
  return defineFilter({
    name,
    description,
    params: ['amount', 'prefix'],
    required: 1,
    apply: (input, [amount, prefix]) => {
      if (input === null || input === undefined) return null;
      const text = javaString(input);
      if (text === '') return text;
      const n = wholeArg(name, 'amount', amount);
      if (n < 0) fail(`\`${name}\` needs an \`amount\` of 0 or more, got ${n}`);
      const pad = stringArg(name, 'prefix', prefix, ' ').repeat(n);
      const newline = lineSeparator(text);
      const body = name === 'nindent' ? newline + text : text;
      return replaceLiteral(body, newline, newline + pad);
    },
  });
}

/** The line separator a text uses (CRLF, LFCR, LF, CR), LF when it has none. */
function lineSeparator(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\n\r')) return '\n\r';
  if (text.includes('\n')) return '\n';
  if (text.includes('\r')) return '\r';
  return '\n';
}

/** Pebble's and Kestra's string filters. */
export const STRING_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'upper',
    description: 'Upper case.',
    params: [],
    apply: (input) => (input === null || input === undefined ? null : javaString(input).toUpperCase()),
  }),
  defineFilter({
    name: 'lower',
    description: 'Lower case.',
    params: [],
    apply: (input) => (input === null || input === undefined ? null : javaString(input).toLowerCase()),
  }),
  defineFilter({
    name: 'capitalize',
    description: 'Upper-cases the first letter (leading whitespace is kept).',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      const s = stringInput('capitalize', input);
      for (let i = 0; i < s.length; i++) {
        if (!JAVA_WHITESPACE.test(s[i]!)) return s.slice(0, i) + titleCase(s[i]!) + s.slice(i + 1);
      }
      return s;
    },
  }),
  defineFilter({
    name: 'title',
    description: 'Upper-cases the first letter of each word (the others are kept).',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      const s = stringInput('title', input);
      let out = '';
      let next = true;
      for (const c of s) {
        if (JAVA_WHITESPACE.test(c)) {
          next = true;
          out += c;
        } else {
          out += next ? titleCase(c) : c;
          next = false;
        }
      }
      return out;
    },
  }),
  defineFilter({
    name: 'trim',
    description: 'Removes whitespace (and control characters) at both ends.',
    params: [],
    apply: (input) => (input === null || input === undefined ? null : javaTrim(stringInput('trim', input))),
  }),
  defineFilter({
    name: 'abbreviate',
    description: 'Shortens to at most `length` characters, ending with "..." when cut.',
    params: ['length'],
    required: 1,
    apply: (input, [length]) => {
      if (input === null || input === undefined) return null;
      const s = stringInput('abbreviate', input);
      const max = wholeArg('abbreviate', 'length', length);
      if (max < 0) fail(`\`abbreviate\` needs a \`length\` of 0 or more, got ${max}`);
      // Pebble's rule: a string exactly `length` long is abbreviated too.
      if (s.length < max || s.length <= 3) return s;
      if (max <= 3) return s.slice(0, max);
      return `${s.slice(0, max - 3)}...`;
    },
  }),
  defineFilter({
    name: 'startsWith',
    description: 'Whether the text starts with `value`.',
    params: ['value'],
    required: 1,
    apply: (input, [value]) => {
      if (input === null || input === undefined) fail('`startsWith` needs a value, got null');
      return javaString(input).startsWith(javaString(value));
    },
  }),
  defineFilter({
    name: 'endsWith',
    description: 'Whether the text ends with `value`.',
    params: ['value'],
    required: 1,
    apply: (input, [value]) => {
      if (input === null || input === undefined) fail('`endsWith` needs a value, got null');
      return javaString(input).endsWith(javaString(value));
    },
  }),
  substringFilter(
    'substringBefore',
    'The text before the first `separator` (all of it when there is none).',
    (s, sep) => {
      if (s === '' || sep === null) return s;
      if (sep === '') return '';
      const at = s.indexOf(sep);
      return at === -1 ? s : s.slice(0, at);
    },
  ),
  substringFilter(
    'substringBeforeLast',
    'The text before the last `separator` (all of it when there is none).',
    (s, sep) => {
      if (s === '' || !sep) return s;
      const at = s.lastIndexOf(sep);
      return at === -1 ? s : s.slice(0, at);
    },
  ),
  substringFilter(
    'substringAfter',
    'The text after the first `separator` (nothing when there is none).',
    (s, sep) => {
      if (s === '') return s;
      if (sep === null) return '';
      const at = s.indexOf(sep);
      return at === -1 ? '' : s.slice(at + sep.length);
    },
  ),
  substringFilter(
    'substringAfterLast',
    'The text after the last `separator` (nothing when there is none).',
    (s, sep) => {
      if (s === '') return s;
      if (!sep) return '';
      const at = s.lastIndexOf(sep);
      return at === -1 || at === s.length - sep.length ? '' : s.slice(at + sep.length);
    },
  ),
  defineFilter({
    name: 'slugify',
    description: 'A lower-case, dash-separated identifier made of the text ("Hello World!" → "hello-world").',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      let slug = javaString(input)
        // eslint-disable-next-line no-control-regex -- Java's \s: space, \t, \n, \x0B, \f, \r
        .replace(/[ \t\n\u000B\f\r]/g, '-')
        .normalize('NFD')
        .replace(/[^\w-]/g, '')
        .replaceAll('_', '-');
      while (slug.includes('--')) slug = slug.replaceAll('--', '-');
      if (slug.startsWith('-')) slug = slug.slice(1);
      if (slug.endsWith('-')) slug = slug.slice(0, -1);
      return slug.toLowerCase();
    },
  }),
  defineFilter({
    name: 'escapeChar',
    description:
      "Escapes quotes for a `single`- or `double`-quoted string, or for a `shell` single-quoted one (' → '\\'').",
    params: ['type'],
    required: 1,
    apply: (input, [type]) => {
      if (input === null || input === undefined) return null;
      const key = typeof type === 'string' ? type.toLowerCase() : undefined;
      const escape = key === undefined ? undefined : ESCAPES[key];
      if (!escape) {
        fail(
          `\`escapeChar\` needs \`type\` to be 'single', 'double' or 'shell', got ${typeof type === 'string' ? `'${type}'` : typeName(type)}`,
        );
      }
      const [quote, escaped] = escape;
      return eachString(input, (s) => replaceLiteral(s, quote, escaped));
    },
  }),
  indentFilter('indent', 'Indents every line but the first by `amount` times `prefix` (a space by default).'),
  indentFilter(
    'nindent',
    'Starts with a new line and indents every line by `amount` times `prefix` (a space by default).',
  ),
];

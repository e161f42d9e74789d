import { fail } from './support.js';

/** Compiled patterns by source, so that a template's constant regex is translated once. */
const CACHE = new Map<string, RegExp>();
const CACHE_SIZE = 500;

const FLAG_OF: Readonly<Record<string, string>> = { i: 'i', s: 's', m: 'm', u: '', U: '', d: '' };

/**
 * A JavaScript RegExp (always global) for a Java regular expression: leading inline flags
 * (`(?i)`, `(?s)`, `(?m)`), `\A`, `\z`, `\Z`, `\Q…\E`, possessive quantifiers and atomic
 * groups are translated; what JavaScript cannot express is refused with a clear message.
 */
export function javaRegex(pattern: string, name: string): RegExp {
  const hit = CACHE.get(pattern);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let source = pattern;
  let flags = 'g';
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading) {
    for (const f of leading[1]!) {
      const js = FLAG_OF[f];
      if (js === undefined) fail(`\`${name}\`: the regex flag \`${f}\` is not supported`);
      if (js && !flags.includes(js)) flags += js;
    }
    source = source.slice(leading[0].length);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(translate(source, name), flags);
  } catch (error) {
    return fail(
      `\`${name}\`: invalid regular expression \`${pattern}\`: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  CACHE.set(pattern, regex);
  return regex;
}

function translate(source: string, name: string): string {
  if (!/\\[AzZQ]|[*+?}]\+|\(\?>|\(\?[a-zA-Z-]+[:)]/.test(source)) return source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'Q') {
        const end = source.indexOf('\\E', i + 2);
        const literal = source.slice(i + 2, end === -1 ? source.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? source.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'z') out += '(?![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
      continue;
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(source[i - 1]!) && source[i - 2] !== '\\') continue; // possessive: greedy
    if (c === '(' && source.startsWith('(?>', i)) {
      out += '(?:'; // atomic group: a plain group (same matches, more backtracking)
      i += 2;
      continue;
    }
    if (c === '(' && /^\(\?[a-zA-Z-]+[:)]/.test(source.slice(i, i + 12))) {
      fail(`\`${name}\`: inline flags like \`(?i)\` are only supported at the start of the regex`);
    }
    out += c;
  }
  return out;
}

type Part = string | number | { name: string };

/** A Java replacement string (`$1`, `${name}`, `\$`) as a replacer function for String.replace. */
export function javaReplacement(
  replacement: string,
  name: string,
): (match: string, ...rest: unknown[]) => string {
  if (!/[$\\]/.test(replacement)) return () => replacement;
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length)
        fail(`\`${name}\`: character to be escaped is missing at the end of the replacement`);
      text += replacement[i];
    } else if (c === '$') {
      if (text) parts.push(text);
      text = '';
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i);
        if (end === -1)
          fail(`\`${name}\`: named group reference \`\${\` is missing its \`}\` in the replacement`);
        parts.push({ name: replacement.slice(i + 2, end) });
        i = end;
      } else {
        const digits = /^\d+/.exec(replacement.slice(i + 1));
        if (!digits)
          fail(
            `\`${name}\`: illegal group reference \`$\` in the replacement (write \`\\$\` for a dollar sign)`,
          );
        parts.push(Number(digits[0]));
        i += digits[0].length;
      }
    } else {
      text += c;
    }
  }
  if (text) parts.push(text);
  return (match, ...rest) => {
    const groups = rest.at(-1);
    const named =
      typeof groups === 'object' && groups !== null
        ? (groups as Record<string, string | undefined>)
        : undefined;
    const captures = named ? rest.slice(0, -3) : rest.slice(0, -2);
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if (typeof part === 'number') out += groupOf(part, match, captures, name);
      else {
        if (!named || !(part.name in named)) fail(`\`${name}\`: no group named \`${part.name}\``);
        out += named[part.name] ?? '';
      }
    }
    return out;
  };
}

/** Java takes as many digits after `$` as still name an existing group. */
function groupOf(index: number, match: string, captures: unknown[], name: string): string {
  let n = index;
  let rest = '';
  while (n > captures.length && n >= 10) {
    rest = String(n % 10) + rest;
    n = Math.floor(n / 10);
  }
  if (n > captures.length) fail(`\`${name}\`: no group ${n} in the regex`);
  const value = n === 0 ? match : captures[n - 1];
  return (typeof value === 'string' ? value : '') + rest;
}

/** Java's `String.split(regex, limit)`: trailing empty strings go when limit is 0. */
export function javaSplit(input: string, delimiter: string, limit: number, name: string): string[] {
  const parts: string[] = [];
  const simple = delimiter.length === 1 && !'.$|()[{^?*+\\'.includes(delimiter);
  const regex = simple ? undefined : javaRegex(delimiter, name);
  let index = 0;
  let from = 0;
  while (from <= input.length && (limit <= 0 || parts.length < limit - 1)) {
    let start: number;
    let end: number;
    if (regex) {
      regex.lastIndex = from;
      const m = regex.exec(input);
      if (!m) break;
      start = m.index;
      end = start + m[0].length;
      from = end === start ? end + 1 : end;
      if (index === 0 && start === 0 && end === 0) continue; // no empty leading part for a zero-width match
    } else {
      start = input.indexOf(delimiter, from);
      if (start === -1) break;
      end = start + 1;
      from = end;
    }
    parts.push(input.slice(index, start));
    index = end;
  }
  if (index === 0) return [input];
  parts.push(input.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

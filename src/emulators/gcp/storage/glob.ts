/**
 * `matchGlob` of object listings, as Cloud Storage reads it: `*` any characters but `/`, `**`
 * any characters (`/` included; `**\/` also matches no folder), `?` one character but `/`,
 * `[abc]` / `[!abc]` / `[a-z]` a character class, `{a,b}` alternatives. Translated to a RegExp;
 * the number of wildcards is capped so a pattern cannot make matching slow.
 */
import { StorageApiError } from './errors.js';

const MAX_GLOB_LENGTH = 1024;
const MAX_WILDCARDS = 16;

function escapeLiteral(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function invalid(glob: string, why: string): never {
  throw new StorageApiError('invalid', `Invalid matchGlob ${JSON.stringify(glob)}: ${why}.`);
}

/** A compiled glob: its RegExp and the literal text every match starts with. */
export interface CompiledGlob {
  regExp: RegExp;
  literalPrefix: string;
}

/** Compiles a `matchGlob` pattern (a malformed one is a 400). */
export function compileGlob(glob: string): CompiledGlob {
  if (glob.length > MAX_GLOB_LENGTH) invalid(glob.slice(0, 40), `longer than ${MAX_GLOB_LENGTH} characters`);
  let source = '';
  let literalPrefix = '';
  let literal = true;
  let wildcards = 0;
  let braceDepth = 0;
  const chars = Array.from(glob);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const special =
      '*?[{},'.includes(char) && (char !== ',' || braceDepth > 0) && (char !== '}' || braceDepth > 0);
    if (special) literal = false;
    else if (literal) literalPrefix += char;
    if (!special) {
      source += escapeLiteral(char);
      continue;
    }
    if (char === '*' || char === '?' || char === '[') {
      wildcards++;
      if (wildcards > MAX_WILDCARDS) invalid(glob, `more than ${MAX_WILDCARDS} wildcards`);
    }
    if (char === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = chars.indexOf(']', i + 2);
      if (close < 0) invalid(glob, 'a [ without its ]');
      let body = chars.slice(i + 1, close);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.map((c) => (c === '-' ? '-' : escapeLiteral(c).replace(/^\\\//, '/'))).join('');
      source += negate ? `[^/${cls}]` : `[${cls}]`;
      i = close;
    } else if (char === '{') {
      braceDepth++;
      source += '(?:';
    } else if (char === '}') {
      braceDepth--;
      source += ')';
    } else {
      source += '|';
    }
  }
  if (braceDepth !== 0) invalid(glob, 'a { without its }');
  try {
    return { regExp: new RegExp(`^${source}$`, 'su'), literalPrefix };
  } catch {
    invalid(glob, 'not a valid pattern');
  }
}

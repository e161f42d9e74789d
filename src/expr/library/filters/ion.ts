import { isMap, javaDoubleToString } from '../../values.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['null', 'true', 'false', 'nan']);

function escape(text: string, quote: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === quote || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

function symbol(name: string): string {
  return IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `'${escape(name, "'")}'`;
}

/** An Ion float as Ion's text writer prints a double: `1.5e0`, `1.0e10`, `nan`, `+inf`. */
function ionFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? '+inf' : '-inf';
  const text = javaDoubleToString(n);
  if (text.includes('E')) return text.replace('E', 'e');
  return `${text}e0`;
}

/** Ion text, as Kestra's Ion mapper writes a value (`{a:1,b:"x",c:[1.5e0,null]}`). */
export function toIonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return `"${escape(value, '"')}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isInteger(value) ? String(value) : ionFloat(value);
    case 'bigint':
      return value.toString();
    default:
      if (Array.isArray(value)) return `[${value.map(toIonText).join(',')}]`;
      if (isMap(value)) {
        return `{${Object.entries(value)
          .map(([k, v]) => `${symbol(k)}:${toIonText(v)}`)
          .join(',')}}`;
      }
      return `"${escape((value as { toString(): string }).toString(), '"')}"`;
  }
}

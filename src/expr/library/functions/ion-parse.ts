import { Buffer } from 'node:buffer';
import { fail } from '../filters/support.js';

const DELIMITER = /[\s,:\]})[{("']/;
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9_]+(?:\.[0-9_]*)?(?:[eEdD][+-]?[0-9]+)?)$/;
const TIMESTAMP = /^\d{4}(?:-\d{2}(?:-\d{2})?)?T|^\d{4}-\d{2}-\d{2}$/;
/** A timestamp with a time of day (its `:` would otherwise end the token). */
const TIMESTAMP_AT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[\d:.]*(?:Z|[+-]\d{2}:\d{2})?/y;

/** A reader of Ion text (Kestra's internal storage format): values as plain JSON-like data. */
class IonReader {
  private at = 0;
  constructor(private readonly text: string) {}

  private error(what: string): never {
    return fail(`\`fromIon()\`: invalid Ion at character ${this.at}: ${what}`);
  }

  /** Skips whitespace and comments; false at the end of the text. */
  more(): boolean {
    const t = this.text;
    for (;;) {
      while (this.at < t.length && /\s/.test(t[this.at]!)) this.at++;
      if (t.startsWith('//', this.at)) {
        const end = t.indexOf('\n', this.at);
        this.at = end === -1 ? t.length : end;
      } else if (t.startsWith('/*', this.at)) {
        const end = t.indexOf('*/', this.at + 2);
        if (end === -1) this.error('unterminated comment');
        this.at = end + 2;
      } else return this.at < t.length;
    }
  }

  value(): unknown {
    if (!this.more()) this.error('a value is missing');
    const t = this.text;
    const c = t[this.at]!;
    if (c === '{' && t[this.at + 1] === '{') return this.lob();
    if (c === '{') return this.struct();
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '"') return this.string('"');
    if (t.startsWith("'''", this.at)) return this.longString();
    if (c === "'") {
      const symbol = this.string("'");
      return this.annotated(symbol);
    }
    TIMESTAMP_AT.lastIndex = this.at;
    const timestamp = TIMESTAMP_AT.exec(t);
    if (timestamp) {
      this.at += timestamp[0].length;
      return timestamp[0];
    }
    const token = this.token();
    if (this.more() && t.startsWith('::', this.at)) return this.annotated(token);
    return this.scalar(token);
  }

  /** After `name::`, the annotated value (annotations are dropped); else the symbol itself. */
  private annotated(symbol: string): unknown {
    if (this.more() && this.text.startsWith('::', this.at)) {
      this.at += 2;
      return this.value();
    }
    return symbol;
  }

  private token(): string {
    const start = this.at;
    while (this.at < this.text.length && !DELIMITER.test(this.text[this.at]!)) {
      if (this.text.startsWith('//', this.at) || this.text.startsWith('/*', this.at)) break;
      this.at++;
    }
    if (start === this.at) this.error(`unexpected \`${this.text[this.at]}\``);
    return this.text.slice(start, this.at);
  }

  private scalar(token: string): unknown {
    if (token === 'null' || token.startsWith('null.')) return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'nan') return Number.NaN;
    if (token === '+inf') return Number.POSITIVE_INFINITY;
    if (token === '-inf') return Number.NEGATIVE_INFINITY;
    if (TIMESTAMP.test(token)) return token;
    if (NUMBER.test(token)) {
      const clean = token.replaceAll('_', '').replace(/[dD]/, 'e');
      if (/^[+-]?0[bB]/.test(clean)) return parseBinary(clean);
      if (/^[+-]?0[xX]/.test(clean))
        return (clean.startsWith('-') ? -1 : 1) * Number(clean.replace(/^[+-]/, ''));
      return Number(clean);
    }
    return token; // a symbol
  }

  private string(quote: string): string {
    const t = this.text;
    let out = '';
    this.at++;
    while (this.at < t.length && t[this.at] !== quote) {
      if (t[this.at] === '\\') {
        out += this.escape();
      } else out += t[this.at++];
    }
    if (this.at >= t.length) this.error('unterminated string');
    this.at++;
    return out;
  }

  private longString(): string {
    let out = '';
    do {
      this.at += 3;
      const t = this.text;
      while (this.at < t.length && !t.startsWith("'''", this.at)) {
        if (t[this.at] === '\\') out += this.escape();
        else out += t[this.at++];
      }
      if (this.at >= t.length) this.error('unterminated long string');
      this.at += 3;
    } while (this.more() && this.text.startsWith("'''", this.at));
    return out;
  }

  private escape(): string {
    const t = this.text;
    const c = t[this.at + 1];
    this.at += 2;
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '"': '"',
      "'": "'",
      '\\': '\\',
      '/': '/',
      '?': '?',
      '\n': '',
    };
    if (c !== undefined && c in simple) return simple[c]!;
    const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    const hex = t.slice(this.at, this.at + width);
    if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width)
      this.error(`bad escape \`\\${c ?? ''}\``);
    this.at += width;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  private struct(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      if (!this.more()) this.error('unterminated struct');
      if (this.text[this.at] === '}') break;
      const c = this.text[this.at];
      const key =
        c === '"'
          ? this.string('"')
          : this.text.startsWith("'''", this.at)
            ? this.longString()
            : c === "'"
              ? this.string("'")
              : this.token();
      if (!this.more() || this.text[this.at] !== ':') this.error('`:` expected after a field name');
      this.at++;
      out[key] = this.value();
      if (!this.more()) this.error('unterminated struct');
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== '}') this.error('`,` or `}` expected');
    }
    this.at++;
    return out;
  }

  private sequence(close: string): unknown[] {
    const out: unknown[] = [];
    this.at++;
    for (;;) {
      if (!this.more()) this.error(`unterminated list, \`${close}\` expected`);
      if (this.text[this.at] === close) break;
      out.push(this.value());
      if (!this.more()) this.error(`unterminated list, \`${close}\` expected`);
      if (this.text[this.at] === ',') this.at++;
    }
    this.at++;
    return out;
  }

  /** `{{ base64 }}` (a blob, as its base64 text) or `{{ "text" }}` (a clob, as its text). */
  private lob(): string {
    const end = this.text.indexOf('}}', this.at + 2);
    if (end === -1) this.error('unterminated blob');
    const body = this.text.slice(this.at + 2, end).trim();
    this.at = end + 2;
    if (body.startsWith('"')) return new IonReader(body).string('"');
    return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('base64');
  }
}

function parseBinary(text: string): number {
  const negative = text.startsWith('-');
  const value = parseInt(text.replace(/^[+-]?0[bB]/, ''), 2);
  return negative ? -value : value;
}

/** The values of an Ion text, one per top-level value (Kestra stores one row per line). */
export function parseIon(text: string, all: boolean): unknown[] {
  const reader = new IonReader(text);
  const rows: unknown[] = [];
  while (reader.more()) {
    const value = reader.value();
    // The Ion version marker is not a value.
    if (typeof value === 'string' && /^\$ion_1_\d+$/.test(value)) continue;
    rows.push(value);
    if (!all) break;
  }
  return rows;
}

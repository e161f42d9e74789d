import { ExpressionError, ExpressionErrorCodes } from './errors.js';

export type TokenType =
  | 'TEXT'
  | 'PRINT_START'
  | 'PRINT_END'
  | 'TAG_START'
  | 'TAG_END'
  | 'NAME'
  | 'NUMBER'
  | 'STRING'
  | 'OPERATOR'
  | 'PUNCT'
  | 'INTERP_START'
  | 'INTERP_END'
  | 'EOF';

export interface Token {
  type: TokenType;
  value: string;
  /** Offset of the token's first character in the template. */
  start: number;
}

/** Operators, longest first so that `is not` wins over `is` and `???` over `??`. */
const OPERATORS = [
  'is not',
  'not in',
  'contains',
  'equals',
  '???',
  'not',
  'and',
  '??',
  'or',
  'is',
  'in',
  '==',
  '!=',
  '>=',
  '<=',
  '..',
  '>',
  '<',
  '+',
  '-',
  '*',
  '/',
  '%',
  '|',
  '~',
];
const OPERATOR_PATTERN = new RegExp(
  OPERATORS.map(
    (op) => op.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + (/[a-z]$/.test(op) ? '(?![a-zA-Z0-9_])' : ''),
  ).join('|'),
  'y',
);
const NAME_PATTERN = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER_PATTERN = /[0-9]+(\.[0-9]+)?L?/y;
const WHITESPACE_PATTERN = /\s*/y;
const SINGLE_QUOTED = /'((?:[^'\\]|\\.)*)'/sy;
const PUNCTUATION = '()[]{}?:.,|=';
const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const RAW_START = /\{%-?\s*(raw|verbatim)\s*-?%\}/y;
const RAW_END: Record<string, RegExp> = {
  raw: /\{%(-?)\s*endraw\s*(-?)%\}/g,
  verbatim: /\{%(-?)\s*endverbatim\s*(-?)%\}/g,
};

export interface LexOptions {
  /**
   * Read `{{{ x }}}` as a literal `{`, the expression `x` and a literal `}` (the course notes
   * write it inside Python f-strings). Used only as a fallback when the template does not parse.
   */
  lenientBraces?: boolean;
}

/**
 * Splits a template into tokens: text, `{{ … }}` and `{% … %}` with their expression tokens.
 * Comments `{# … #}` are dropped; `{% raw %}`/`{% verbatim %}` blocks become text; `-` trims
 * the whitespace on its side. Linear in the template's length.
 */
export function tokenize(template: string, options: LexOptions = {}): Token[] {
  return new Lexer(template, options).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private trimNextText = false;
  /** Open brackets and quotes, innermost last, with where they opened. */
  private readonly brackets: Array<{ char: string; at: number }> = [];

  constructor(
    private readonly src: string,
    private readonly options: LexOptions,
  ) {}

  run(): Token[] {
    while (this.pos < this.src.length) this.data();
    this.tokens.push({ type: 'EOF', value: '', start: this.src.length });
    return this.tokens;
  }

  private fail(message: string, at: number): never {
    throw new ExpressionError(ExpressionErrorCodes.SYNTAX, message, at, this.src);
  }

  private pushText(text: string, start: number): void {
    let value = text;
    if (this.trimNextText) {
      value = value.replace(/^\s+/, '');
      this.trimNextText = false;
    }
    if (value) this.tokens.push({ type: 'TEXT', value, start });
  }

  /** Text up to the next delimiter, then the delimited region. */
  private data(): void {
    const src = this.src;
    let open = src.indexOf('{', this.pos);
    while (open !== -1) {
      const next = src.charCodeAt(open + 1);
      if (next === 0x7b /* { */ || next === 0x25 /* % */ || next === 0x23 /* # */) break;
      open = src.indexOf('{', open + 1);
    }
    if (open === -1) {
      this.pushText(src.slice(this.pos), this.pos);
      this.pos = src.length;
      return;
    }
    let textEnd = open;
    const kind = src[open + 1];
    if (kind === '{' && this.options.lenientBraces && src[open + 2] === '{') textEnd = open + 1; // `{{{`: keep one `{` as text
    const textStart = this.pos;
    const afterDelimiter = textEnd + 2;
    const trimBefore = src[afterDelimiter] === '-';
    let text = src.slice(textStart, textEnd);
    if (trimBefore) text = text.replace(/\s+$/, '');
    this.pushText(text, textStart);
    this.pos = afterDelimiter + (trimBefore ? 1 : 0);

    if (kind === '#') return this.comment(textEnd);
    if (kind === '%') {
      RAW_START.lastIndex = textEnd;
      const raw = RAW_START.exec(src);
      if (raw) return this.raw(raw, textEnd);
      this.tokens.push({ type: 'TAG_START', value: '{%', start: textEnd });
      return this.region('%}', 'TAG_END', textEnd);
    }
    this.tokens.push({ type: 'PRINT_START', value: '{{', start: textEnd });
    return this.region('}}', 'PRINT_END', textEnd);
  }

  private comment(start: number): void {
    const end = this.src.indexOf('#}', this.pos);
    if (end === -1) this.fail('unclosed comment: `{#` needs a matching `#}`', start);
    if (this.src[end - 1] === '-') this.trimNextText = true;
    this.pos = end + 2;
  }

  private raw(match: RegExpExecArray, start: number): void {
    const name = match[1]!;
    const endPattern = RAW_END[name]!;
    endPattern.lastIndex = start + match[0].length;
    const end = endPattern.exec(this.src);
    if (!end) this.fail(`unclosed \`{% ${name} %}\`: it needs a matching \`{% end${name} %}\``, start);
    let text = this.src.slice(start + match[0].length, end.index);
    if (match[0].endsWith('-%}')) text = text.replace(/^\s+/, '');
    if (end[1] === '-') text = text.replace(/\s+$/, '');
    this.tokens.push({ type: 'TEXT', value: text, start: start + match[0].length });
    this.trimNextText = end[2] === '-';
    this.pos = end.index + end[0].length;
  }

  /** Expression tokens until the closing delimiter (outside brackets and strings). */
  private region(close: '}}' | '%}', endType: 'PRINT_END' | 'TAG_END', start: number): void {
    const src = this.src;
    for (;;) {
      WHITESPACE_PATTERN.lastIndex = this.pos;
      WHITESPACE_PATTERN.exec(src);
      this.pos = WHITESPACE_PATTERN.lastIndex;
      if (this.pos >= src.length) {
        const open = this.brackets.pop();
        if (open) this.fail(`unclosed \`${open.char}\``, open.at);
        this.fail(`unclosed \`${close === '}}' ? '{{' : '{%'}\`: it needs a matching \`${close}\``, start);
      }
      if (this.brackets.length === 0) {
        const trimAfter = src[this.pos] === '-' && src.startsWith(close, this.pos + 1);
        if (trimAfter || src.startsWith(close, this.pos)) {
          this.tokens.push({ type: endType, value: close, start: this.pos });
          this.pos += close.length + (trimAfter ? 1 : 0);
          if (trimAfter) this.trimNextText = true;
          return;
        }
      }
      this.expressionToken();
    }
  }

  private expressionToken(): void {
    const src = this.src;
    const start = this.pos;
    const c = src[start]!;

    OPERATOR_PATTERN.lastIndex = start;
    const op = OPERATOR_PATTERN.exec(src);
    if (op) {
      this.tokens.push({ type: 'OPERATOR', value: op[0], start });
      this.pos = start + op[0].length;
      return;
    }
    NAME_PATTERN.lastIndex = start;
    const name = NAME_PATTERN.exec(src);
    if (name) {
      this.tokens.push({ type: 'NAME', value: name[0], start });
      this.pos = start + name[0].length;
      return;
    }
    NUMBER_PATTERN.lastIndex = start;
    const number = NUMBER_PATTERN.exec(src);
    if (number) {
      this.tokens.push({ type: 'NUMBER', value: number[0], start });
      this.pos = start + number[0].length;
      return;
    }
    if (PUNCTUATION.includes(c)) {
      if (c === '(' || c === '[' || c === '{') {
        this.brackets.push({ char: c, at: start });
      } else if (c === ')' || c === ']' || c === '}') {
        const open = this.brackets.pop();
        if (!open) this.fail(`unexpected \`${c}\``, start);
        if (CLOSING[open.char] !== c && c === '}' && (src[start + 1] === '}' || src[start - 1] === '%')) {
          this.fail(`unclosed \`${open.char}\``, open.at);
        }
        if (CLOSING[open.char] !== c) {
          this.fail(
            `\`${open.char}\` is closed by \`${c}\`; expected \`${CLOSING[open.char] ?? '}'}\``,
            start,
          );
        }
      }
      this.tokens.push({ type: 'PUNCT', value: c, start });
      this.pos = start + 1;
      return;
    }
    if (c === "'") {
      SINGLE_QUOTED.lastIndex = start;
      const quoted = SINGLE_QUOTED.exec(src);
      if (!quoted) this.fail("unclosed string: a `'` has no matching `'`", start);
      this.tokens.push({ type: 'STRING', value: unescape(quoted[1]!, "'"), start });
      this.pos = SINGLE_QUOTED.lastIndex;
      return;
    }
    if (c === '"') return this.doubleQuoted(start);
    if (c === '}' || c === '%') this.fail(`unexpected \`${c}\``, start);
    this.fail(`unexpected character \`${c}\``, start);
  }

  /** A double-quoted string, possibly with `#{ … }` interpolations. */
  private doubleQuoted(start: number): void {
    const src = this.src;
    let pos = start + 1;
    let chunk = '';
    let chunkStart = pos;
    let interpolated = false;
    for (;;) {
      if (pos >= src.length) this.fail('unclosed string: a `"` has no matching `"`', start);
      const c = src[pos]!;
      if (c === '\\' && pos + 1 < src.length) {
        chunk += src[pos + 1] === '"' ? '"' : src[pos + 1] === '\\' ? '\\' : `\\${src[pos + 1]}`;
        pos += 2;
        continue;
      }
      if (c === '"') break;
      if (c === '#' && src[pos + 1] === '{') {
        if (!interpolated) {
          interpolated = true;
          this.tokens.push({ type: 'INTERP_START', value: '"', start });
        }
        if (chunk) this.tokens.push({ type: 'STRING', value: chunk, start: chunkStart });
        chunk = '';
        this.tokens.push({ type: 'PUNCT', value: '(', start: pos });
        this.pos = pos + 2;
        this.brackets.push({ char: '#{', at: pos });
        this.interpolation(pos);
        pos = this.pos;
        chunkStart = pos;
        this.tokens.push({ type: 'PUNCT', value: ')', start: pos - 1 });
        continue;
      }
      chunk += c;
      pos++;
    }
    if (interpolated) {
      if (chunk) this.tokens.push({ type: 'STRING', value: chunk, start: chunkStart });
      this.tokens.push({ type: 'INTERP_END', value: '"', start: pos });
    } else {
      this.tokens.push({ type: 'STRING', value: chunk, start });
    }
    this.pos = pos + 1;
  }

  /** Expression tokens of a `#{ … }` interpolation, up to its closing `}`. */
  private interpolation(start: number): void {
    const depth = this.brackets.length;
    for (;;) {
      WHITESPACE_PATTERN.lastIndex = this.pos;
      WHITESPACE_PATTERN.exec(this.src);
      this.pos = WHITESPACE_PATTERN.lastIndex;
      if (this.pos >= this.src.length) this.fail('unclosed `#{` in a string', start);
      if (this.brackets.length === depth && this.src[this.pos] === '}') {
        this.brackets.pop();
        this.pos += 1;
        return;
      }
      this.expressionToken();
    }
  }
}

/** Pebble unescapes only the quote and the backslash; other escapes stay as written. */
function unescape(text: string, quote: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/gs, (match: string, c: string) => (c === quote || c === '\\' ? c : match));
}

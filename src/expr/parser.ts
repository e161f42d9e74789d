import type { Args, Expr, Node } from './ast.js';
import { ExpressionError, ExpressionErrorCodes } from './errors.js';
import { tokenize } from './lexer.js';
import { MAX_HEIGHT, tallerThan } from './tree-height.js';
import type { LexOptions, Token } from './lexer.js';

/**
 * Binary operators and their precedence, as Pebble (and Kestra's `??`, `???`, `in`) define them:
 * higher binds tighter. `|` (filters) and `is` (tests) take a name, not an expression, on the right.
 */
const BINARY: Record<string, number> = {
  or: 10,
  and: 15,
  is: 20,
  'is not': 20,
  contains: 20,
  in: 20,
  'not in': 20,
  '==': 30,
  equals: 30,
  '!=': 30,
  '>': 30,
  '<': 30,
  '>=': 30,
  '<=': 30,
  '+': 40,
  '-': 40,
  '*': 60,
  '/': 60,
  '%': 60,
  '|': 100,
  '~': 110,
  '..': 120,
  '??': 120,
  '???': 120,
};
const UNARY: Record<string, number> = { not: 500, '+': 500, '-': 500 };
const RESERVED = new Set(['true', 'false', 'null', 'none']);

/** Deeper nesting of expressions or tags than this is refused, so no template can overflow the stack. */
export const MAX_DEPTH = 200;
/**
 * Longest chain of operators, filters or attribute accesses in one expression: chains build
 * deep trees without recursion in the parser, but compiling and evaluating them recurses.
 */
export const MAX_CHAIN = 500;

/** Parses a template into nodes. Throws ExpressionError (with the offset) on a syntax error. */
export function parseTemplate(template: string, options: LexOptions = {}): Node[] {
  const parser = new Parser(template, tokenize(template, options));
  const nodes = parser.template();
  const tooTall = tallerThan(nodes, MAX_HEIGHT);
  if (tooTall) {
    throw new ExpressionError(
      ExpressionErrorCodes.TOO_COMPLEX,
      `the expression is nested more than ${MAX_HEIGHT} levels deep`,
      tooTall.at,
      template,
    );
  }
  return nodes;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.current;
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private fail(message: string, at = this.current.start): never {
    throw new ExpressionError(ExpressionErrorCodes.SYNTAX, message, at, this.src);
  }

  private is(type: Token['type'], value?: string): boolean {
    const t = this.current;
    return t.type === type && (value === undefined || t.value === value);
  }

  private expect(type: Token['type'], value?: string): Token {
    if (!this.is(type, value))
      this.fail(`expected ${describeExpected(type, value)}, found ${describeToken(this.current)}`);
    return this.next();
  }

  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ExpressionError(
        ExpressionErrorCodes.TOO_COMPLEX,
        `nested more than ${MAX_DEPTH} levels deep`,
        at,
        this.src,
      );
    }
  }

  private leave(): void {
    this.depth--;
  }

  private tooLong(at: number): never {
    throw new ExpressionError(
      ExpressionErrorCodes.TOO_COMPLEX,
      `the expression chains more than ${MAX_CHAIN} operators, filters or attributes`,
      at,
      this.src,
    );
  }

  template(): Node[] {
    const nodes = this.body([]);
    if (!this.is('EOF')) this.fail(`unexpected ${describeToken(this.current)}`);
    return nodes;
  }

  /** Nodes until EOF or a `{% name %}` tag whose name is in `stops` (left unconsumed). */
  private body(stops: readonly string[]): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.current;
      if (t.type === 'EOF') return nodes;
      if (t.type === 'TEXT') {
        nodes.push({ kind: 'text', text: t.value, at: t.start });
        this.next();
      } else if (t.type === 'PRINT_START') {
        this.next();
        if (this.is('PRINT_END')) this.fail('empty `{{ }}`: write an expression between the braces');
        const expr = this.expression();
        const end = this.expect('PRINT_END').start;
        nodes.push({ kind: 'print', expr, at: t.start, end: end + 2 });
      } else if (t.type === 'TAG_START') {
        const name = this.peek();
        if (name.type !== 'NAME' && name.type !== 'OPERATOR')
          this.fail('expected a tag name after `{%`', name.start);
        if (stops.includes(name.value)) return nodes;
        nodes.push(this.tag());
      } else {
        this.fail(`unexpected ${describeToken(t)}`);
      }
    }
  }

  private tag(): Node {
    const start = this.expect('TAG_START').start;
    const name = this.next();
    this.enter(start);
    try {
      switch (name.value) {
        case 'if':
          return this.ifTag(start);
        case 'for':
          return this.forTag(start);
        case 'set':
          return this.setTag(start);
        case 'filter':
          return this.filterTag(start);
        case 'elseif':
        case 'else':
        case 'endif':
        case 'endfor':
        case 'endfilter':
          return this.fail(`\`{% ${name.value} %}\` without its opening tag`, name.start);
        case 'macro':
        case 'block':
        case 'extends':
        case 'include':
        case 'import':
        case 'embed':
        case 'autoescape':
        case 'parallel':
        case 'cache':
        case 'from':
        case 'flush':
          return this.fail(`the \`{% ${name.value} %}\` tag is not supported in flows`, name.start);
        default:
          return this.fail(`unknown tag \`{% ${name.value} %}\``, name.start);
      }
    } finally {
      this.leave();
    }
  }

  /** Consumes `{% name %}` and returns its start. */
  private closeTag(name: string, opener: string, openedAt: number): void {
    if (this.is('EOF')) this.fail(`\`{% ${opener} %}\` is not closed: it needs \`{% ${name} %}\``, openedAt);
    this.expect('TAG_START');
    const t = this.next();
    if (t.value !== name) this.fail(`expected \`{% ${name} %}\`, found \`{% ${t.value} %}\``, t.start);
    this.expect('TAG_END');
  }

  private ifTag(start: number): Node {
    const branches: Array<{ cond: Expr; body: Node[] }> = [];
    let cond = this.expression();
    this.expect('TAG_END');
    let otherwise: Node[] | null = null;
    for (;;) {
      const body = this.body(['elseif', 'else', 'endif']);
      branches.push({ cond, body });
      if (this.is('EOF')) this.fail('`{% if %}` is not closed: it needs `{% endif %}`', start);
      this.expect('TAG_START');
      const t = this.next();
      if (t.value === 'elseif') {
        cond = this.expression();
        this.expect('TAG_END');
        continue;
      }
      if (t.value === 'else') {
        this.expect('TAG_END');
        otherwise = this.body(['endif']);
        this.closeTag('endif', 'if', start);
      } else {
        this.expect('TAG_END');
      }
      return { kind: 'if', branches, otherwise, at: start };
    }
  }

  private forTag(start: number): Node {
    const variable = this.newVariableName();
    if (!(this.is('OPERATOR', 'in') || this.is('NAME', 'in')))
      this.fail(`expected \`in\` after \`{% for ${variable}\``);
    this.next();
    const iterable = this.expression();
    this.expect('TAG_END');
    const body = this.body(['else', 'endfor']);
    let otherwise: Node[] | null = null;
    if (this.is('EOF')) this.fail('`{% for %}` is not closed: it needs `{% endfor %}`', start);
    if (this.peek().value === 'else') {
      this.expect('TAG_START');
      this.next();
      this.expect('TAG_END');
      otherwise = this.body(['endfor']);
    }
    this.closeTag('endfor', 'for', start);
    return { kind: 'for', variable, iterable, body, otherwise, at: start };
  }

  private setTag(start: number): Node {
    const name = this.newVariableName();
    this.expect('PUNCT', '=');
    const value = this.expression();
    this.expect('TAG_END');
    return { kind: 'set', name, value, at: start };
  }

  private filterTag(start: number): Node {
    const filters: Array<{ name: string; args: Args; at: number }> = [];
    do {
      const name = this.expect('NAME');
      const args = this.is('PUNCT', '(') ? this.args() : { positional: [], named: [] };
      filters.push({ name: name.value, args, at: name.start });
    } while (this.is('OPERATOR', '|') && this.next());
    this.expect('TAG_END');
    const body = this.body(['endfilter']);
    this.closeTag('endfilter', 'filter', start);
    return { kind: 'filterBlock', filters, body, at: start };
  }

  private newVariableName(): string {
    const t = this.expect('NAME');
    if (RESERVED.has(t.value)) this.fail(`cannot assign a value to \`${t.value}\``, t.start);
    return t.value;
  }

  // ---- expressions (precedence climbing, as Pebble's ExpressionParser) ----

  expression(minPrecedence = 0): Expr {
    const start = this.current.start;
    this.enter(start);
    try {
      let expr: Expr;
      const t = this.current;
      if (t.type === 'OPERATOR' && UNARY[t.value] !== undefined) {
        this.next();
        const operand = this.expression(UNARY[t.value]);
        expr = { kind: 'unary', op: t.value, operand, at: t.start };
      } else if (this.is('PUNCT', '(')) {
        this.next();
        expr = this.expression();
        this.expect('PUNCT', ')');
        expr = this.postfix(expr);
      } else if (this.is('PUNCT', '[')) {
        expr = this.arrayLiteral();
      } else if (this.is('PUNCT', '{')) {
        expr = this.mapLiteral();
      } else {
        expr = this.primary();
      }

      for (let chain = 0; ; chain++) {
        const op = this.current;
        const precedence = op.type === 'OPERATOR' ? BINARY[op.value] : undefined;
        if (precedence === undefined || precedence < minPrecedence) break;
        if (chain >= MAX_CHAIN) this.tooLong(op.start);
        this.next();
        if (op.value === '|') {
          const name = this.expect('NAME');
          const args = this.is('PUNCT', '(') ? this.args() : { positional: [], named: [] };
          expr = { kind: 'filter', input: expr, name: name.value, args, at: name.start };
        } else if (op.value === 'is' || op.value === 'is not') {
          const name = this.expectTestName();
          const args = this.is('PUNCT', '(') ? this.args() : { positional: [], named: [] };
          expr = {
            kind: 'test',
            input: expr,
            name: name.value,
            args,
            negated: op.value === 'is not',
            at: name.start,
          };
        } else {
          const right = this.expression(precedence + 1);
          expr = {
            kind: 'binary',
            op: op.value === 'equals' ? '==' : op.value,
            left: expr,
            right,
            at: op.start,
          };
        }
      }

      if (minPrecedence === 0 && this.is('PUNCT', '?')) {
        const at = this.next().start;
        const then = this.expression();
        this.expect('PUNCT', ':');
        const otherwise = this.expression();
        expr = { kind: 'ternary', cond: expr, then, else: otherwise, at };
      }
      return expr;
    } finally {
      this.leave();
    }
  }

  /** Test names may be `null` or `defined`, which are names, or `empty`, `even`… */
  private expectTestName(): Token {
    const t = this.current;
    if (t.type === 'NAME') return this.next();
    return this.fail(
      `expected a test name after \`is\` (such as \`defined\`, \`null\`, \`empty\`), found ${describeToken(t)}`,
    );
  }

  private primary(): Expr {
    const t = this.current;
    switch (t.type) {
      case 'NAME': {
        this.next();
        switch (t.value) {
          case 'true':
          case 'TRUE':
            return this.postfix({ kind: 'literal', value: true, at: t.start });
          case 'false':
          case 'FALSE':
            return this.postfix({ kind: 'literal', value: false, at: t.start });
          case 'null':
          case 'NULL':
          case 'none':
          case 'NONE':
            return this.postfix({ kind: 'literal', value: null, at: t.start });
          default:
            if (this.is('PUNCT', '(')) {
              return this.postfix({ kind: 'call', name: t.value, args: this.args(), at: t.start });
            }
            return this.postfix({ kind: 'var', name: t.value, at: t.start });
        }
      }
      case 'NUMBER': {
        this.next();
        const text = t.value.endsWith('L') ? t.value.slice(0, -1) : t.value;
        const value = Number(text);
        return this.postfix({ kind: 'literal', value, double: text.includes('.'), at: t.start });
      }
      case 'STRING':
        this.next();
        return this.postfix({ kind: 'literal', value: t.value, at: t.start });
      case 'INTERP_START':
        return this.postfix(this.interpolatedString());
      default:
        return this.fail(
          `unexpected ${describeToken(t)}${t.type === 'PRINT_END' || t.type === 'TAG_END' ? ': an expression is missing' : ''}`,
        );
    }
  }

  private interpolatedString(): Expr {
    const start = this.expect('INTERP_START').start;
    const parts: Expr[] = [];
    while (!this.is('INTERP_END')) {
      if (this.is('STRING')) {
        const t = this.next();
        parts.push({ kind: 'literal', value: t.value, at: t.start });
      } else {
        this.expect('PUNCT', '(');
        parts.push(this.expression());
        this.expect('PUNCT', ')');
      }
    }
    this.next();
    return { kind: 'concat', parts, at: start };
  }

  /** `.name`, `.name(args)`, `[expr]` and `(args)` after an expression. */
  private postfix(node: Expr): Expr {
    let expr = node;
    for (let chain = 0; ; chain++) {
      if (chain > MAX_CHAIN) this.tooLong(this.current.start);
      if (this.is('PUNCT', '.')) {
        this.next();
        const name = this.current;
        if (name.type !== 'NAME' && name.type !== 'NUMBER' && name.type !== 'OPERATOR') {
          this.fail(`expected an attribute name after \`.\`, found ${describeToken(name)}`);
        }
        this.next();
        let args: Expr[] | undefined;
        if (this.is('PUNCT', '(')) {
          const parsed = this.args();
          if (parsed.named.length > 0)
            this.fail('methods take positional arguments only', parsed.named[0]!.at);
          args = parsed.positional;
        }
        expr = {
          kind: 'attr',
          object: expr,
          name: { kind: 'literal', value: name.value, at: name.start },
          dotted: true,
          args,
          at: name.start,
        };
      } else if (this.is('PUNCT', '[')) {
        const at = this.next().start;
        const key = this.expression();
        this.expect('PUNCT', ']');
        expr = { kind: 'attr', object: expr, name: key, dotted: false, at };
      } else {
        return expr;
      }
    }
  }

  private args(): Args {
    this.expect('PUNCT', '(');
    const args: Args = { positional: [], named: [] };
    while (!this.is('PUNCT', ')')) {
      if (args.positional.length + args.named.length > 0) this.expect('PUNCT', ',');
      if (this.is('NAME') && this.peek().type === 'PUNCT' && this.peek().value === '=') {
        const name = this.next();
        this.next();
        args.named.push({ name: name.value, value: this.expression(), at: name.start });
      } else {
        if (args.named.length > 0) this.fail('positional arguments must come before named arguments');
        args.positional.push(this.expression());
      }
    }
    this.next();
    return args;
  }

  private arrayLiteral(): Expr {
    const start = this.expect('PUNCT', '[').start;
    const items: Expr[] = [];
    while (!this.is('PUNCT', ']')) {
      if (items.length > 0) this.expect('PUNCT', ',');
      items.push(this.expression());
    }
    this.next();
    return { kind: 'array', items, at: start };
  }

  private mapLiteral(): Expr {
    const start = this.expect('PUNCT', '{').start;
    const entries: Array<[Expr, Expr]> = [];
    while (!this.is('PUNCT', '}')) {
      if (entries.length > 0) this.expect('PUNCT', ',');
      const key = this.expression();
      this.expect('PUNCT', ':');
      entries.push([key, this.expression()]);
    }
    this.next();
    return { kind: 'map', entries, at: start };
  }
}

function describeToken(t: Token): string {
  switch (t.type) {
    case 'EOF':
      return 'the end of the template';
    case 'PRINT_END':
      return '`}}`';
    case 'TAG_END':
      return '`%}`';
    case 'STRING':
      return `the string \`'${t.value}'\``;
    case 'TEXT':
      return 'text';
    default:
      return `\`${t.value}\``;
  }
}

function describeExpected(type: Token['type'], value?: string): string {
  if (value) return `\`${value}\``;
  switch (type) {
    case 'PRINT_END':
      return '`}}`';
    case 'TAG_END':
      return '`%}`';
    case 'NAME':
      return 'a name';
    default:
      return type.toLowerCase();
  }
}

import { describe, expect, it } from 'vitest';
import { ExpressionError, templates } from '../../src/expr/index.js';

/** The error a template raises, as `CODE line:col message`, or the text it renders. */
function outcome(template: string, context: Record<string, unknown> = { a: { b: 1 } }): string {
  try {
    return `rendered ${templates.render(template, context).length} chars`;
  } catch (error) {
    if (error instanceof ExpressionError)
      return `${error.code} ${error.line}:${error.column} ${error.message}`;
    throw error;
  }
}

describe('bad templates give an error with a position; none hang or overflow the stack', () => {
  it('an unclosed {{', () => {
    expect(outcome('Hello\n  {{ a.b')).toBe('WH_EXPR_SYNTAX 2:3 unclosed `{{`: it needs a matching `}}`');
  });

  it('an unknown filter, with a suggestion', () => {
    expect(outcome('{{ a.b | uppper }}')).toBe(
      'WH_EXPR_UNKNOWN_FILTER 1:10 unknown filter `uppper` (did you mean `upper`?)',
    );
  });

  it('the wrong number of arguments', () => {
    expect(outcome("{{ render('x', true, 1) }}")).toBe(
      'WH_EXPR_ARGUMENTS 1:4 `render()` takes at most 2 arguments (template, recursive), got 3',
    );
  });

  it('10,000 nested brackets of each kind', () => {
    expect(outcome(`{{ ${'('.repeat(10_000)}1${')'.repeat(10_000)} }}`)).toBe(
      'WH_EXPR_TOO_COMPLEX 1:204 nested more than 200 levels deep',
    );
    expect(outcome(`{{ ${'['.repeat(10_000)}${']'.repeat(10_000)} }}`)).toBe(
      'WH_EXPR_TOO_COMPLEX 1:204 nested more than 200 levels deep',
    );
    expect(outcome(`{{ ${'{'.repeat(10_000)} }}`)).toBe('WH_EXPR_SYNTAX 1:10001 unclosed `{`');
    expect(outcome(`{{ ${'('.repeat(10_000)} }}`)).toBe('WH_EXPR_SYNTAX 1:10003 unclosed `(`');
  });

  it('10,000 nested tags, unary operators, and chains of operators, attributes and filters', () => {
    expect(outcome(`${'{% if true %}'.repeat(10_000)}x${'{% endif %}'.repeat(10_000)}`)).toMatch(
      /^WH_EXPR_TOO_COMPLEX 1:\d+ nested more than 200 levels deep$/,
    );
    expect(outcome(`{{ ${'not '.repeat(10_000)}true }}`)).toMatch(/^WH_EXPR_TOO_COMPLEX /);
    expect(outcome(`{{ ${Array(10_000).fill('1').join(' + ')} }}`)).toMatch(
      /^WH_EXPR_TOO_COMPLEX 1:\d+ the expression chains more than 500/,
    );
    expect(outcome(`{{ a${'.b'.repeat(10_000)} }}`)).toMatch(/^WH_EXPR_TOO_COMPLEX /);
    expect(outcome(`{{ 1${' | length'.repeat(10_000)} }}`)).toMatch(/^WH_EXPR_TOO_COMPLEX /);
  });

  it('deep and long at once', () => {
    let nested = '1';
    for (let i = 0; i < 150; i++) nested = `(${nested}${' + 1'.repeat(300)})`;
    expect(outcome(`{{ ${nested} }}`)).toMatch(
      /^WH_EXPR_TOO_COMPLEX 1:\d+ the expression is nested more than 1000 levels deep$/,
    );
  });

  it('a 1 MB template renders, and a 1 MB broken one fails fast', () => {
    expect(outcome(`${'x'.repeat(1_000_000)}{{ a.b }}`)).toBe('rendered 1000001 chars');
    expect(outcome('{{ a.b }} '.repeat(100_000))).toBe('rendered 200000 chars');
    const started = Date.now();
    expect(outcome('{{ a.b '.repeat(150_000))).toMatch(/^WH_EXPR_SYNTAX 1:\d+ unclosed `\{`$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('output beyond the limit stops the render', () => {
    expect(() =>
      templates.render('{% for i in 1..1000 %}{{ x }}{% endfor %}', { x: 'y'.repeat(20_000) }),
    ).toThrow('the rendered text is longer than 10000000 characters');
  });

  it('render() cannot recurse forever', () => {
    expect(outcome('{{ render(vars.loop) }}', { vars: { loop: '{{ render(vars.loop) }}' } })).toMatch(
      /^WH_EXPR_EVALUATION .*render\(\) calls are nested more than 20 deep/,
    );
    expect(outcome('{{ render(vars.grow) }}', { vars: { grow: '{{ vars.grow }}x' } })).toMatch(
      /^WH_EXPR_EVALUATION .*still changed after 100 renders/,
    );
  });
});

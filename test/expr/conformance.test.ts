import { describe, expect, it } from 'vitest';
import { ExpressionError, templates } from '../../src/expr/index.js';
import type { RenderOptions } from '../../src/expr/index.js';
import { CTX } from './case.js';
import type { ExprCase } from './case.js';
import { CORE_CASES } from './cases/core.js';
import { FILTER_CASES } from './cases/filters.js';
import { FUNCTION_CASES } from './cases/functions.js';
import { DATE_CASES } from './cases/dates.js';

const TABLES: Record<string, readonly ExprCase[]> = {
  core: CORE_CASES,
  filters: FILTER_CASES,
  functions: FUNCTION_CASES,
  dates: DATE_CASES,
};

function optionsOf(c: ExprCase): RenderOptions {
  return {
    ...(c.now ? { now: () => new Date(c.now!) } : {}),
    timeZone: c.timeZone ?? 'UTC',
    ...(c.host ? { host: c.host } : {}),
  };
}

async function run(c: ExprCase): Promise<unknown> {
  const ctx = c.ctx ?? CTX;
  const options = optionsOf(c);
  if (c.typed !== undefined) return templates.renderTypedAsync(c.t, ctx, options);
  return templates.renderAsync(c.t, ctx, options);
}

describe('expression conformance table', () => {
  it('has at least 400 cases', () => {
    expect(Object.values(TABLES).reduce((n, t) => n + t.length, 0)).toBeGreaterThanOrEqual(400);
  });

  for (const [table, cases] of Object.entries(TABLES)) {
    describe(table, () => {
      it.each(cases.map((c, i) => [`${i + 1}. ${c.name ?? c.t}`, c] as const))('%s', async (_label, c) => {
        if (c.err) {
          const error = await run(c).then(
            (value) => ({ value }),
            (e: unknown) => e,
          );
          expect(error, `expected an error, rendered ${JSON.stringify(error)}`).toBeInstanceOf(
            ExpressionError,
          );
          const e = error as ExpressionError;
          expect(e.code).toBe(c.err.code);
          if (c.err.message) expect(e.message).toContain(c.err.message);
          if (c.err.line !== undefined) expect(e.line).toBe(c.err.line);
          if (c.err.column !== undefined) expect(e.column).toBe(c.err.column);
          return;
        }
        const value = await run(c);
        if (c.typed !== undefined) expect(value).toEqual(c.typed);
        else expect(value).toBe(c.out);
      });
    });
  }
});

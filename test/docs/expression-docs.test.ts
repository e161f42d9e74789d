import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderExpressionDocs } from '../../scripts/expression-docs.js';

describe('expression library docs', () => {
  it('docs/expression-library.md is what `npm run docs:expressions` generates', () => {
    expect(readFileSync('docs/expression-library.md', 'utf8'), 'stale: run npm run docs:expressions').toBe(
      renderExpressionDocs(),
    );
  });
});

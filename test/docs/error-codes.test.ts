import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, ProblemCodes } from '../../src/errors.js';

const doc = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');
const listed = new Set([...doc.matchAll(/^\| `(WH_[A-Z_]+)` \|/gm)].map((m) => m[1]));

describe('docs/errors.md', () => {
  it('lists every error and problem code, and no other', () => {
    const codes = new Set<string>([...Object.values(ErrorCodes), ...Object.values(ProblemCodes)]);
    expect([...codes].filter((c) => !listed.has(c))).toEqual([]);
    expect([...listed].filter((c) => !codes.has(c!))).toEqual([]);
  });
});

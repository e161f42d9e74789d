import { describe, expect, it } from 'vitest';
import { INVALID_CASES } from './invalid-cases.js';
import { errorsOf, validateYaml } from '../helpers.js';

describe('invalid flows: one mistake each, exact message and position', () => {
  it('has at least 60 cases', () => {
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(INVALID_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    expect(testCase.errors.length).toBeGreaterThan(0);
    expect(errorsOf(testCase.yaml)).toEqual(testCase.errors);
    const result = validateYaml(testCase.yaml);
    expect(result.valid).toBe(false);
    expect(result.flows.every((f) => f.flow === undefined)).toBe(true);
  });
});

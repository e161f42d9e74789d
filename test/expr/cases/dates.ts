import type { ExprCase } from '../case.js';

/** Conformance cases: dates. */
export const DATE_CASES: readonly ExprCase[] = [];

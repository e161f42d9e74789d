import type { ExprCase } from '../case.js';

/** Conformance cases: filters. */
export const FILTER_CASES: readonly ExprCase[] = [];

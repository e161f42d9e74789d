import type { ExprCase } from '../case.js';

/** Conformance cases: functions. */
export const FUNCTION_CASES: readonly ExprCase[] = [];

/**
 * Errors of the expression language. `expr/` imports nothing of Windhover's, so its codes are
 * declared here and listed with every other code in src/errors.ts.
 */
export const ExpressionErrorCodes = {
  /** The template cannot be parsed. */
  SYNTAX: 'WH_EXPR_SYNTAX',
  /** A variable or attribute does not exist (strict variables). */
  UNDEFINED: 'WH_EXPR_UNDEFINED',
  /** An operator, filter or function failed on the values it was given. */
  EVALUATION: 'WH_EXPR_EVALUATION',
  UNKNOWN_FILTER: 'WH_EXPR_UNKNOWN_FILTER',
  UNKNOWN_FUNCTION: 'WH_EXPR_UNKNOWN_FUNCTION',
  UNKNOWN_TEST: 'WH_EXPR_UNKNOWN_TEST',
  /** A filter, function or test was called with the wrong arguments. */
  ARGUMENTS: 'WH_EXPR_ARGUMENTS',
  /** Nesting, recursion or output beyond the limits. */
  TOO_COMPLEX: 'WH_EXPR_TOO_COMPLEX',
  /** A function that needs asynchronous rendering (kv, secret, read) in a synchronous render. */
  NEEDS_ASYNC: 'WH_EXPR_NEEDS_ASYNC',
} as const;

export type ExpressionErrorCode = (typeof ExpressionErrorCodes)[keyof typeof ExpressionErrorCodes];

/** An error in a template, with where it happened (0-based offset, 1-based line and column). */
export class ExpressionError extends Error {
  line: number;
  column: number;

  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly offset: number,
    readonly template: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
    const before = template.slice(0, Math.max(0, offset));
    const lastNewline = before.lastIndexOf('\n');
    this.line = before.split('\n').length;
    this.column = offset - lastNewline;
  }
}

/**
 * Thrown while evaluating a variable or attribute that does not exist. Not an Error (no stack
 * trace): `??`, `default` and `is defined` catch it on their normal path, which must be cheap.
 */
export class Undefined {
  constructor(
    /** The dotted path that was looked up, e.g. `inputs.taxi`. */
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {}
}

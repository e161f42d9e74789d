/**
 * Stable error codes, declared in one place. Every error a user can see carries one of these
 * codes; the list is documented in docs/errors.md and must only grow (codes are never reused).
 */
import { ExpressionErrorCodes } from './expr/errors.js';
import type { ExpressionErrorCode } from './expr/errors.js';

export const ErrorCodes = {
  /** The flow failed validation; `details` lists every problem. */
  FLOW_INVALID: 'WH_FLOW_INVALID',
  /** Submitted input values do not match the flow's inputs; `details` lists every problem. */
  INPUT_INVALID: 'WH_INPUT_INVALID',
  /** A file or directory given to the CLI does not exist or cannot be read. */
  FILE_UNREADABLE: 'WH_FILE_UNREADABLE',
  /** The command line is wrong (unknown option, missing argument). */
  USAGE: 'WH_USAGE',
  /** A bug: something that should never happen. The message says what. */
  INTERNAL: 'WH_INTERNAL',
  /** Errors of templates (`{{ … }}`): syntax, undefined variables, filters, functions. */
  ...ExpressionErrorCodes,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** An error a user can act on: a stable code, a message, and optional structured details. */
export class WindhoverError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'WindhoverError';
  }
}

/**
 * Codes of the individual problems that validation reports (inside `details` of a
 * WH_FLOW_INVALID or WH_INPUT_INVALID error). Listed in docs/errors.md.
 */
export const ProblemCodes = {
  YAML_SYNTAX: 'WH_YAML_SYNTAX',
  NOT_TEXT: 'WH_NOT_TEXT',
  UNREADABLE: 'WH_UNREADABLE',
  EMPTY: 'WH_EMPTY',
  TOO_COMPLEX: 'WH_TOO_COMPLEX',
  WRONG_TYPE: 'WH_WRONG_TYPE',
  REQUIRED: 'WH_REQUIRED',
  UNKNOWN_PROPERTY: 'WH_UNKNOWN_PROPERTY',
  UNKNOWN_TYPE: 'WH_UNKNOWN_TYPE',
  INVALID_VALUE: 'WH_INVALID_VALUE',
  DUPLICATE_ID: 'WH_DUPLICATE_ID',
  UNKNOWN_REFERENCE: 'WH_UNKNOWN_REFERENCE',
  DEPENDENCY_CYCLE: 'WH_DEPENDENCY_CYCLE',
  DEPRECATED: 'WH_DEPRECATED',
  SUSPICIOUS: 'WH_SUSPICIOUS',
  INPUT_VALUE: 'WH_INPUT_VALUE',
  /** An expression reads something that cannot exist there (warning; error with --strict). */
  EXPR_REFERENCE: 'WH_EXPR_REFERENCE',
} as const;

/** A problem's code: one of ProblemCodes, or an expression error's code (syntax, unknown filter…). */
export type ProblemCode = (typeof ProblemCodes)[keyof typeof ProblemCodes] | ExpressionErrorCode;

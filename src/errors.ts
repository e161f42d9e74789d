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
  /** No flow with this namespace and id (or revision). */
  FLOW_NOT_FOUND: 'WH_FLOW_NOT_FOUND',
  /** No execution with this id. */
  EXECUTION_NOT_FOUND: 'WH_EXECUTION_NOT_FOUND',
  /** The command does not apply to the execution in its current state (resume of a running one…). */
  EXECUTION_STATE: 'WH_EXECUTION_STATE',
  /** Replay from a task run that is not in the execution. */
  REPLAY_INVALID: 'WH_REPLAY_INVALID',
  /** A task property rendered to a value its type cannot take (`"abc"` for an integer…). */
  TASK_PROPERTY_INVALID: 'WH_TASK_PROPERTY_INVALID',
  /** A `kestra://` URI that is malformed or leaves the storage. */
  STORAGE_URI_INVALID: 'WH_STORAGE_URI_INVALID',
  /** A `kestra://` file that does not exist. */
  STORAGE_FILE_NOT_FOUND: 'WH_STORAGE_FILE_NOT_FOUND',
  /** The database was written by a newer Windhover. */
  STORE_SCHEMA_TOO_NEW: 'WH_STORE_SCHEMA_TOO_NEW',
  /** Another running process uses the data folder. */
  DATA_LOCKED: 'WH_DATA_LOCKED',
  /** A request to the server is malformed (bad query parameter, body of the wrong shape). */
  REQUEST_INVALID: 'WH_REQUEST_INVALID',
  /** No such API route, or no such resource behind it. */
  NOT_FOUND: 'WH_NOT_FOUND',
  /** The request needs credentials (basic auth) and had none, or wrong ones. */
  UNAUTHORIZED: 'WH_UNAUTHORIZED',
  /** The request body is larger than the server accepts. */
  BODY_TOO_LARGE: 'WH_BODY_TOO_LARGE',
  /** A path (namespace file, storage file) is malformed or leaves its root (`..`). */
  PATH_INVALID: 'WH_PATH_INVALID',
  /** Creating a flow that exists already (update it instead). */
  FLOW_EXISTS: 'WH_FLOW_EXISTS',
  /** No KV entry with this key in the namespace (or it expired). */
  KV_NOT_FOUND: 'WH_KV_NOT_FOUND',
  /** No namespace file at this path. */
  NAMESPACE_FILE_NOT_FOUND: 'WH_NAMESPACE_FILE_NOT_FOUND',
  /** No trigger with this id on the flow. */
  TRIGGER_NOT_FOUND: 'WH_TRIGGER_NOT_FOUND',
  /** A backfill request that cannot run (dates reversed, trigger not a Schedule, one running already). */
  BACKFILL_INVALID: 'WH_BACKFILL_INVALID',
  /** No flow has a Webhook trigger with this key. */
  WEBHOOK_NOT_FOUND: 'WH_WEBHOOK_NOT_FOUND',
  /** The server configuration (file, environment, options) is wrong; the message says which setting. */
  CONFIG_INVALID: 'WH_CONFIG_INVALID',
  /** The CLI could not reach the server given by `--server`, or it answered with an error. */
  SERVER_UNREACHABLE: 'WH_SERVER_UNREACHABLE',
  /** The store's database server (PostgreSQL) cannot be reached with the URL given. */
  STORE_UNREACHABLE: 'WH_STORE_UNREACHABLE',
  /** The store's database server is older than Windhover supports. */
  STORE_SERVER_TOO_OLD: 'WH_STORE_SERVER_TOO_OLD',
  /** The store's database went away during a request (restart, outage, session ended): HTTP 503, retry later. */
  STORE_UNAVAILABLE: 'WH_STORE_UNAVAILABLE',
  /**
   * A flow saved or deleted through the API could not be written to (or removed from) its file in
   * a flow folder (`-f`): nothing was saved. HTTP 500; the message says which file and why.
   */
  FLOW_FILE_UNWRITABLE: 'WH_FLOW_FILE_UNWRITABLE',
  /** A Git task could not reach the remote repository (connection refused, unknown host, timeout). */
  GIT_UNREACHABLE: 'WH_GIT_UNREACHABLE',
  /** A Git task's credentials were missing or refused by the remote repository. */
  GIT_AUTH_FAILED: 'WH_GIT_AUTH_FAILED',
  /** The remote answered but has no repository at the URL's path. */
  GIT_REPOSITORY_NOT_FOUND: 'WH_GIT_REPOSITORY_NOT_FOUND',
  /** The branch, tag or commit a Git task asked for is not in the repository. */
  GIT_REF_NOT_FOUND: 'WH_GIT_REF_NOT_FOUND',
  /** The remote refused a Git task's push (the branch moved on, a protected branch, a hook). */
  GIT_PUSH_REJECTED: 'WH_GIT_PUSH_REJECTED',
  /** Another failure of a `git` command (the message carries git's own reason). */
  GIT_FAILED: 'WH_GIT_FAILED',
  /** The Docker task runner found no Docker engine answering where it looked; a task error. */
  DOCKER_UNREACHABLE: 'WH_DOCKER_UNREACHABLE',
  /** The Docker task runner's image is not on the engine and could not be pulled; a task error. */
  DOCKER_IMAGE_NOT_FOUND: 'WH_DOCKER_IMAGE_NOT_FOUND',
  /** The Docker engine refused to create or start the task's container; a task error. */
  DOCKER_ENGINE_ERROR: 'WH_DOCKER_ENGINE_ERROR',
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

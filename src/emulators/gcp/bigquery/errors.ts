/**
 * BigQuery's error shapes: an `ErrorProto` (`reason`, `message`, `location`) inside a job's
 * `status`, and the JSON API's `{ error: { code, message, errors, status } }` body with the HTTP
 * status the reason implies (`invalid`/`invalidQuery` 400, `notFound` 404, `duplicate` 409).
 */

/** The reasons the emulator reports, as BigQuery names them. */
export type BigQueryReason =
  | 'invalid'
  | 'invalidQuery'
  | 'notFound'
  | 'duplicate'
  | 'resourceInUse'
  | 'stopped'
  | 'badRequest'
  | 'backendError'
  | 'bytesBilledLimitExceeded';

/** One entry of `status.errors` / `status.errorResult` of a job, or of an error body's `errors`. */
export interface ErrorProto {
  reason: string;
  message: string;
  location?: string;
}

const httpStatusOf: Record<BigQueryReason, number> = {
  invalid: 400,
  invalidQuery: 400,
  badRequest: 400,
  resourceInUse: 400,
  stopped: 400,
  notFound: 404,
  duplicate: 409,
  backendError: 500,
  bytesBilledLimitExceeded: 400,
};

const statusNameOf: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  500: 'INTERNAL',
};

/** An error the emulator answers in BigQuery's shape. */
export class BigQueryApiError extends Error {
  constructor(
    readonly reason: BigQueryReason,
    message: string,
    /** What the error is about (`query`, a file URI…), as BigQuery's `location`. */
    readonly location?: string,
  ) {
    super(message);
    this.name = 'BigQueryApiError';
  }

  /** The HTTP status BigQuery answers this reason with. */
  get httpStatus(): number {
    return httpStatusOf[this.reason];
  }

  /** The error as a job's `errorResult`. */
  toProto(): ErrorProto {
    return this.location === undefined
      ? { reason: this.reason, message: this.message }
      : { reason: this.reason, message: this.message, location: this.location };
  }
}

/** `Not found: Dataset p:d`, BigQuery's words for a missing dataset. */
export function datasetNotFound(projectId: string, datasetId: string): BigQueryApiError {
  return new BigQueryApiError(
    'notFound',
    `Not found: Dataset ${projectId}:${datasetId} was not found in location US`,
  );
}

/** `Not found: Table p:d.t`, BigQuery's words for a missing table. */
export function tableNotFound(projectId: string, datasetId: string, tableId: string): BigQueryApiError {
  return new BigQueryApiError(
    'notFound',
    `Not found: Table ${projectId}:${datasetId}.${tableId} was not found in location US`,
  );
}

/** An invalid request (bad body, bad parameter): 400 `invalid`. */
export function invalid(message: string): BigQueryApiError {
  return new BigQueryApiError('invalid', message);
}

/** The JSON API's error body for an error, with its HTTP status. */
export function errorBody(error: BigQueryApiError): {
  status: number;
  body: { error: { code: number; message: string; errors: object[]; status: string } };
} {
  const status = error.httpStatus;
  const entry: Record<string, string> = { message: error.message, domain: 'global', reason: error.reason };
  if (error.location !== undefined) {
    entry.location = error.location;
    entry.locationType = 'other';
  }
  return {
    status,
    body: {
      error: {
        code: status,
        message: error.message,
        errors: [entry],
        status: statusNameOf[status] ?? 'UNKNOWN',
      },
    },
  };
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A value from a request as text for messages and settings (objects as JSON). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

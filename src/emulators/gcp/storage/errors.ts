/**
 * Errors of the emulated Cloud Storage JSON API, in Google's shape, so the official clients
 * turn them into the same `ApiError`s (code, reason, message) they raise against Google.
 */

/** The `reason` values the emulator answers with, and their HTTP status. */
export const STORAGE_ERROR_STATUS = {
  invalid: 400,
  required: 400,
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  conflict: 409,
  conditionNotMet: 412,
  requestedRangeNotSatisfiable: 416,
  internalError: 500,
} as const;

export type StorageErrorReason = keyof typeof STORAGE_ERROR_STATUS;

/** A client-visible Cloud Storage error: thrown by the store, answered by the routes. */
export class StorageApiError extends Error {
  readonly status: number;
  constructor(
    readonly reason: StorageErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StorageApiError';
    this.status = STORAGE_ERROR_STATUS[reason];
  }
}

/** Google's JSON error body: `{ error: { code, message, errors: [{ reason, message, domain }] } }`. */
export function googleErrorBody(
  status: number,
  reason: string,
  message: string,
): {
  error: { code: number; message: string; errors: { reason: string; message: string; domain: string }[] };
} {
  return { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } };
}

/** 404 for a bucket that does not exist. */
export function bucketNotFound(bucket: string): StorageApiError {
  return new StorageApiError('notFound', `The specified bucket does not exist: ${bucket}`);
}

/** 404 for an object that does not exist. */
export function objectNotFound(bucket: string, name: string): StorageApiError {
  return new StorageApiError('notFound', `No such object: ${bucket}/${name}`);
}

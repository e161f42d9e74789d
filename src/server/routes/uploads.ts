/**
 * Files of a multipart request as streams that always end or fail. A form cut short makes
 * busboy emit its error on the file stream and destroy it, possibly before a consumer is
 * attached; a consumer attached later (after an await) then waited forever on a stream that
 * would never close, and the request hung.
 */
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCodes, WindhoverError } from '../../errors.js';

/** The file of a part, taken now: a stream that ends with it or fails when it was cut short. */
export function uploadedFile(file: Readable): Readable {
  if (file.destroyed && !file.readableEnded)
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      'The multipart form was cut short: a file part ends before its boundary',
    );
  const copy = new PassThrough();
  // Attached at once, so that a destroy or an error now or later reaches `copy`, which the
  // pipeline destroys with it; whoever reads `copy` sees the failure.
  pipeline(file, copy).catch(() => undefined);
  return copy;
}

/**
 * Inputs of a new execution (or of a resume) from the request body, as Kestra's API takes them:
 * a multipart form (one field per input, FILE inputs as file parts) or a JSON object. Uploaded
 * files are streamed into internal storage under the execution, and the input is their
 * `kestra://` URI; when the inputs turn out wrong, those files are removed again.
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ExecutionFilesScope, InternalStorage } from '../../storage/contract.js';
import { uploadedFile } from './uploads.js';

function addValue(values: Record<string, unknown>, name: string, value: string): void {
  const previous = values[name];
  // A repeated field is a list (MULTISELECT, ARRAY), as a form sends them.
  if (previous === undefined) values[name] = value;
  else values[name] = Array.isArray(previous) ? [...(previous as unknown[]), value] : [previous, value];
}

/** Reads the raw inputs of a request (text from a form, or JSON values); FILE parts go to storage under `scope`. */
export async function readRawInputs(
  request: FastifyRequest,
  storage: InternalStorage,
  scope: ExecutionFilesScope,
): Promise<Record<string, unknown>> {
  if (request.isMultipart()) {
    const values: Record<string, unknown> = {};
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const name = part.filename || part.fieldname;
        const uri = storage.inputFileUri(scope, part.fieldname, name);
        await storage.put(uri, uploadedFile(part.file));
        if (part.file.truncated)
          throw new WindhoverError(
            ErrorCodes.BODY_TOO_LARGE,
            `The file of input \`${part.fieldname}\` is too large`,
          );
        values[part.fieldname] = uri;
      } else
        addValue(values, part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
    }
    return values;
  }
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body))
    return { ...(body as Record<string, unknown>) };
  throw new WindhoverError(
    ErrorCodes.REQUEST_INVALID,
    'Send the inputs as multipart/form-data (one field per input, files as file parts) or as a JSON object',
  );
}

/**
 * `http.Download`: the response body streamed into internal storage, chunk by chunk with
 * backpressure, so a file of any size passes through a little memory.
 */
import { Readable, Transform, pipeline } from 'node:stream';
import { TaskFailure, toText } from '../../api.js';
import type { TaskContext, TaskOutcome } from '../../api.js';
import type { HttpResponse } from '../../shared/http-client.js';
import { describeHttpError } from '../../shared/http-errors.js';
import { logPart } from '../../shared/http-response.js';
import { downloadFileName } from './file-name.js';
import { httpTaskCall, sendTaskCall } from './http-call.js';

/** Runs `io.kestra.plugin.core.http.Download`. */
export async function runDownload(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const task = await httpTaskCall(ctx, props);
  const { call } = task;
  const { response, close } = await sendTaskCall(ctx, task);
  try {
    const saveAs = props.saveAs === undefined || props.saveAs === null ? undefined : toText(props.saveAs);
    const name = downloadFileName(saveAs, response.headers['content-disposition']?.[0], call.url);
    const counted = { bytes: 0 };
    let uri: string;
    try {
      uri = await ctx.storage.putFile(name, countedBody(response, counted));
    } catch (error) {
      throw describeHttpError(error, call);
    }
    const incomplete = lengthMismatch(response, counted.bytes, call.label);
    if (incomplete) {
      await ctx.storage.delete(uri).catch(() => false);
      throw incomplete;
    }
    logPart(ctx.logger, task.logs, 'RESPONSE_BODY', () => [`(${counted.bytes} bytes stored in ${uri})`]);
    if (counted.bytes === 0) {
      if (props.failOnEmptyResponse !== false && !task.policy.allowFailed) {
        await ctx.storage.delete(uri).catch(() => false);
        throw new TaskFailure(
          `${call.label} answered ${response.code} with an empty body; set failOnEmptyResponse: false to accept an empty file`,
          { code: response.code },
        );
      }
      ctx.logger.warn(`The file downloaded from ${call.label} is empty`);
    }
    ctx.logger.debug(`Downloaded ${counted.bytes} bytes from ${call.label} to ${uri}`);
    return { outputs: { uri, code: response.code, headers: response.headers, length: counted.bytes } };
  } finally {
    await close();
  }
}

/** The body as a Node stream that counts its bytes; a body error destroys it, failing the store. */
function countedBody(response: HttpResponse, counted: { bytes: number }): Readable {
  const source = response.body ? Readable.fromWeb(response.body) : Readable.from([]);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counted.bytes += chunk.length;
      done(null, chunk);
    },
  });
  // The callback form returns the last stream and destroys every stream on the first error.
  return pipeline(source, counter, () => undefined);
}

/** The failure for a body whose size is not its announced Content-Length (decoded bodies differ, rightly). */
function lengthMismatch(response: HttpResponse, bytes: number, label: string): TaskFailure | undefined {
  const announced = response.headers['content-length']?.[0];
  if (announced === undefined || response.headers['content-encoding']) return undefined;
  const expected = Number(announced);
  if (!Number.isFinite(expected) || expected === bytes) return undefined;
  return new TaskFailure(
    `${label}: the download is incomplete, got ${bytes} bytes but the server announced ${expected} (Content-Length)`,
    { code: response.code },
  );
}

/** `http.Request`: one call, the response kept in the outputs (code, headers, body as text). */
import { TaskFailure } from '../../api.js';
import type { TaskContext, TaskOutcome } from '../../api.js';
import { sendHttp } from '../../shared/http-client.js';
import { describeHttpError } from '../../shared/http-errors.js';
import {
  headerLines,
  logPart,
  readBodyText,
  statusAccepted,
  statusFailure,
} from '../../shared/http-response.js';
import { httpTaskCall } from './http-call.js';

/** Runs `io.kestra.plugin.core.http.Request`. */
export async function runRequest(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const task = await httpTaskCall(ctx, props);
  const { call } = task;
  logPart(ctx.logger, task.logs, 'REQUEST_HEADERS', () => [
    `${call.method} ${call.url}`,
    ...headerLines(call.headers),
  ]);
  logPart(ctx.logger, task.logs, 'REQUEST_BODY', task.bodyLines);
  const { response, close } = await sendHttp(call);
  try {
    logPart(ctx.logger, task.logs, 'RESPONSE_HEADERS', () => [
      `${response.code} ${response.statusText}`,
      ...headerLines(response.headers),
    ]);
    if (!statusAccepted(response.code, task.policy))
      throw await statusFailure(call.label, response, task.policy);
    const body = await readBodyText(
      response.body,
      task.maxContentLength,
      () =>
        new TaskFailure(
          `${call.label} answered a body larger than ${task.maxContentLength} bytes (options.maxContentLength); use io.kestra.plugin.core.http.Download to store large responses as a file`,
          { code: response.code },
        ),
    ).catch((error: unknown) => {
      throw describeHttpError(error, call);
    });
    if (body !== undefined) logPart(ctx.logger, task.logs, 'RESPONSE_BODY', () => [body]);
    ctx.logger.debug(`${call.label} answered ${response.code}`);
    const encrypt = props.encryptBody === true;
    if (encrypt)
      ctx.logger.warn(
        'encryptBody: Windhover has no output encryption key yet, so the body is kept in clear in the `body` output',
      );
    return {
      outputs: {
        uri: call.url,
        code: response.code,
        headers: response.headers,
        ...(body !== undefined ? { body } : {}),
        ...(task.formData ? { formData: task.formData } : {}),
      },
    };
  } finally {
    await close();
  }
}

/** `http.Request`: one call, the response kept in the outputs (code, headers, body as text). */
import { TaskFailure } from '../../api.js';
import type { TaskContext, TaskOutcome } from '../../api.js';
import { describeHttpError } from '../../shared/http-errors.js';
import { logPart, readBodyText } from '../../shared/http-response.js';
import { httpTaskCall, sendTaskCall } from './http-call.js';

/** Runs `io.kestra.plugin.core.http.Request`. */
export async function runRequest(ctx: TaskContext, props: Record<string, unknown>): Promise<TaskOutcome> {
  const task = await httpTaskCall(ctx, props);
  const { call } = task;
  const { response, close } = await sendTaskCall(ctx, task);
  try {
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

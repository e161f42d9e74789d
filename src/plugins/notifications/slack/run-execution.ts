/** `SlackExecution`: a summary of the current execution, or of the one `executionId` names. */
import { TaskFailure, isRecord, toText } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { executionSummary } from './execution-summary.js';
import { postToSlack } from './post.js';

/** Runs `io.kestra.plugin.notifications.slack.SlackExecution`. */
export async function runSlackExecution(ctx: TaskContext, props: Record<string, unknown>): Promise<void> {
  // The declared default `{{ execution.id }}` arrives unrendered.
  const id = toText(props.executionId ?? '').trim() || ctx.run.executionId;
  const target = id === ctx.run.executionId ? current(ctx) : await ctx.findExecution?.(id);
  if (!target)
    throw new TaskFailure(
      `Property \`executionId\`: there is no execution \`${id}\`; leave executionId out to summarize the current execution, or use "{{ trigger.executionId }}" in a flow started by a Flow trigger`,
    );
  const text = (name: string) =>
    props[name] === undefined || props[name] === null ? undefined : toText(props[name]);
  const payload = executionSummary({
    execution: target.execution,
    link: target.url,
    ...optional('customMessage', text('customMessage')),
    ...optional('customFields', isRecord(props.customFields) ? props.customFields : undefined),
    ...optional('channel', text('channel')),
    ...optional('username', text('username')),
    ...optional('iconUrl', text('iconUrl')),
    ...optional('iconEmoji', text('iconEmoji')),
  });
  await postToSlack(ctx, props, JSON.stringify(payload));
}

function current(ctx: TaskContext) {
  return { execution: ctx.execution(), url: ctx.executionUrl };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

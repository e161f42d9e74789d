/**
 * The Slack message of `SlackExecution`, after Kestra's template: a linked title
 * `[namespace] flow ➛ STATE`, the failed task (or "Succeeded") and the duration, a Details button,
 * and an attachment with the namespace, flow, execution, state and custom fields.
 */
import { isRecord, toText } from '../../api.js';

export interface SummaryInput {
  /** The execution in Kestra's JSON shape. */
  execution: Record<string, unknown>;
  /** Its page in the UI. */
  link: string;
  customMessage?: string;
  customFields?: Record<string, unknown>;
  channel?: string;
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
  now?: number;
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);

/** The Slack payload summarizing an execution. */
export function executionSummary(input: SummaryInput): Record<string, unknown> {
  const { execution, link } = input;
  const state = isRecord(execution.state) ? execution.state : {};
  const runs = Array.isArray(execution.taskRunList) ? execution.taskRunList.filter(isRecord) : [];
  const stateOf = (run: Record<string, unknown>) => (isRecord(run.state) ? toText(run.state.current) : '');
  const failed = runs.filter((r) => stateOf(r) === 'FAILED');
  const current = toText(state.current ?? 'RUNNING');
  // In `errors` or `finally` tasks the execution is still RUNNING, but it is failing: say so.
  const shown = !TERMINAL.has(current) && failed.length > 0 ? 'FAILED' : current;
  const failedTask = failed.length > 0 ? toText(failed[failed.length - 1]!.taskId) : undefined;
  const startMs = Date.parse(toText(state.startDate ?? ''));
  const endMs = state.endDate ? Date.parse(toText(state.endDate)) : (input.now ?? Date.now());
  const duration = Number.isFinite(startMs) ? humanDuration(endMs - startMs) : 'an unknown time';
  const namespace = toText(execution.namespace);
  const flowId = toText(execution.flowId);
  const outcome = failedTask ? `Failed on task \`${failedTask}\`` : 'Succeeded';
  const text = `*<${link}|[${namespace}] ${flowId} ➛ ${shown}>*\n> ${outcome} after ${duration}`;
  const fields = [
    { title: 'Namespace', value: namespace, short: true },
    { title: 'Job', value: flowId, short: true },
    { title: 'Execution', value: toText(execution.id), short: true },
    { title: 'Status', value: shown, short: true },
    ...Object.entries(input.customFields ?? {}).map(([title, value]) => ({
      title,
      value: toText(value),
      short: true,
    })),
  ];
  return {
    text,
    blocks: [
      ...(input.customMessage !== undefined
        ? [{ type: 'section', text: { type: 'mrkdwn', text: input.customMessage } }]
        : []),
      {
        type: 'section',
        text: { type: 'mrkdwn', text },
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Details' }, url: link },
      },
    ],
    attachments: [
      {
        color: shown === 'SUCCESS' ? 'good' : shown === 'WARNING' ? 'warning' : 'danger',
        fields,
        ...(Number.isFinite(startMs) ? { ts: Math.floor(startMs / 1000) } : {}),
      },
    ],
    ...(input.channel !== undefined ? { channel: input.channel } : {}),
    ...(input.username !== undefined ? { username: input.username } : {}),
    ...(input.iconUrl !== undefined ? { icon_url: input.iconUrl } : {}),
    ...(input.iconEmoji !== undefined ? { icon_emoji: input.iconEmoji } : {}),
  };
}

/** `1h 2m 3s`, `4m 5s`, `6.78s`: how long, for people. */
export function humanDuration(ms: number): string {
  const total = Math.max(0, ms);
  if (total < 60_000) return `${(total / 1000).toFixed(total < 10_000 ? 2 : 1).replace(/\.?0+$/, '')}s`;
  const seconds = Math.floor(total / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}

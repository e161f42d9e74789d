/**
 * Property shapes shared by several core tasks (labels given to new executions, subflow
 * targets). Not a plugin: the definitions import what they need from here.
 */
import { isRecord, p } from '../api.js';
import type { Prop, ReportFn } from '../api.js';

/** Labels for a new execution: a map `key: value`, or a list of `{key, value}`. */
export function executionLabelsProp(): Prop {
  return p.union(
    p.map(p.string()),
    p.list(p.object({ key: p.string().required(), value: p.string().required() }), { dynamic: false }),
  );
}

/** Execution labels given as a map or a list of `{key, value}`, as a list. */
export function labelList(labels: unknown): Array<{ key: string; value: string }> {
  if (Array.isArray(labels))
    return labels.filter(isRecord).map((l) => ({ key: String(l.key), value: String(l.value) }));
  if (isRecord(labels)) return Object.entries(labels).map(([key, value]) => ({ key, value: String(value) }));
  return [];
}

/** Reports label keys starting with `system.`, which only Kestra itself may set. */
export function checkSystemLabels(labels: unknown, path: string, report: ReportFn): void {
  const keys: Array<{ key: string; at: Array<string | number> }> = [];
  if (Array.isArray(labels)) {
    labels.forEach((label, index) => {
      if (isRecord(label) && typeof label.key === 'string')
        keys.push({ key: label.key, at: [path, index, 'key'] });
    });
  } else if (isRecord(labels)) {
    for (const key of Object.keys(labels)) keys.push({ key, at: [path, key] });
  }
  for (const { key, at } of keys) {
    if (key.startsWith('system.')) {
      report(at, `label \`${key}\` is reserved: keys starting with \`system.\` are set by the system only`, {
        atKey: !Array.isArray(labels),
      });
    }
  }
}

/** What to do with child executions when the parent execution is restarted. */
export function restartBehaviorProp(): Prop {
  return p
    .enum(['RETRY_FAILED', 'NEW_EXECUTION'], { dynamic: false })
    .default('RETRY_FAILED')
    .describe('On restart of this execution: restart the failed child execution, or start a new one.');
}

/**
 * Parallel's and Dag's `onChildFailure`: Kestra's `CONTINUE`, `CANCEL`, `FAIL`, and the
 * `CANCELLED` / `FAILED` spellings its own docs and examples use.
 */
export function onChildFailureProp(what: string): Prop {
  return p
    .enum(['CONTINUE', 'CANCEL', 'FAIL', 'CANCELLED', 'FAILED'], { dynamic: false })
    .default('CONTINUE')
    .describe(
      `When a task of this ${what} fails with no retry left: let the other running tasks finish (\`CONTINUE\`), or interrupt them, at any depth, into \`CANCELLED\` (\`CANCEL\`) or \`FAILED\` (\`FAIL\`). Either way nothing new starts and the ${what} ends \`FAILED\`, after its \`errors\` and \`finally\`.`,
    );
}

/** The name of a task for messages: "task `x`". */
export function taskName(props: Record<string, unknown>): string {
  return typeof props.id === 'string' ? `task \`${props.id}\`` : 'the task';
}

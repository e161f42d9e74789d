/**
 * Kestra's state store, which its deprecated state tasks (Get, Set, Delete) read and write: one
 * JSON map per state `name`, kept in the KV store of the flow's namespace under the key Kestra
 * 0.20+ uses, `<flow id>_states_tasks-states_<name>[_<hash of the ForEach value>]` (without the
 * flow id part when the state is shared by the namespace). Not a plugin: the three tasks share it.
 */
import { createHash } from 'node:crypto';
import { isRecord, p, TaskFailure, toText } from '../../api.js';
import type { Prop, TaskContext } from '../../api.js';

/** The properties every state task has. */
export function stateProps(): Record<string, Prop> {
  return {
    name: p.string().default('default').describe('The name of the state.'),
    namespace: p
      .boolean()
      .default(false)
      .describe("Share the state with every flow of the namespace rather than keep it to this flow's."),
    taskrunValue: p
      .boolean()
      .default(true)
      .describe('Keep one state per ForEach value (`taskrun.value`); `false` shares it between values.'),
  };
}

/** Where a task's state lives: its KV key, and words naming it in messages. */
export interface StateKey {
  key: string;
  described: string;
}

/** The KV key of the state a task's properties name. */
export function stateKey(ctx: TaskContext, props: Record<string, unknown>): StateKey {
  const name = toText(props.name ?? 'default');
  const sharedByNamespace = props.namespace === true;
  const value = props.taskrunValue !== false ? ctx.run.value : undefined;
  const parts = [
    ...(sharedByNamespace ? [] : [slug(ctx.run.flowId)]),
    'states',
    'tasks-states',
    name,
    ...(value !== undefined ? [createHash('sha256').update(value).digest('hex').slice(0, 32)] : []),
  ];
  const owner = sharedByNamespace
    ? `namespace ${ctx.run.namespace}`
    : `flow ${ctx.run.namespace}.${ctx.run.flowId}`;
  return {
    key: parts.join('_'),
    described: `The state \`${name}\` of ${owner}${value !== undefined ? ` for value \`${value}\`` : ''}`,
  };
}

/** Reads a state: its map, or undefined when there is none. */
export async function readState(
  ctx: TaskContext,
  state: StateKey,
): Promise<Record<string, unknown> | undefined> {
  const entry = await ctx.kv.get(state.key);
  if (!entry) return undefined;
  let value = entry.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new TaskFailure(`${state.described} (KV key \`${state.key}\`) does not hold a JSON map`);
    }
  }
  if (!isRecord(value))
    throw new TaskFailure(`${state.described} (KV key \`${state.key}\`) does not hold a JSON map`);
  return value;
}

/** Writes a state's map. */
export async function writeState(
  ctx: TaskContext,
  state: StateKey,
  data: Record<string, unknown>,
): Promise<void> {
  await ctx.kv.set(state.key, data, { type: 'JSON' });
}

/** The error of a missing state with `errorOnMissing`. */
export function missingState(state: StateKey): TaskFailure {
  return new TaskFailure(`${state.described} does not exist, and \`errorOnMissing\` is true`);
}

/**
 * `top` merged into `base` as Kestra merges states: maps key by key (recursively), lists joined
 * (the new list's items not already there appended), a null leaving the old value, anything
 * else replaced.
 */
export function mergeState(
  base: Record<string, unknown>,
  top: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const existing = out[key];
    if (value === null || value === undefined) continue;
    if (isRecord(existing) && isRecord(value)) out[key] = mergeState(existing, value);
    else if (Array.isArray(existing) && Array.isArray(value)) {
      const before = existing as unknown[];
      const seen = new Set(before.map((item) => JSON.stringify(item)));
      out[key] = [...before, ...(value as unknown[]).filter((item) => !seen.has(JSON.stringify(item)))];
    } else out[key] = value;
  }
  return out;
}

/** Kestra's slug of a flow id in the key: lower case, spaces as `-`, only letters, digits, `_` and `-`. */
function slug(flowId: string): string {
  return flowId
    .replace(/\s+/g, '-')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}

/**
 * What the KV tasks share: the namespace they act on, and the conversion of a rendered value
 * to the `kvType` asked for (Kestra's kv.Set: `"5"` with NUMBER is stored as 5).
 */
import { NAMESPACE_PATTERN, parseIsoDuration, TaskFailure, toText } from '../api.js';
import type { TaskContext } from '../api.js';

/** The types a KV value can be stored as. */
export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
export type KvTypeName = (typeof KV_TYPES)[number];

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The namespace a KV task acts on: the `namespace` property, or the flow's when it is absent
 * (its declared default `{{ flow.namespace }}`, rendered by the worker).
 */
export function kvNamespace(ctx: TaskContext, namespace: unknown): string {
  if (namespace === undefined || namespace === null) return ctx.run.namespace;
  const text = toText(namespace).trim();
  if (!NAMESPACE_PATTERN.test(text))
    throw new TaskFailure(
      `Property \`namespace\`: ${JSON.stringify(text)} is not a namespace: use lower-case letters, digits, \`.\`, \`_\` and \`-\` (e.g. \`company.team\`)`,
    );
  return text;
}

/** The value converted to `kvType` (a rendered string is parsed; a typed value is checked). */
export function toKvValue(value: unknown, kvType: KvTypeName | undefined): unknown {
  if (kvType === undefined) return value;
  const text = typeof value === 'string' ? value.trim() : undefined;
  const refuse = (expected: string): never => {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    throw new TaskFailure(
      `Property \`value\`: ${JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown)} is not a valid ${kvType}: kvType ${kvType} expects ${expected}`,
    );
  };
  switch (kvType) {
    case 'STRING':
      return typeof value === 'string' ? value : toText(value);
    case 'NUMBER':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (text !== undefined && NUMBER_TEXT.test(text)) return Number(text);
      return refuse('a number such as `5` or `2.5`');
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (text !== undefined && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return refuse('`true` or `false`');
    case 'DATETIME':
      if (text !== undefined && DATETIME_TEXT.test(text) && !Number.isNaN(Date.parse(text))) return text;
      return refuse('an ISO-8601 date-time with a zone, such as `2024-05-01T10:15:00Z`');
    case 'DATE':
      if (text !== undefined && DATE_TEXT.test(text) && !Number.isNaN(Date.parse(text))) return text;
      if (text !== undefined && DATETIME_TEXT.test(text) && !Number.isNaN(Date.parse(text))) return text;
      return refuse('an ISO-8601 date such as `2024-05-01`');
    case 'DURATION':
      if (text !== undefined && parseIsoDuration(text) !== undefined) return text.toUpperCase();
      return refuse('an ISO-8601 duration such as `PT30M` or `P1D`');
    case 'JSON':
      if (text === undefined) return value;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        return refuse(`JSON text (${(error as Error).message})`);
      }
  }
}

/** The KV type a task asked for, or undefined. */
export function kvTypeOf(value: unknown): KvTypeName | undefined {
  if (value === undefined || value === null) return undefined;
  const text = toText(value).toUpperCase();
  return (KV_TYPES as readonly string[]).includes(text) ? (text as KvTypeName) : undefined;
}

/**
 * Query values every search route reads the same way: `page` (1-based) and `size`, repeatable
 * parameters (`state=A&state=B`), `labels=key:value`, and ISO-8601 dates. Each bad value is a
 * WH_REQUEST_INVALID naming the parameter.
 */
import { ErrorCodes, WindhoverError } from '../../errors.js';

/** Page size when none is given, and the largest one accepted. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 10_000;

/** A query string as Fastify parses it: a value, or a list when repeated. */
export type Query = Record<string, string | string[] | undefined>;

function invalid(parameter: string, why: string): WindhoverError {
  return new WindhoverError(ErrorCodes.REQUEST_INVALID, `The query parameter \`${parameter}\` ${why}`, {
    parameter,
  });
}

/** Every value of a parameter (none, one, or several when repeated). */
export function queryList(query: Query, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The single value of a parameter; the last one when it is repeated, undefined when absent or empty. */
export function queryText(query: Query, name: string): string | undefined {
  const values = queryList(query, name);
  const last = values[values.length - 1];
  return last === undefined || last === '' ? undefined : last;
}

/** The largest flow revision (a 32-bit integer in the store). */
export const MAX_REVISION = 2_147_483_647;

/** The largest page number: with MAX_PAGE_SIZE, every offset stays an exact integer in SQL. */
export const MAX_PAGE = 1_000_000_000;

/**
 * An integer parameter (`revision`, `page`, `after`…) between `min` (default 1) and `max`
 * (default the largest exact integer): `1e3`, `0x10` and `99999999999999999999` are refused.
 */
export function queryInteger(
  query: Query,
  name: string,
  options: { min?: number; max?: number } = {},
): number | undefined {
  const text = queryText(query, name);
  if (text === undefined) return undefined;
  const min = options.min ?? 1;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const value = /^[+-]?\d{1,16}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw invalid(name, `must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return value;
}

/** A boolean parameter: `true`/`false` (and an empty `?wait` meaning true). */
export function queryBoolean(query: Query, name: string, fallback: boolean): boolean {
  const values = queryList(query, name);
  if (values.length === 0) return fallback;
  const text = values[values.length - 1]!.toLowerCase();
  if (text === 'true' || text === '') return true;
  if (text === 'false') return false;
  throw invalid(name, `must be true or false, not ${JSON.stringify(text)}`);
}

/** `page` and `size` (1-based page, size ≤ MAX_PAGE_SIZE). */
export function queryPage(query: Query): { page: number; size: number } {
  const page = queryInteger(query, 'page', { max: MAX_PAGE }) ?? 1;
  const size = queryInteger(query, 'size') ?? DEFAULT_PAGE_SIZE;
  if (size > MAX_PAGE_SIZE) throw invalid('size', `must be at most ${MAX_PAGE_SIZE}`);
  return { page, size };
}

/** Whether the `YYYY-MM-DD` a text starts with (if any) is a day of the calendar (not 2024-02-30). */
function realCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (!match) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An ISO-8601 instant parameter, normalized to UTC (`2024-05-01` is that day's midnight UTC).
 * A day the calendar does not have is refused, where `Date.parse` would roll it over.
 */
export function queryDate(query: Query, name: string): string | undefined {
  const text = queryText(query, name);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !realCalendarDay(text))
    throw invalid(
      name,
      `must be an ISO-8601 date-time such as 2024-05-01T10:00:00Z, not ${JSON.stringify(text)}`,
    );
  return new Date(ms).toISOString();
}

/** `labels=key:value` (repeatable; `key=value` accepted too), as Kestra's API takes them. */
export function queryLabels(query: Query, name = 'labels'): Array<{ key: string; value: string }> {
  return queryList(query, name).map((text) => {
    const match = /^([^:=]+)[:=](.*)$/.exec(text);
    if (!match) throw invalid(name, `takes key:value, not ${JSON.stringify(text)}`);
    return { key: match[1]!.trim(), value: match[2]! };
  });
}

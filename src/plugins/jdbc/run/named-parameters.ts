/** Kestra's `:name` placeholders turned into the driver's positional ones. */
import { TaskFailure } from '../../api.js';
import { scanSql } from './sql-scanner.js';
import type { SqlDialect } from './sql-scanner.js';

const PLACEHOLDER = /(^|[^:\w])(:)([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Rewrites `:name` placeholders (outside quotes, comments and dollar-quoted strings; never a
 * PostgreSQL `::type` cast) to `$1…` (`dollar`) or `?` (`question`), with the values in order.
 * Without parameters the SQL is left as it is (as Kestra does: nothing to bind). A name that is
 * not among the parameters fails the task, naming it and the given parameters.
 */
export function bindNamedParameters(
  sql: string,
  parameters: Readonly<Record<string, unknown>> | undefined,
  style: 'dollar' | 'question',
  dialect: SqlDialect = {},
): { sql: string; values: unknown[] } {
  if (parameters === undefined || parameters === null || Object.keys(parameters).length === 0) {
    return { sql, values: [] };
  }
  const values: unknown[] = [];
  // With `$n`, a name used twice binds one value; `?` needs the value again at each use.
  const positions = new Map<string, number>();
  const placeholder = (name: string): string => {
    if (!Object.hasOwn(parameters, name)) {
      const given = Object.keys(parameters).map((key) => `\`${key}\``);
      throw new TaskFailure(
        `The SQL uses the parameter \`:${name}\`, which \`parameters\` does not define (given: ${given.join(', ')}); add \`${name}\` to \`parameters\`, or quote the text if it is not a parameter`,
      );
    }
    if (style === 'question') {
      values.push(parameters[name]);
      return '?';
    }
    let position = positions.get(name);
    if (position === undefined) {
      values.push(parameters[name]);
      position = values.length;
      positions.set(name, position);
    }
    return `$${position}`;
  };
  let out = '';
  let previous = '';
  for (const segment of scanSql(sql, dialect)) {
    if (segment.kind === 'literal') {
      out += segment.text;
    } else {
      // The character before the segment matters for `::` split across segments (rare, harmless).
      const text = previous + segment.text;
      const rewritten = text.replace(PLACEHOLDER, (_m, before: string, _colon: string, name: string) => {
        return `${before}${placeholder(name)}`;
      });
      out += rewritten.slice(previous.length);
    }
    previous = segment.text.slice(-1);
  }
  return { sql: out, values };
}

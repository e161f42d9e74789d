/**
 * The `COPY` statements of CopyIn and CopyOut, built from task properties. Every identifier and
 * literal is quoted here, so no property value can add SQL of its own.
 */
import { TaskFailure } from '../../../api.js';

/**
 * An identifier as PostgreSQL would read it unquoted (folded to lower case), or kept as written
 * when already in double quotes, always returned quoted.
 */
function quoteIdentifier(part: string, property: string): string {
  const name = part.trim();
  if (name.startsWith('"')) {
    if (!/^"(?:[^"]|"")+"$/.test(name))
      throw new TaskFailure(`Property \`${property}\`: the quoted name ${name} is not closed properly`);
    return name;
  }
  if (name === '') throw new TaskFailure(`Property \`${property}\`: a name is empty`);
  // Unquoted names fold to lower case, as in SQL; other characters are taken as they are.
  const folded = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toLowerCase() : name;
  return `"${folded.replace(/"/g, '""')}"`;
}

/** `schema.table` (or `"My Schema"."My Table"`) quoted part by part. */
export function quoteQualifiedName(name: string, property: string): string {
  const parts = name.match(/(?:"(?:[^"]|"")*"|[^.])+/g) ?? [];
  if (parts.length === 0 || parts.length > 3)
    throw new TaskFailure(
      `Property \`${property}\`: \`${name}\` is not a table name; write \`table\` or \`schema.table\``,
    );
  return parts.map((part) => quoteIdentifier(part, property)).join('.');
}

/** A string literal that reads the same whatever `standard_conforming_strings` is. */
export function quoteLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const list = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;

function columnList(columns: string[], property: string): string {
  return `(${columns.map((c) => quoteIdentifier(c, property)).join(', ')})`;
}

function oneCharacter(props: Record<string, unknown>, key: string): string | undefined {
  const value = props[key];
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if ([...text].length !== 1)
    throw new TaskFailure(`Property \`${key}\` must be a single character, got ${JSON.stringify(text)}`);
  return text;
}

/** The `WITH (…)` options of a COPY, from the task's properties. */
export function copyOptions(props: Record<string, unknown>): string {
  const options: string[] = [];
  const format = typeof props.format === 'string' ? props.format.toUpperCase() : 'TEXT';
  if (!['TEXT', 'CSV', 'BINARY'].includes(format))
    throw new TaskFailure(`Property \`format\` must be TEXT, CSV or BINARY, got \`${format}\``);
  options.push(`FORMAT ${format.toLowerCase()}`);
  if (props.oids === true) options.push('OIDS true');
  if (props.freeze === true) options.push('FREEZE true');
  if (typeof props.header === 'boolean') options.push(`HEADER ${String(props.header)}`);
  for (const [key, option] of [
    ['delimiter', 'DELIMITER'],
    ['quote', 'QUOTE'],
    ['escape', 'ESCAPE'],
  ] as const) {
    const value = oneCharacter(props, key);
    if (value !== undefined) options.push(`${option} ${quoteLiteral(value)}`);
  }
  if (typeof props.nullString === 'string') options.push(`NULL ${quoteLiteral(props.nullString)}`);
  const forceQuote = list(props.forceQuote);
  if (forceQuote)
    options.push(
      `FORCE_QUOTE ${forceQuote.length === 1 && forceQuote[0] === '*' ? '*' : columnList(forceQuote, 'forceQuote')}`,
    );
  const forceNotNull = list(props.forceNotNull);
  if (forceNotNull) options.push(`FORCE_NOT_NULL ${columnList(forceNotNull, 'forceNotNull')}`);
  const forceNull = list(props.forceNull);
  if (forceNull) options.push(`FORCE_NULL ${columnList(forceNull, 'forceNull')}`);
  if (typeof props.encoding === 'string' && props.encoding !== '')
    options.push(`ENCODING ${quoteLiteral(props.encoding)}`);
  return `WITH (${options.join(', ')})`;
}

/** `COPY table (columns) FROM STDIN WITH (…)` for CopyIn. */
export function copyInSql(props: Record<string, unknown>): string {
  const table = typeof props.table === 'string' ? props.table : '';
  const columns = list(props.columns);
  return `COPY ${quoteQualifiedName(table, 'table')}${columns ? ` ${columnList(columns, 'columns')}` : ''} FROM STDIN ${copyOptions(props)}`;
}

/** `COPY (sql) TO STDOUT …` or `COPY table (columns) TO STDOUT …` for CopyOut. */
export function copyOutSql(props: Record<string, unknown>, query: string | undefined): string {
  if (query !== undefined) return `COPY (${query}) TO STDOUT ${copyOptions(props)}`;
  if (typeof props.table !== 'string' || props.table.trim() === '')
    throw new TaskFailure('CopyOut needs `table` or `sql`: what to copy');
  const columns = list(props.columns);
  return `COPY ${quoteQualifiedName(props.table, 'table')}${columns ? ` ${columnList(columns, 'columns')}` : ''} TO STDOUT ${copyOptions(props)}`;
}

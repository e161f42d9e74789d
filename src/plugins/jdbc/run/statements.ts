/** Splits the SQL of a Queries task into its statements. */
import { scanSql } from './sql-scanner.js';
import type { SqlDialect } from './sql-scanner.js';

/**
 * Splits SQL on `;` outside quotes, comments and dollar-quoted strings, dropping empty
 * statements (and those that are only comments); each statement is trimmed.
 */
export function splitStatements(sql: string, dialect: SqlDialect = {}): string[] {
  const statements: string[] = [];
  let current = '';
  // Whether the current statement holds anything but whitespace and comments.
  let hasCode = false;
  const finish = () => {
    if (hasCode) statements.push(current.trim());
    current = '';
    hasCode = false;
  };
  for (const segment of scanSql(sql, dialect)) {
    if (segment.kind === 'literal') {
      current += segment.text;
      // Quoted strings and identifiers are code; comments are not.
      if (!/^(--|#|\/\*)/.test(segment.text)) hasCode = true;
      continue;
    }
    const parts = segment.text.split(';');
    parts.forEach((part, index) => {
      if (index > 0) finish();
      current += part;
      if (part.trim() !== '') hasCode = true;
    });
  }
  finish();
  return statements;
}

/**
 * A lexical scan of SQL text that tells code apart from quoted strings, quoted identifiers,
 * comments and dollar-quoted bodies, so that `;` and `:name` are only seen where they are code.
 * It does not parse SQL: it only knows where literal text starts and ends.
 */

/** Dialect details that change where literal text ends. */
export interface SqlDialect {
  /** `\'` escapes a quote inside '…' (MySQL's default); PostgreSQL only does this in E'…'. */
  backslashEscapes?: boolean;
  /** `# …` starts a line comment (MySQL). */
  hashComments?: boolean;
}

/** A run of SQL text: `code`, or literal text (strings, identifiers, comments) to leave alone. */
export interface SqlSegment {
  kind: 'code' | 'literal';
  text: string;
}

const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/;

/** Where the quoted text that starts at `start` with `quote` ends (exclusive index). */
function endOfQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      // A doubled quote stands for one quote character and does not end the text.
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** Where the block comment that starts at `start` ends; PostgreSQL nests them. */
function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

/** The length of literal text starting at `i`, or 0 when `i` is code. */
function literalLength(sql: string, i: number, dialect: SqlDialect): number {
  const c = sql[i]!;
  if (c === "'") {
    // E'…' (PostgreSQL) takes backslash escapes; the E itself was already emitted as code.
    const escaped = dialect.backslashEscapes === true || /[eE]/.test(sql[i - 1] ?? '');
    return endOfQuoted(sql, i, "'", escaped) - i;
  }
  if (c === '"' || c === '`') return endOfQuoted(sql, i, c, false) - i;
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return (end === -1 ? sql.length : end) - i;
  }
  if (c === '#' && dialect.hashComments === true) {
    const end = sql.indexOf('\n', i);
    return (end === -1 ? sql.length : end) - i;
  }
  if (c === '/' && sql[i + 1] === '*') return endOfBlockComment(sql, i) - i;
  if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
    const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64));
    if (tag) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      return (end === -1 ? sql.length : end + tag[0].length) - i;
    }
  }
  return 0;
}

/** Cuts SQL into code and literal segments, in order; joined, they give back the text. */
export function scanSql(sql: string, dialect: SqlDialect = {}): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let codeStart = 0;
  let i = 0;
  while (i < sql.length) {
    const length = literalLength(sql, i, dialect);
    if (length === 0) {
      i++;
      continue;
    }
    if (i > codeStart) segments.push({ kind: 'code', text: sql.slice(codeStart, i) });
    segments.push({ kind: 'literal', text: sql.slice(i, i + length) });
    i += length;
    codeStart = i;
  }
  if (codeStart < sql.length) segments.push({ kind: 'code', text: sql.slice(codeStart) });
  return segments;
}

/**
 * Statements of a script: queries, INSERT, UPDATE, DELETE, TRUNCATE TABLE, MERGE, CREATE
 * [OR REPLACE] TABLE / EXTERNAL TABLE / VIEW, DROP TABLE. Each script statement ends at `;` or
 * at the end of the text; anything else BigQuery's scripting has (DECLARE, SET, IF, BEGIN…) is
 * refused by name.
 */
import type {
  ColumnDef,
  Expr,
  FromItem,
  Ident,
  MergeClause,
  OptionList,
  Pos,
  Statement,
  TableName,
} from './ast.js';
import { invalidQuery, unsupported } from './errors.js';
import { parseExpr } from './parse-expression.js';
import { parseType } from './parse-type.js';
import { isQueryStart, parseFrom, parseQuery, parseTablePath } from './parse-query.js';
import { TokenStream } from './token-stream.js';
import type { Token } from './tokenizer.js';
import { tokenize } from './tokenizer.js';

const pos = (token: Token): Pos => ({ line: token.line, column: token.column });

/** Parses a script into its statements. */
export function parseScript(sql: string): Statement[] {
  const ts = new TokenStream(tokenize(sql));
  const statements: Statement[] = [];
  while (ts.peek().kind !== 'eof') {
    if (ts.acceptOp(';')) {
      if (statements.length === 0) throw invalidQuery('Syntax error: Unexpected ";"', ts.peek());
      continue;
    }
    statements.push(parseStatement(ts));
    if (!ts.isOp(';') && ts.peek().kind !== 'eof') throw ts.expected('end of input');
  }
  if (statements.length === 0) throw invalidQuery('Syntax error: Unexpected end of script', ts.peek());
  return statements;
}

function parseStatement(ts: TokenStream): Statement {
  const token = ts.peek();
  const at = pos(token);
  if (isQueryStart(ts)) return { kind: 'query', query: parseQuery(ts), pos: at };
  const word = token.kind === 'ident' ? token.value.toUpperCase() : '';
  switch (word) {
    case 'INSERT':
      return parseInsert(ts);
    case 'UPDATE':
      return parseUpdate(ts);
    case 'DELETE':
      return parseDelete(ts);
    case 'MERGE':
      return parseMerge(ts);
    case 'TRUNCATE': {
      ts.next();
      ts.expectKeyword('TABLE');
      return { kind: 'truncate', target: parseTableName(ts), pos: at };
    }
    case 'CREATE':
      return parseCreate(ts);
    case 'DROP':
      return parseDrop(ts);
  }
  if (token.kind === 'ident') throw unsupported(`\`${word}\` statements`, token);
  throw ts.expected('a statement');
}

function parseTableName(ts: TokenStream): TableName {
  const at = pos(ts.peek());
  return { path: parseTablePath(ts), pos: at };
}

function parseInsert(ts: TokenStream): Statement {
  const at = pos(ts.next());
  ts.acceptKeywords('INTO');
  const target = parseTableName(ts);
  let columns: Ident[] | undefined;
  if (ts.isOp('(') && !isQueryStart(ts)) {
    ts.next();
    columns = parseIdentList(ts);
    ts.expectOp(')');
  }
  if (ts.acceptKeywords('VALUES')) {
    const rows: Expr[][] = [];
    do {
      ts.expectOp('(');
      const row = [parseValue(ts)];
      while (ts.acceptOp(',')) row.push(parseValue(ts));
      ts.expectOp(')');
      rows.push(row);
    } while (ts.acceptOp(','));
    return {
      kind: 'insert',
      target,
      ...(columns ? { columns } : {}),
      source: { kind: 'values', rows },
      pos: at,
    };
  }
  if (!isQueryStart(ts)) throw ts.expected('keyword VALUES or a query');
  return {
    kind: 'insert',
    target,
    ...(columns ? { columns } : {}),
    source: { kind: 'query', query: parseQuery(ts) },
    pos: at,
  };
}

/** A value of VALUES or SET: an expression, or DEFAULT (refused: the emulator keeps no defaults there). */
function parseValue(ts: TokenStream): Expr {
  if (ts.isKeyword('DEFAULT')) throw ts.unsupported('`DEFAULT` as a value');
  return parseExpr(ts);
}

function parseIdentList(ts: TokenStream): Ident[] {
  const names = [ts.parseIdent('a column name')];
  while (ts.acceptOp(',')) names.push(ts.parseIdent('a column name'));
  return names;
}

/** `[AS] alias` after a DML target, if there is one (an unreserved word that is not the next clause). */
function parseTargetAlias(ts: TokenStream, clauseWords: string[]): Ident | undefined {
  if (ts.acceptKeywords('AS')) return ts.parseIdent('an alias');
  if (ts.isName() && !clauseWords.some((word) => ts.isKeyword(word))) return ts.parseIdent();
  return undefined;
}

function parseSetList(ts: TokenStream): { column: Ident[]; value: Expr }[] {
  const items: { column: Ident[]; value: Expr }[] = [];
  do {
    const column = [ts.parseIdent('a column name')];
    while (ts.acceptOp('.')) column.push(ts.parseIdent('a column name'));
    ts.expectOp('=');
    items.push({ column, value: parseValue(ts) });
  } while (ts.acceptOp(','));
  return items;
}

function parseUpdate(ts: TokenStream): Statement {
  const at = pos(ts.next());
  const target = parseTableName(ts);
  const alias = parseTargetAlias(ts, []);
  ts.expectKeyword('SET');
  const set = parseSetList(ts);
  const from = ts.acceptKeywords('FROM') ? parseFrom(ts) : undefined;
  if (!ts.isKeyword('WHERE')) throw ts.expected('keyword WHERE (BigQuery requires a WHERE clause in UPDATE)');
  ts.next();
  const where = parseExpr(ts);
  return {
    kind: 'update',
    target,
    ...(alias ? { alias } : {}),
    set,
    ...(from ? { from } : {}),
    where,
    pos: at,
  };
}

function parseDelete(ts: TokenStream): Statement {
  const at = pos(ts.next());
  ts.acceptKeywords('FROM');
  const target = parseTableName(ts);
  const alias = parseTargetAlias(ts, []);
  if (!ts.isKeyword('WHERE')) throw ts.expected('keyword WHERE (BigQuery requires a WHERE clause in DELETE)');
  ts.next();
  return { kind: 'delete', target, ...(alias ? { alias } : {}), where: parseExpr(ts), pos: at };
}

function parseMerge(ts: TokenStream): Statement {
  const at = pos(ts.next());
  ts.acceptKeywords('INTO');
  const target = parseTableName(ts);
  const targetAlias = parseTargetAlias(ts, ['USING']);
  ts.expectKeyword('USING');
  const source = parseMergeSource(ts);
  ts.expectKeyword('ON');
  const on = parseExpr(ts);
  const clauses: MergeClause[] = [];
  while (ts.isKeyword('WHEN')) clauses.push(parseMergeClause(ts));
  if (clauses.length === 0) throw ts.expected('keyword WHEN');
  return { kind: 'merge', target, ...(targetAlias ? { targetAlias } : {}), source, on, clauses, pos: at };
}

function parseMergeSource(ts: TokenStream): FromItem {
  const at = pos(ts.peek());
  if (ts.isOp('(')) {
    ts.next();
    const query = parseQuery(ts);
    ts.expectOp(')');
    const alias = parseTargetAlias(ts, ['ON']);
    return { kind: 'subquery', query, ...(alias ? { alias } : {}), pos: at };
  }
  const path = parseTablePath(ts);
  const alias = parseTargetAlias(ts, ['ON']);
  return { kind: 'table', path, ...(alias ? { alias } : {}), pos: at };
}

function parseMergeClause(ts: TokenStream): MergeClause {
  const at = pos(ts.next());
  let match: MergeClause['match'];
  if (ts.acceptKeywords('MATCHED')) match = 'MATCHED';
  else {
    ts.expectKeyword('NOT');
    ts.expectKeyword('MATCHED');
    if (ts.acceptKeywords('BY', 'SOURCE')) match = 'NOT MATCHED BY SOURCE';
    else {
      ts.acceptKeywords('BY', 'TARGET');
      match = 'NOT MATCHED BY TARGET';
    }
  }
  const condition = ts.acceptKeywords('AND') ? parseExpr(ts) : undefined;
  ts.expectKeyword('THEN');
  const actionToken = ts.peek();
  let action: MergeClause['action'];
  if (ts.acceptKeywords('UPDATE')) {
    if (match === 'NOT MATCHED BY TARGET')
      throw invalidQuery('Syntax error: WHEN NOT MATCHED BY TARGET can only INSERT', actionToken);
    ts.expectKeyword('SET');
    action = { kind: 'update', set: parseSetList(ts) };
  } else if (ts.acceptKeywords('DELETE')) {
    if (match === 'NOT MATCHED BY TARGET')
      throw invalidQuery('Syntax error: WHEN NOT MATCHED BY TARGET can only INSERT', actionToken);
    action = { kind: 'delete' };
  } else if (ts.acceptKeywords('INSERT')) {
    if (match !== 'NOT MATCHED BY TARGET')
      throw invalidQuery(`Syntax error: WHEN ${match} cannot INSERT`, actionToken);
    if (ts.acceptKeywords('ROW')) action = { kind: 'insert', row: true };
    else {
      let columns: Ident[] | undefined;
      if (ts.acceptOp('(')) {
        columns = parseIdentList(ts);
        ts.expectOp(')');
      }
      ts.expectKeyword('VALUES');
      ts.expectOp('(');
      const values = [parseValue(ts)];
      while (ts.acceptOp(',')) values.push(parseValue(ts));
      ts.expectOp(')');
      action = { kind: 'insert', ...(columns ? { columns } : {}), values, row: false };
    }
  } else throw ts.expected('keyword UPDATE, DELETE or INSERT');
  return { match, ...(condition ? { condition } : {}), action, pos: at };
}

function parseCreate(ts: TokenStream): Statement {
  const at = pos(ts.next());
  const orReplace = ts.acceptKeywords('OR', 'REPLACE');
  if (ts.isKeyword('TEMP') || ts.isKeyword('TEMPORARY'))
    throw ts.unsupported('temporary tables and functions');
  if (ts.isKeyword('SNAPSHOT')) throw ts.unsupported('`CREATE SNAPSHOT TABLE`');
  const external = ts.acceptKeywords('EXTERNAL');
  if (ts.acceptKeywords('TABLE')) {
    const ifNotExists = ts.acceptKeywords('IF', 'NOT', 'EXISTS');
    const target = parseTableName(ts);
    if (ts.isKeyword('LIKE') || ts.isKeyword('COPY') || ts.isKeyword('CLONE'))
      throw ts.unsupported(`\`CREATE TABLE … ${ts.peek().value.toUpperCase()}\``);
    const columns = ts.isOp('(') && !isQueryStart(ts) ? parseColumnDefs(ts) : undefined;
    if (external) {
      if (ts.isKeyword('WITH'))
        throw ts.unsupported('`WITH CONNECTION`/`WITH PARTITION COLUMNS` in external tables');
      const options = ts.isKeyword('OPTIONS') ? parseOptions(ts) : [];
      return {
        kind: 'createExternalTable',
        target,
        orReplace,
        ifNotExists,
        ...(columns ? { columns } : {}),
        options,
        pos: at,
      };
    }
    if (ts.isKeywords('DEFAULT', 'COLLATE')) throw ts.unsupported('`DEFAULT COLLATE`');
    let partitionBy: Expr | undefined;
    if (ts.acceptKeywords('PARTITION', 'BY')) partitionBy = parseExpr(ts);
    let clusterBy: Ident[] | undefined;
    if (ts.acceptKeywords('CLUSTER', 'BY')) clusterBy = parseIdentList(ts);
    if (ts.isKeyword('WITH')) throw ts.unsupported('`WITH CONNECTION`');
    const options = ts.isKeyword('OPTIONS') ? parseOptions(ts) : [];
    let asSelect;
    if (ts.acceptKeywords('AS')) asSelect = parseQuery(ts);
    else if (!columns) throw ts.expected('a column list or AS followed by a query');
    return {
      kind: 'createTable',
      target,
      orReplace,
      ifNotExists,
      ...(columns ? { columns } : {}),
      ...(partitionBy ? { partitionBy } : {}),
      ...(clusterBy ? { clusterBy } : {}),
      options,
      ...(asSelect ? { asSelect } : {}),
      pos: at,
    };
  }
  if (external) throw ts.expected('keyword TABLE');
  if (ts.acceptKeywords('VIEW')) {
    const ifNotExists = ts.acceptKeywords('IF', 'NOT', 'EXISTS');
    const target = parseTableName(ts);
    let columns: Ident[] | undefined;
    if (ts.acceptOp('(')) {
      columns = parseIdentList(ts);
      ts.expectOp(')');
    }
    const options = ts.isKeyword('OPTIONS') ? parseOptions(ts) : [];
    ts.expectKeyword('AS');
    const query = parseQuery(ts);
    return {
      kind: 'createView',
      target,
      orReplace,
      ifNotExists,
      ...(columns ? { columns } : {}),
      options,
      query,
      pos: at,
    };
  }
  const what = ts.peek();
  if (what.kind === 'ident') throw unsupported(`\`CREATE ${what.value.toUpperCase()}\``, what);
  throw ts.expected('keyword TABLE or VIEW');
}

function parseColumnDefs(ts: TokenStream): ColumnDef[] {
  ts.expectOp('(');
  const columns: ColumnDef[] = [];
  do {
    if (ts.isKeyword('PRIMARY') || ts.isKeyword('FOREIGN') || ts.isKeyword('CONSTRAINT'))
      throw ts.unsupported('table constraints (PRIMARY KEY, FOREIGN KEY)');
    const at = pos(ts.peek());
    const name = ts.parseIdent('a column name');
    const type = parseType(ts);
    let notNull = false;
    let defaultValue: Expr | undefined;
    let options: OptionList = [];
    while (true) {
      if (ts.acceptKeywords('NOT', 'NULL')) notNull = true;
      else if (ts.acceptKeywords('DEFAULT')) defaultValue = parseExpr(ts);
      else if (ts.isKeyword('OPTIONS')) options = parseOptions(ts);
      else if (ts.isKeyword('COLLATE')) throw ts.unsupported('`COLLATE`');
      else if (ts.isKeyword('PRIMARY') || ts.isKeyword('REFERENCES'))
        throw ts.unsupported('column constraints (PRIMARY KEY, REFERENCES)');
      else break;
    }
    columns.push({
      name,
      type,
      notNull,
      ...(defaultValue ? { default: defaultValue } : {}),
      options,
      pos: at,
    });
  } while (ts.acceptOp(','));
  ts.expectOp(')');
  return columns;
}

/** `OPTIONS(name = value, …)`. */
function parseOptions(ts: TokenStream): OptionList {
  ts.expectKeyword('OPTIONS');
  ts.expectOp('(');
  const options: OptionList = [];
  if (!ts.isOp(')')) {
    do {
      const token = ts.peek();
      if (token.kind !== 'ident') throw ts.expected('an option name');
      ts.next();
      ts.expectOp('=');
      options.push({ name: token.value.toLowerCase(), value: parseExpr(ts), pos: pos(token) });
    } while (ts.acceptOp(','));
  }
  ts.expectOp(')');
  return options;
}

function parseDrop(ts: TokenStream): Statement {
  const at = pos(ts.next());
  ts.acceptKeywords('EXTERNAL');
  if (!ts.acceptKeywords('TABLE')) {
    const what = ts.peek();
    if (what.kind === 'ident') throw unsupported(`\`DROP ${what.value.toUpperCase()}\``, what);
    throw ts.expected('keyword TABLE');
  }
  const ifExists = ts.acceptKeywords('IF', 'EXISTS');
  return { kind: 'dropTable', target: parseTableName(ts), ifExists, pos: at };
}

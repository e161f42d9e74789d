/**
 * Queries: WITH, SELECT (with `* EXCEPT`/`* REPLACE`), FROM with joins, UNNEST and subqueries,
 * WHERE, GROUP BY, HAVING, QUALIFY, WINDOW, set operations, ORDER BY, LIMIT/OFFSET. Table names
 * are kept as the list of their parts (`project.dataset.table`, backquoted or not, a project
 * with dashes) and resolved when emitted.
 */
import type { Expr, FromItem, GroupBy, Ident, Pos, Query, Select, SelectItem, SetExpr } from './ast.js';
import { invalidQuery } from './errors.js';
import { parseExpr, parseOrderItems, parseWindowSpec } from './parse-expression.js';
import type { TokenStream } from './token-stream.js';
import type { Token } from './tokenizer.js';

const pos = (token: Token): Pos => ({ line: token.line, column: token.column });

/** Whether a query starts here: SELECT, WITH, or a parenthesis opening one. */
export function isQueryStart(ts: TokenStream): boolean {
  let offset = 0;
  while (ts.isOp('(', offset)) offset++;
  return ts.isKeyword('SELECT', offset) || ts.isKeyword('WITH', offset);
}

/** A query: [WITH …] set expression [ORDER BY …] [LIMIT … [OFFSET …]]. */
export function parseQuery(ts: TokenStream): Query {
  const at = pos(ts.peek());
  const query: Query = { kind: 'query', body: undefined as unknown as SetExpr, pos: at };
  if (ts.acceptKeywords('WITH')) {
    const recursive = ts.acceptKeywords('RECURSIVE');
    const ctes: { name: Ident; query: Query }[] = [];
    do {
      const name = ts.parseIdent('a WITH clause name');
      ts.expectKeyword('AS');
      ts.expectOp('(');
      ctes.push({ name, query: parseQuery(ts) });
      ts.expectOp(')');
    } while (ts.acceptOp(','));
    query.with = { recursive, ctes };
  }
  query.body = parseSetExpr(ts);
  if (ts.acceptKeywords('ORDER', 'BY')) query.orderBy = parseOrderItems(ts);
  if (ts.acceptKeywords('LIMIT')) {
    query.limit = parseExpr(ts);
    if (ts.acceptKeywords('OFFSET')) query.offset = parseExpr(ts);
  }
  return query;
}

function parseSetExpr(ts: TokenStream): SetExpr {
  let left = parseSetPrimary(ts);
  while (ts.isKeyword('UNION') || ts.isKeyword('INTERSECT') || ts.isKeyword('EXCEPT')) {
    const token = ts.next();
    const op = token.value.toUpperCase() as 'UNION' | 'INTERSECT' | 'EXCEPT';
    let all: boolean;
    if (ts.acceptKeywords('ALL')) all = true;
    else if (ts.acceptKeywords('DISTINCT')) all = false;
    else throw ts.expected('keyword ALL or DISTINCT');
    if (all && op !== 'UNION') throw invalidQuery(`${op} ALL is not supported`, token);
    if (ts.isKeyword('BY') || ts.isKeyword('CORRESPONDING'))
      throw ts.unsupported('set operations by name (`CORRESPONDING`)');
    left = { kind: 'setOp', op, all, left, right: parseSetPrimary(ts), pos: pos(token) };
  }
  return left;
}

function parseSetPrimary(ts: TokenStream): SetExpr {
  if (ts.isOp('(')) {
    const at = pos(ts.next());
    const query = parseQuery(ts);
    ts.expectOp(')');
    return { kind: 'nested', query, pos: at };
  }
  if (!ts.isKeyword('SELECT')) throw ts.expected('keyword SELECT');
  return parseSelect(ts);
}

function parseSelect(ts: TokenStream): Select {
  const at = pos(ts.expectKeyword('SELECT'));
  let distinct = false;
  if (ts.acceptKeywords('DISTINCT')) distinct = true;
  else ts.acceptKeywords('ALL');
  let as: 'STRUCT' | 'VALUE' | undefined;
  if (ts.acceptKeywords('AS')) {
    if (ts.acceptKeywords('STRUCT')) as = 'STRUCT';
    else if (ts.acceptKeywords('VALUE')) as = 'VALUE';
    else throw ts.expected('keyword STRUCT or VALUE');
  }
  const select: Select = {
    kind: 'select',
    distinct,
    ...(as ? { as } : {}),
    items: parseSelectItems(ts),
    pos: at,
  };
  if (as === 'VALUE' && select.items.length !== 1)
    throw invalidQuery('SELECT AS VALUE query must have exactly one column', at);
  if (ts.acceptKeywords('FROM')) select.from = parseFrom(ts);
  if (ts.acceptKeywords('WHERE')) select.where = parseExpr(ts);
  if (ts.isKeywords('GROUP', 'BY')) select.groupBy = parseGroupBy(ts);
  if (ts.acceptKeywords('HAVING')) select.having = parseExpr(ts);
  if (ts.acceptKeywords('QUALIFY')) select.qualify = parseExpr(ts);
  if (ts.acceptKeywords('WINDOW')) {
    select.windows = [];
    do {
      const name = ts.parseIdent('a window name');
      ts.expectKeyword('AS');
      select.windows.push({ name, spec: parseWindowSpec(ts) });
    } while (ts.acceptOp(','));
  }
  return select;
}

function parseSelectItems(ts: TokenStream): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    const at = pos(ts.peek());
    // `*` or `a.b.*`
    let qualifierLength = 0;
    while (
      (ts.peek(qualifierLength * 2).kind === 'ident' || ts.peek(qualifierLength * 2).kind === 'quoted') &&
      ts.isOp('.', qualifierLength * 2 + 1)
    )
      qualifierLength++;
    if (ts.isOp('*', qualifierLength * 2)) {
      const qualifier: Ident[] = [];
      for (let i = 0; i < qualifierLength; i++) {
        const token = ts.next();
        qualifier.push({ name: token.value, quoted: token.kind === 'quoted', pos: pos(token) });
        ts.next();
      }
      ts.next();
      const item: SelectItem = { kind: 'star', ...(qualifier.length > 0 ? { qualifier } : {}), pos: at };
      if (ts.isKeyword('EXCEPT') && ts.isOp('(', 1)) {
        ts.next();
        ts.next();
        item.except = [];
        do item.except.push(ts.parseIdent('a column name'));
        while (ts.acceptOp(','));
        ts.expectOp(')');
      }
      if (ts.isKeyword('REPLACE') && ts.isOp('(', 1)) {
        ts.next();
        ts.next();
        item.replace = [];
        do {
          const expr = parseExpr(ts);
          ts.expectKeyword('AS');
          item.replace.push({ expr, alias: ts.parseIdent('a column name') });
        } while (ts.acceptOp(','));
        ts.expectOp(')');
      }
      items.push(item);
      continue;
    }
    const expr = parseExpr(ts);
    const alias = parseAlias(ts);
    items.push({ kind: 'expr', expr, ...(alias ? { alias } : {}), pos: at });
  } while (ts.acceptOp(',') && !isSelectListEnd(ts));
  return items;
}

/** After a comma: BigQuery allows a trailing comma at the end of a SELECT list. */
function isSelectListEnd(ts: TokenStream): boolean {
  return ts.isKeyword('FROM') || ts.isOp(')') || ts.isOp(';') || ts.peek().kind === 'eof';
}

/** `[AS] name` after a select item or a FROM item, if there is one. */
function parseAlias(ts: TokenStream): Ident | undefined {
  if (ts.acceptKeywords('AS')) return ts.parseIdent('an alias');
  // A bare name is an alias unless it starts a clause BigQuery does not reserve.
  if (ts.isName() && !isUnreservedClauseWord(ts)) return ts.parseIdent();
  return undefined;
}

/** Unreserved words that start a clause or construct after a FROM item rather than name it. */
function isUnreservedClauseWord(ts: TokenStream): boolean {
  return (
    ((ts.isKeyword('PIVOT') || ts.isKeyword('UNPIVOT')) &&
      (ts.isOp('(', 1) || ts.isKeyword('INCLUDE', 1) || ts.isKeyword('EXCLUDE', 1))) ||
    (ts.isKeyword('MATCH_RECOGNIZE') && ts.isOp('(', 1))
  );
}

/** The FROM clause: items joined by commas and JOINs. */
export function parseFrom(ts: TokenStream): FromItem {
  let left = parseFromPrimary(ts);
  while (true) {
    const token = ts.peek();
    const at = pos(token);
    if (ts.acceptOp(',')) {
      left = { kind: 'join', type: 'COMMA', left, right: parseFromPrimary(ts), pos: at };
      continue;
    }
    if (ts.isKeyword('NATURAL')) throw ts.unsupported('`NATURAL JOIN`');
    let type: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | undefined;
    if (ts.acceptKeywords('JOIN')) type = 'INNER';
    else if (ts.acceptKeywords('INNER', 'JOIN')) type = 'INNER';
    else if (ts.acceptKeywords('CROSS', 'JOIN')) type = 'CROSS';
    else {
      for (const side of ['LEFT', 'RIGHT', 'FULL'] as const) {
        if (ts.acceptKeywords(side, 'JOIN') || ts.acceptKeywords(side, 'OUTER', 'JOIN')) {
          type = side;
          break;
        }
      }
    }
    if (type === undefined) {
      if (
        ts.isKeyword('INNER') ||
        ts.isKeyword('CROSS') ||
        ts.isKeyword('LEFT') ||
        ts.isKeyword('RIGHT') ||
        ts.isKeyword('FULL')
      ) {
        ts.next();
        throw ts.expected('keyword JOIN');
      }
      return left;
    }
    const right = parseFromPrimary(ts);
    const join: FromItem = { kind: 'join', type, left, right, pos: at };
    if (type !== 'CROSS') {
      if (ts.acceptKeywords('ON')) join.on = parseExpr(ts);
      else if (ts.acceptKeywords('USING')) {
        ts.expectOp('(');
        join.using = [];
        do join.using.push(ts.parseIdent('a column name'));
        while (ts.acceptOp(','));
        ts.expectOp(')');
      } else if (right.kind !== 'unnest' && !(right.kind === 'table' && right.path.length > 1)) {
        // BigQuery lets a join with an array (UNNEST or a path into the row) go without ON.
        throw ts.expected('keyword ON or USING');
      }
    }
    left = join;
  }
}

function parseFromPrimary(ts: TokenStream): FromItem {
  const token = ts.peek();
  const at = pos(token);
  let item: FromItem;
  if (ts.isKeyword('UNNEST')) {
    ts.next();
    ts.expectOp('(');
    const array = parseExpr(ts);
    if (ts.isOp(',')) throw ts.unsupported('UNNEST of several arrays');
    ts.expectOp(')');
    const alias = parseAlias(ts);
    item = { kind: 'unnest', array, ...(alias ? { alias } : {}), pos: at };
    if (ts.acceptKeywords('WITH', 'OFFSET')) {
      const offsetAlias = parseAlias(ts);
      item.offset = offsetAlias ? { alias: offsetAlias } : {};
    }
  } else if (ts.isOp('(')) {
    if (isParenthesizedQuery(ts)) {
      ts.next();
      const query = parseQuery(ts);
      ts.expectOp(')');
      const alias = parseAlias(ts);
      item = { kind: 'subquery', query, ...(alias ? { alias } : {}), pos: at };
    } else {
      ts.next();
      item = parseFrom(ts);
      ts.expectOp(')');
    }
  } else if (ts.isKeyword('LATERAL')) {
    throw ts.unsupported('`LATERAL`');
  } else {
    const path = parseTablePath(ts);
    if (ts.isOp('(')) throw invalidQuery("Windhover's emulator does not support table-valued functions", at);
    if (ts.isKeyword('FOR')) throw ts.unsupported('`FOR SYSTEM_TIME AS OF`');
    const alias = parseAlias(ts);
    item = { kind: 'table', path, ...(alias ? { alias } : {}), pos: at };
  }
  if (ts.isKeyword('TABLESAMPLE')) throw ts.unsupported('`TABLESAMPLE`');
  if (ts.isKeyword('PIVOT') || ts.isKeyword('UNPIVOT'))
    throw ts.unsupported(`\`${ts.peek().value.toUpperCase()}\``);
  if (ts.isKeyword('MATCH_RECOGNIZE')) throw ts.unsupported('`MATCH_RECOGNIZE`');
  return item;
}

/** Whether the parenthesis ahead opens a query (rather than a parenthesized join). */
function isParenthesizedQuery(ts: TokenStream): boolean {
  return isQueryStart(ts);
}

/**
 * A table name as its parts: backquoted pieces split at their dots, unquoted pieces joined with
 * the dashes and digits written against them (`my-project-1.dataset.table`).
 */
export function parseTablePath(ts: TokenStream): Ident[] {
  const first = ts.peek();
  if (first.kind !== 'quoted' && !ts.isName()) throw ts.expected('a table name');
  const at = pos(first);
  let text = '';
  let previous: Token | undefined;
  while (true) {
    const token = ts.peek();
    const adjacent = previous !== undefined && token.start === previous.end;
    const afterDot = previous !== undefined && previous.kind === 'op' && previous.value === '.';
    const continues =
      previous === undefined ||
      afterDot ||
      (token.kind === 'op' && token.value === '.') ||
      (adjacent &&
        (token.kind === 'ident' ||
          token.kind === 'number' ||
          token.kind === 'quoted' ||
          (token.kind === 'op' && token.value === '-')));
    if (!continues) break;
    if (token.kind === 'quoted') text += token.value;
    else if (
      token.kind === 'ident' ||
      token.kind === 'number' ||
      (token.kind === 'op' && (token.value === '.' || token.value === '-'))
    )
      text += token.value;
    else if (afterDot) throw ts.expected('identifier');
    else break;
    previous = ts.next();
  }
  const parts = text.split('.');
  if (parts.some((part) => part === ''))
    throw invalidQuery(`Syntax error: Invalid table name \`${text}\``, at);
  return parts.map((name) => ({ name, quoted: first.kind === 'quoted', pos: at }));
}

function parseGroupBy(ts: TokenStream): GroupBy {
  const at = pos(ts.next());
  ts.expectKeyword('BY');
  if (ts.acceptKeywords('ALL')) return { kind: 'all', pos: at };
  if ((ts.isKeyword('ROLLUP') || ts.isKeyword('CUBE')) && ts.isOp('(', 1)) {
    const kind = ts.next().value.toLowerCase() as 'rollup' | 'cube';
    ts.expectOp('(');
    const items = parseExprList(ts);
    ts.expectOp(')');
    return { kind, items, pos: at };
  }
  if (ts.acceptKeywords('GROUPING', 'SETS')) {
    ts.expectOp('(');
    const sets: Expr[][] = [];
    do {
      if (ts.acceptOp('(')) {
        sets.push(ts.isOp(')') ? [] : parseExprList(ts));
        ts.expectOp(')');
      } else sets.push([parseExpr(ts)]);
    } while (ts.acceptOp(','));
    ts.expectOp(')');
    return { kind: 'groupingSets', sets, pos: at };
  }
  return { kind: 'items', items: parseExprList(ts), pos: at };
}

function parseExprList(ts: TokenStream): Expr[] {
  const items = [parseExpr(ts)];
  while (ts.acceptOp(',')) items.push(parseExpr(ts));
  return items;
}

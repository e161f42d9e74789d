/**
 * Queries as DuckDB SQL: WITH names shadow tables, table names resolve through the context
 * (`project.dataset.table`, `dataset.table` in the default project, `table` in the default
 * dataset), every table gets its implicit alias (its last name part), columns without a name get
 * BigQuery's (`f0_`, `f1_`…), `* EXCEPT` / `* REPLACE` become DuckDB's EXCLUDE / REPLACE, and
 * UNNEST (with its OFFSET) and paths into a row's arrays become DuckDB unnests.
 */
import type { Expr, FromItem, GroupBy, Ident, Pos, Query, Select, SelectItem, SetExpr } from './ast.js';
import { BigQuerySqlError, invalidQuery, unsupported } from './errors.js';
import { emitExpr, emitOrderItems, emitWindow, literalInteger } from './emit-expression.js';
import type { EmitScope } from './emit-expression.js';
import type { TableRef } from './translate.js';
import { quoteIdent } from './types.js';

/** The table a name path designates, with the context's defaults. */
export function resolveTableRef(path: Ident[], at: Pos, scope: EmitScope): TableRef {
  const names = path.map((part) => part.name);
  if (names.some((name) => name.toUpperCase() === 'INFORMATION_SCHEMA'))
    throw unsupported('INFORMATION_SCHEMA views', at);
  const { ctx } = scope;
  if (names.length === 3) return { projectId: names[0]!, datasetId: names[1]!, tableId: names[2]! };
  if (names.length === 2)
    return { projectId: ctx.defaultProjectId, datasetId: names[0]!, tableId: names[1]! };
  if (names.length === 1) {
    if (ctx.defaultDatasetId === undefined)
      throw invalidQuery(`Table "${names[0]}" must be qualified with a dataset (e.g. dataset.table).`, at);
    return { projectId: ctx.defaultProjectId, datasetId: ctx.defaultDatasetId, tableId: names[0]! };
  }
  throw invalidQuery(`Invalid table name: ${names.join('.')}`, at);
}

/** Calls the context's resolver; an error it raises without a position gets the name's position. */
export function withPosition<T>(at: Pos, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof BigQuerySqlError && error.line === 0) {
      throw new BigQuerySqlError(error.reason, error.message, at.line, at.column);
    }
    throw error;
  }
}

function isCte(name: string, scope: EmitScope): boolean {
  return scope.ctes.some((frame) => frame.has(name.toLowerCase()));
}

/** A query as DuckDB SQL. */
export function emitQuery(query: Query, outer: EmitScope): string {
  const scope: EmitScope = { ...outer, ctes: [...outer.ctes] };
  let sql = '';
  if (query.with) {
    const frame = new Set<string>();
    scope.ctes.push(frame);
    const ctes = query.with.ctes.map((cte) => {
      const name = cte.name.name.toLowerCase();
      if (frame.has(name))
        throw invalidQuery(`Duplicate alias ${cte.name.name} for WITH subquery`, cte.name.pos);
      if (query.with!.recursive) frame.add(name);
      const body = emitQuery(cte.query, scope);
      frame.add(name);
      return `${quoteIdent(cte.name.name)} AS (${body})`;
    });
    sql += `WITH ${query.with.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')} `;
  }
  sql += emitSetExpr(query.body, scope);
  if (query.orderBy) sql += ` ORDER BY ${emitOrderItems(query.orderBy, scope, true)}`;
  if (query.limit) sql += ` LIMIT ${emitExpr(query.limit, scope)}`;
  if (query.offset) sql += ` OFFSET ${emitExpr(query.offset, scope)}`;
  return sql;
}

function emitSetExpr(body: SetExpr, scope: EmitScope): string {
  switch (body.kind) {
    case 'select':
      return emitSelect(body, scope);
    case 'nested':
      return `(${emitQuery(body.query, scope)})`;
    case 'setOp': {
      const op = `${body.op}${body.all ? ' ALL' : ''}`;
      return `${wrapSetOperand(body.left, scope)} ${op} ${wrapSetOperand(body.right, scope)}`;
    }
  }
}

/** An operand of UNION/INTERSECT/EXCEPT, parenthesized when it is itself a set operation. */
function wrapSetOperand(operand: SetExpr, scope: EmitScope): string {
  const sql = emitSetExpr(operand, scope);
  return operand.kind === 'setOp' ? `(${sql})` : sql;
}

function emitSelect(select: Select, outer: EmitScope): string {
  const scope: EmitScope = { ...outer, aliases: [...outer.aliases, new Set<string>()] };
  // FROM first: its aliases are the range variables the select list may use.
  const from = select.from ? ` FROM ${emitFrom(select.from, scope)}` : '';
  const items =
    select.as === 'STRUCT' ? emitStructItems(select.items, scope) : emitSelectItems(select.items, scope);
  let sql = `SELECT ${select.distinct ? 'DISTINCT ' : ''}${items}${from}`;
  if (select.where) sql += ` WHERE ${emitExpr(select.where, scope)}`;
  if (select.groupBy) sql += ` GROUP BY ${emitGroupBy(select.groupBy, scope)}`;
  if (select.having) sql += ` HAVING ${emitExpr(select.having, scope)}`;
  if (select.qualify) sql += ` QUALIFY ${emitExpr(select.qualify, scope)}`;
  if (select.windows) {
    sql += ` WINDOW ${select.windows.map((w) => `${quoteIdent(w.name.name)} AS ${emitWindow(w.spec, scope)}`).join(', ')}`;
  }
  return sql;
}

function emitSelectItems(items: SelectItem[], scope: EmitScope): string {
  let anonymous = 0;
  return items
    .map((item) => {
      if (item.kind === 'star') {
        let sql = item.qualifier ? `${item.qualifier.map((q) => quoteIdent(q.name)).join('.')}.*` : '*';
        if (item.except) sql += ` EXCLUDE (${item.except.map((c) => quoteIdent(c.name)).join(', ')})`;
        if (item.replace)
          sql += ` REPLACE (${item.replace.map((r) => `${emitExpr(r.expr, scope)} AS ${quoteIdent(r.alias.name)}`).join(', ')})`;
        return sql;
      }
      const expr = emitExpr(item.expr, scope);
      let named = item.expr;
      while (named.kind === 'paren') named = named.expr;
      let name = item.alias?.name;
      if (name === undefined && named.kind === 'path') name = named.parts[named.parts.length - 1]!.name;
      if (name === undefined && named.kind === 'field') name = named.name.name;
      if (name === undefined) name = `f${anonymous++}_`;
      return `${expr} AS ${quoteIdent(name)}`;
    })
    .join(', ');
}

/** `SELECT AS STRUCT a, b AS c`: one column, the STRUCT of the items with their names. */
function emitStructItems(items: SelectItem[], scope: EmitScope): string {
  let anonymous = 0;
  const fields = items.map((item) => {
    if (item.kind === 'star') throw unsupported('`*` in SELECT AS STRUCT', item.pos);
    let named = item.expr;
    while (named.kind === 'paren') named = named.expr;
    let name = item.alias?.name;
    if (name === undefined && named.kind === 'path') name = named.parts[named.parts.length - 1]!.name;
    if (name === undefined) name = `_field_${++anonymous}`;
    return `${quoteIdent(name)} := ${emitExpr(item.expr, scope)}`;
  });
  return `struct_pack(${fields.join(', ')}) AS "f0_"`;
}

function emitGroupBy(groupBy: GroupBy, scope: EmitScope): string {
  const list = (items: Expr[]) =>
    items
      .map((item) => {
        const position = literalInteger(item);
        return position !== undefined ? String(position) : emitExpr(item, scope);
      })
      .join(', ');
  switch (groupBy.kind) {
    case 'all':
      return 'ALL';
    case 'items':
      return list(groupBy.items);
    case 'rollup':
      return `ROLLUP (${list(groupBy.items)})`;
    case 'cube':
      return `CUBE (${list(groupBy.items)})`;
    case 'groupingSets':
      return `GROUPING SETS (${groupBy.sets.map((set) => `(${list(set)})`).join(', ')})`;
  }
}

function addAlias(name: string, at: Pos, scope: EmitScope): void {
  const frame = scope.aliases[scope.aliases.length - 1]!;
  const key = name.toLowerCase();
  if (frame.has(key)) throw invalidQuery(`Duplicate table alias ${name} in the same FROM clause`, at);
  frame.add(key);
}

function isRangeVariable(name: string, scope: EmitScope): boolean {
  return scope.aliases.some((frame) => frame.has(name.toLowerCase()));
}

/** A FROM item (and the joins it holds) as DuckDB SQL. */
export function emitFrom(item: FromItem, scope: EmitScope): string {
  switch (item.kind) {
    case 'table':
      return emitTable(item.path, item.alias, item.pos, scope);
    case 'subquery': {
      const sql = `(${emitQuery(item.query, scope)})`;
      if (!item.alias) return sql;
      addAlias(item.alias.name, item.alias.pos, scope);
      return `${sql} AS ${quoteIdent(item.alias.name)}`;
    }
    case 'unnest':
      if (!item.offset && isArrayOfNamedStructs(item.array)) {
        // Rows of STRUCTs known here: their fields are the columns, as `SELECT *` shows them in BigQuery.
        const alias = item.alias?.name ?? 'f0_';
        if (item.alias) addAlias(item.alias.name, item.alias.pos, scope);
        return `(SELECT unnest("__element") FROM unnest(${emitExpr(item.array, scope)}) AS "__elements"("__element")) AS ${quoteIdent(alias)}`;
      }
      return emitUnnest(emitExpr(item.array, scope), item.alias, item.offset, item.pos, scope);
    case 'join': {
      const left = emitFrom(item.left, scope);
      const right = emitFrom(item.right, scope);
      if (item.type === 'COMMA') return `${left}, ${right}`;
      if (item.type === 'CROSS') return `${left} CROSS JOIN ${right}`;
      if (item.using)
        return `${left} ${item.type} JOIN ${right} USING (${item.using.map((c) => quoteIdent(c.name)).join(', ')})`;
      if (item.on) return `${left} ${item.type} JOIN ${right} ON ${emitExpr(item.on, scope)}`;
      // A join with an array of the row, without a condition.
      return item.type === 'INNER'
        ? `${left} CROSS JOIN ${right}`
        : `${left} ${item.type} JOIN ${right} ON TRUE`;
    }
  }
}

/** An array literal whose elements are STRUCTs with named fields (`[STRUCT(1 AS a), …]`, `ARRAY<STRUCT<a INT64>>[…]`). */
function isArrayOfNamedStructs(array: Expr): boolean {
  if (array.kind !== 'array') return false;
  if (array.elementType)
    return (
      array.elementType.kind === 'struct' &&
      array.elementType.fields.every((field) => field.name !== undefined)
    );
  return (
    array.items.length > 0 &&
    array.items.every(
      (item) =>
        item.kind === 'struct' &&
        (item.type !== undefined ||
          item.items.every((field) => field.alias !== undefined || field.expr.kind === 'path')),
    )
  );
}

function emitTable(path: Ident[], alias: Ident | undefined, at: Pos, scope: EmitScope): string {
  const first = path[0]!;
  if (path.length === 1 && isCte(first.name, scope)) {
    const name = alias?.name ?? first.name;
    addAlias(name, alias?.pos ?? at, scope);
    return alias ? `${quoteIdent(first.name)} AS ${quoteIdent(alias.name)}` : quoteIdent(first.name);
  }
  if (path.length >= 2 && isRangeVariable(first.name, scope)) {
    // `FROM t, t.array_column`: an implicit UNNEST of the row's array.
    const array = path.map((part) => quoteIdent(part.name)).join('.');
    return emitUnnest(array, alias ?? path[path.length - 1], undefined, at, scope);
  }
  const ref = resolveTableRef(path, at, scope);
  const source = withPosition(at, () => scope.ctx.tableSource(ref));
  const name = alias?.name ?? ref.tableId;
  addAlias(name, alias?.pos ?? at, scope);
  return `${source} AS ${quoteIdent(name)}`;
}

function emitUnnest(
  array: string,
  alias: Ident | undefined,
  offset: { alias?: Ident } | undefined,
  at: Pos,
  scope: EmitScope,
): string {
  const name = alias?.name ?? 'f0_';
  if (alias) addAlias(alias.name, alias.pos, scope);
  const column = quoteIdent(name);
  if (!offset) return `unnest(${array}) AS ${column}(${column})`;
  const offsetName = offset.alias?.name ?? 'offset';
  addAlias(offsetName, offset.alias?.pos ?? at, scope);
  // The offset is the element's 0-based position; ORDINALITY counts from 1.
  return `(SELECT "__value" AS ${column}, "__ordinality" - 1 AS ${quoteIdent(offsetName)} FROM unnest(${array}) WITH ORDINALITY AS "__u"("__value", "__ordinality")) AS ${column}`;
}

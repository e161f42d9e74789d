/**
 * Statements as what the emulator runs or records: queries and DML as DuckDB SQL (MERGE as
 * DuckDB's own MERGE INTO), CREATE TABLE as DuckDB DDL plus the BigQuery schema, partitioning,
 * clustering and options the emulator keeps as metadata, CREATE EXTERNAL TABLE as a description
 * only (the emulator reads its objects when a query names it), DROP TABLE as its target.
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
import { datePartName, emitExpr } from './emit-expression.js';
import type { EmitScope } from './emit-expression.js';
import { emitFrom, emitQuery, resolveTableRef, withPosition } from './emit-query.js';
import type { BigQueryField, TablePartitioning, TableRef, TranslatedStatement } from './translate.js';
import { duckdbType, fieldOfType, quoteIdent } from './types.js';

function targetOf(name: TableName, scope: EmitScope): { ref: TableRef; sql: string } {
  const ref = resolveTableRef(name.path, name.pos, scope);
  return { ref, sql: withPosition(name.pos, () => scope.ctx.tableName(ref)) };
}

/** A statement, translated. */
export function emitStatement(statement: Statement, scope: EmitScope): TranslatedStatement {
  switch (statement.kind) {
    case 'query':
      return { kind: 'query', sql: emitQuery(statement.query, scope) };
    case 'insert': {
      const target = targetOf(statement.target, scope);
      const columns = statement.columns
        ? ` (${statement.columns.map((c) => quoteIdent(c.name)).join(', ')})`
        : '';
      const source =
        statement.source.kind === 'values'
          ? `VALUES ${statement.source.rows.map((row) => `(${row.map((v) => emitExpr(v, scope)).join(', ')})`).join(', ')}`
          : emitQuery(statement.source.query, scope);
      return {
        kind: 'dml',
        operation: 'INSERT',
        target: target.ref,
        sql: `INSERT INTO ${target.sql}${columns} ${source}`,
      };
    }
    case 'update': {
      const target = targetOf(statement.target, scope);
      const alias = statement.alias?.name ?? target.ref.tableId;
      const inner = withAliases(scope, [alias]);
      const set = emitSetList(statement.set, alias, inner);
      const from = statement.from ? ` FROM ${emitFrom(statement.from, inner)}` : '';
      const sql = `UPDATE ${target.sql} AS ${quoteIdent(alias)} SET ${set}${from} WHERE ${emitExpr(statement.where, inner)}`;
      return { kind: 'dml', operation: 'UPDATE', target: target.ref, sql };
    }
    case 'delete': {
      const target = targetOf(statement.target, scope);
      const alias = statement.alias?.name ?? target.ref.tableId;
      const where = emitExpr(statement.where, withAliases(scope, [alias]));
      return {
        kind: 'dml',
        operation: 'DELETE',
        target: target.ref,
        sql: `DELETE FROM ${target.sql} AS ${quoteIdent(alias)} WHERE ${where}`,
      };
    }
    case 'truncate': {
      const target = targetOf(statement.target, scope);
      return { kind: 'dml', operation: 'DELETE', target: target.ref, sql: `DELETE FROM ${target.sql}` };
    }
    case 'merge':
      return emitMerge(statement, scope);
    case 'createTable':
      return emitCreateTable(statement, scope);
    case 'createExternalTable':
      return emitCreateExternalTable(statement, scope);
    case 'createView': {
      rejectBothReplaceAndIfNotExists(statement.orReplace, statement.ifNotExists, statement.pos);
      const target = targetOf(statement.target, scope);
      const columns = statement.columns
        ? ` (${statement.columns.map((c) => quoteIdent(c.name)).join(', ')})`
        : '';
      const create = `CREATE ${statement.orReplace ? 'OR REPLACE ' : ''}VIEW ${statement.ifNotExists ? 'IF NOT EXISTS ' : ''}`;
      const options = evaluateOptions(statement.options);
      return {
        kind: 'createView',
        target: target.ref,
        sql: [`${create}${target.sql}${columns} AS ${emitQuery(statement.query, scope)}`],
        orReplace: statement.orReplace,
        ifNotExists: statement.ifNotExists,
        ...(Object.keys(options).length > 0 ? { options } : {}),
      };
    }
    case 'dropTable':
      return {
        kind: 'dropTable',
        target: resolveTableRef(statement.target.path, statement.target.pos, scope),
        ifExists: statement.ifExists,
      };
  }
}

/** The scope with the DML target's alias as a range variable. */
function withAliases(scope: EmitScope, aliases: string[]): EmitScope {
  return { ...scope, aliases: [...scope.aliases, new Set(aliases.map((a) => a.toLowerCase()))] };
}

/** `SET col = value, …`; a column may be written after the target's alias (`T.col`), not into a STRUCT. */
function emitSetList(set: { column: Ident[]; value: Expr }[], alias: string, scope: EmitScope): string {
  return set
    .map((item) => {
      let column = item.column;
      if (column.length === 2 && column[0]!.name.toLowerCase() === alias.toLowerCase())
        column = column.slice(1);
      if (column.length !== 1) throw unsupported('updating a field of a STRUCT column', item.column[0]!.pos);
      return `${quoteIdent(column[0]!.name)} = ${emitExpr(item.value, scope)}`;
    })
    .join(', ');
}

function emitMerge(statement: Extract<Statement, { kind: 'merge' }>, scope: EmitScope): TranslatedStatement {
  const target = targetOf(statement.target, scope);
  const targetAlias = statement.targetAlias?.name ?? target.ref.tableId;
  const inner = withAliases(scope, [targetAlias]);
  const source = emitMergeSource(statement.source, inner);
  const on = emitExpr(statement.on, inner);
  const clauses = statement.clauses.map((clause) => emitMergeClause(clause, targetAlias, inner));
  const sql = `MERGE INTO ${target.sql} AS ${quoteIdent(targetAlias)} USING ${source} ON ${on} ${clauses.join(' ')}`;
  return { kind: 'dml', operation: 'MERGE', target: target.ref, sql };
}

function emitMergeSource(source: FromItem, scope: EmitScope): string {
  if (source.kind === 'subquery' && !source.alias) return `(${emitQuery(source.query, scope)}) AS "__source"`;
  return emitFrom(source, scope);
}

function emitMergeClause(clause: MergeClause, targetAlias: string, scope: EmitScope): string {
  const condition = clause.condition ? ` AND ${emitExpr(clause.condition, scope)}` : '';
  const when = `WHEN ${clause.match}${condition} THEN`;
  switch (clause.action.kind) {
    case 'delete':
      return `${when} DELETE`;
    case 'update':
      return `${when} UPDATE SET ${emitSetList(clause.action.set, targetAlias, scope)}`;
    case 'insert': {
      // INSERT ROW: every source column, by position (DuckDB's bare INSERT).
      if (clause.action.row) return `${when} INSERT`;
      const columns = clause.action.columns
        ? ` (${clause.action.columns.map((c) => quoteIdent(c.name)).join(', ')})`
        : '';
      const values = (clause.action.values ?? []).map((v) => emitExpr(v, scope)).join(', ');
      return `${when} INSERT${columns} VALUES (${values})`;
    }
  }
}

function rejectBothReplaceAndIfNotExists(orReplace: boolean, ifNotExists: boolean, at: Pos): void {
  if (orReplace && ifNotExists)
    throw invalidQuery('CREATE statements cannot have both OR REPLACE and IF NOT EXISTS', at);
}

/** The BigQuery schema of declared columns. */
function schemaOf(columns: ColumnDef[]): BigQueryField[] {
  const seen = new Set<string>();
  return columns.map((column) => {
    const key = column.name.name.toLowerCase();
    if (seen.has(key)) throw invalidQuery(`Duplicate column name ${column.name.name}`, column.pos);
    seen.add(key);
    const options = evaluateOptions(column.options);
    const description = typeof options.description === 'string' ? options.description : undefined;
    return fieldOfType(column.name.name, column.type, {
      required: column.notNull,
      ...(description !== undefined ? { description } : {}),
    });
  });
}

function emitCreateTable(
  statement: Extract<Statement, { kind: 'createTable' }>,
  scope: EmitScope,
): TranslatedStatement {
  rejectBothReplaceAndIfNotExists(statement.orReplace, statement.ifNotExists, statement.pos);
  const target = targetOf(statement.target, scope);
  const create = `CREATE ${statement.orReplace ? 'OR REPLACE ' : ''}TABLE ${statement.ifNotExists ? 'IF NOT EXISTS ' : ''}${target.sql}`;
  const sql: string[] = [];
  let schema: BigQueryField[] | undefined;
  if (statement.columns) {
    schema = schemaOf(statement.columns);
    const columns = statement.columns.map((column) => {
      const notNull = column.notNull ? ' NOT NULL' : '';
      const defaultValue = column.default ? ` DEFAULT ${emitExpr(column.default, scope)}` : '';
      return `${quoteIdent(column.name.name)} ${duckdbType(column.type)}${notNull}${defaultValue}`;
    });
    sql.push(`${create} (${columns.join(', ')})`);
    if (statement.asSelect) sql.push(`INSERT INTO ${target.sql} ${emitQuery(statement.asSelect, scope)}`);
  } else if (statement.asSelect) {
    sql.push(`${create} AS ${emitQuery(statement.asSelect, scope)}`);
  }
  const options = evaluateOptions(statement.options);
  const partitioning = statement.partitionBy ? partitioningOf(statement.partitionBy) : undefined;
  return {
    kind: 'createTable',
    target: target.ref,
    sql,
    ...(schema ? { schema } : {}),
    ifNotExists: statement.ifNotExists,
    orReplace: statement.orReplace,
    asSelect: statement.asSelect !== undefined,
    ...(partitioning ? { partitioning } : {}),
    ...(statement.clusterBy ? { clustering: statement.clusterBy.map((c) => c.name) } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}

const TRUNC_TYPES: Record<string, 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'> = {
  HOUR: 'HOUR',
  DAY: 'DAY',
  MONTH: 'MONTH',
  YEAR: 'YEAR',
};

/** `PARTITION BY …` in the REST API's words. */
function partitioningOf(expr: Expr): TablePartitioning {
  const column = (e: Expr | undefined) =>
    e?.kind === 'path' && e.parts.length === 1 ? e.parts[0]!.name : undefined;
  const plain = column(expr);
  if (plain !== undefined) {
    if (plain.toUpperCase() === '_PARTITIONDATE') return { timePartitioning: { type: 'DAY' } };
    return { timePartitioning: { type: 'DAY', field: plain } };
  }
  if (expr.kind === 'call') {
    const field = column(expr.args[0]);
    if (
      (expr.name === 'DATE' || expr.name === 'TIMESTAMP') &&
      expr.args.length === 1 &&
      field !== undefined
    ) {
      if (field.toUpperCase() === '_PARTITIONTIME') return { timePartitioning: { type: 'DAY' } };
      return { timePartitioning: { type: 'DAY', field } };
    }
    if (
      ['DATE_TRUNC', 'DATETIME_TRUNC', 'TIMESTAMP_TRUNC'].includes(expr.name) &&
      expr.args.length === 2 &&
      field !== undefined
    ) {
      const type = TRUNC_TYPES[datePartName(expr.args[1]!) ?? ''];
      if (type)
        return { timePartitioning: field.toUpperCase() === '_PARTITIONTIME' ? { type } : { type, field } };
    }
    if (expr.name === 'RANGE_BUCKET' && expr.args.length === 2 && field !== undefined) {
      const range = expr.args[1]!;
      if (range.kind === 'call' && range.name === 'GENERATE_ARRAY' && range.args.length === 3) {
        const [start, end, interval] = range.args.map((arg) => literalText(arg));
        if (start !== undefined && end !== undefined && interval !== undefined)
          return { rangePartitioning: { field, range: { start, end, interval } } };
      }
    }
  }
  throw unsupported(
    'this PARTITION BY expression (use a DATE/TIMESTAMP column, DATE(col), *_TRUNC(col, part) or RANGE_BUCKET)',
    expr.pos,
  );
}

function literalText(expr: Expr): string | undefined {
  if (expr.kind === 'number') return expr.text;
  if (expr.kind === 'unary' && expr.op === '-' && expr.operand.kind === 'number')
    return `-${expr.operand.text}`;
  return undefined;
}

const EXTERNAL_FORMATS: Record<string, 'CSV' | 'PARQUET' | 'NEWLINE_DELIMITED_JSON'> = {
  CSV: 'CSV',
  PARQUET: 'PARQUET',
  NEWLINE_DELIMITED_JSON: 'NEWLINE_DELIMITED_JSON',
  JSON: 'NEWLINE_DELIMITED_JSON',
};

function emitCreateExternalTable(
  statement: Extract<Statement, { kind: 'createExternalTable' }>,
  scope: EmitScope,
): TranslatedStatement {
  rejectBothReplaceAndIfNotExists(statement.orReplace, statement.ifNotExists, statement.pos);
  const target = resolveTableRef(statement.target.path, statement.target.pos, scope);
  const options = evaluateOptions(statement.options);
  const formatOption = statement.options.find((o) => o.name === 'format');
  if (formatOption === undefined)
    throw invalidQuery('CREATE EXTERNAL TABLE needs the option format', statement.pos);
  const format =
    typeof options.format === 'string' ? EXTERNAL_FORMATS[options.format.toUpperCase()] : undefined;
  if (format === undefined)
    throw unsupported(
      `the external table format ${String(options.format)} (CSV, PARQUET and NEWLINE_DELIMITED_JSON are)`,
      formatOption.pos,
    );
  const urisOption = statement.options.find((o) => o.name === 'uris');
  const uris = options.uris;
  if (
    urisOption === undefined ||
    !Array.isArray(uris) ||
    uris.length === 0 ||
    !uris.every((u): u is string => typeof u === 'string')
  )
    throw invalidQuery(
      'CREATE EXTERNAL TABLE needs the option uris, a list of gs:// URIs',
      urisOption?.pos ?? statement.pos,
    );
  for (const uri of uris) {
    if (!uri.startsWith('gs://'))
      throw invalidQuery(`Invalid URI ${uri}: external tables read gs:// URIs`, urisOption.pos);
  }
  const rest: Record<string, unknown> = { ...options };
  delete rest.format;
  delete rest.uris;
  return {
    kind: 'createExternalTable',
    target,
    ...(statement.columns ? { schema: schemaOf(statement.columns) } : {}),
    orReplace: statement.orReplace,
    ifNotExists: statement.ifNotExists,
    format,
    uris,
    options: rest,
  };
}

/** OPTIONS(…) with literal values: strings, numbers, booleans, NULL, arrays, and labels as [(key, value)]. */
export function evaluateOptions(options: OptionList): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const option of options) {
    const value = evaluateLiteral(option.value);
    if (option.name === 'labels' && Array.isArray(value)) {
      const labels: Record<string, string> = {};
      for (const entry of value) {
        if (!Array.isArray(entry) || entry.length !== 2)
          throw invalidQuery('labels must be a list of (key, value) pairs', option.value.pos);
        labels[String(entry[0])] = String(entry[1]);
      }
      result.labels = labels;
    } else {
      result[option.name] = value;
    }
  }
  return result;
}

function evaluateLiteral(expr: Expr): unknown {
  switch (expr.kind) {
    case 'string':
      return expr.value;
    case 'number':
      return Number(expr.text);
    case 'bool':
      return expr.value;
    case 'null':
      return null;
    case 'typedLiteral':
      return expr.value;
    case 'unary':
      if (expr.op === '-' && expr.operand.kind === 'number') return -Number(expr.operand.text);
      break;
    case 'array':
      return expr.items.map(evaluateLiteral);
    case 'tuple':
      return expr.items.map(evaluateLiteral);
    case 'paren':
      return evaluateLiteral(expr.expr);
  }
  throw unsupported('an OPTIONS value that is not a literal', expr.pos);
}

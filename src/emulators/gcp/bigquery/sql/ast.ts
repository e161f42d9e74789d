/**
 * The syntax tree of the BigQuery subset the translator understands. Every node carries the
 * position of its first token (`pos`), so a construct refused while emitting is reported where
 * the user wrote it.
 */
import type { SqlPosition } from './errors.js';
import type { BigQueryType } from './types.js';

export type Pos = SqlPosition;

/** A name as written: unquoted names compare without case, as BigQuery's column names do. */
export interface Ident {
  name: string;
  quoted: boolean;
  pos: Pos;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | { kind: 'string'; value: string; pos: Pos }
  | { kind: 'bytes'; value: Uint8Array; pos: Pos }
  | { kind: 'number'; text: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'null'; pos: Pos }
  /** DATE '…', DATETIME '…', TIME '…', TIMESTAMP '…', NUMERIC '…', BIGNUMERIC '…', JSON '…'. */
  | { kind: 'typedLiteral'; type: string; value: string; pos: Pos }
  | { kind: 'interval'; value: Expr; part: Ident; pos: Pos }
  /** A name or a chain of names: `col`, `t.col`, `t.struct_col.field`. */
  | { kind: 'path'; parts: Ident[]; pos: Pos }
  | { kind: 'unary'; op: '-' | '+' | '~' | 'NOT'; operand: Expr; pos: Pos }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: Pos }
  | { kind: 'is'; operand: Expr; not: boolean; value: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN'; pos: Pos }
  | { kind: 'isDistinct'; left: Expr; right: Expr; not: boolean; pos: Pos }
  | { kind: 'like'; operand: Expr; pattern: Expr; not: boolean; pos: Pos }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; not: boolean; pos: Pos }
  | { kind: 'inList'; operand: Expr; list: Expr[]; not: boolean; pos: Pos }
  | { kind: 'inQuery'; operand: Expr; query: Query; not: boolean; pos: Pos }
  | { kind: 'inUnnest'; operand: Expr; array: Expr; not: boolean; pos: Pos }
  | { kind: 'exists'; query: Query; pos: Pos }
  | { kind: 'subquery'; query: Query; pos: Pos }
  | { kind: 'arraySubquery'; query: Query; pos: Pos }
  | { kind: 'array'; elementType?: BigQueryType; items: Expr[]; pos: Pos }
  | { kind: 'struct'; type?: BigQueryType; items: { expr: Expr; alias?: Ident }[]; pos: Pos }
  /** `(a, b)`: a struct without names. */
  | { kind: 'tuple'; items: Expr[]; pos: Pos }
  | { kind: 'paren'; expr: Expr; pos: Pos }
  | { kind: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr; pos: Pos }
  | { kind: 'cast'; safe: boolean; expr: Expr; type: BigQueryType; pos: Pos }
  | { kind: 'extract'; part: Expr; expr: Expr; timeZone?: Expr; pos: Pos }
  | FunctionCall
  | {
      kind: 'subscript';
      base: Expr;
      index: Expr;
      mode: 'OFFSET' | 'SAFE_OFFSET' | 'ORDINAL' | 'SAFE_ORDINAL' | 'PLAIN';
      pos: Pos;
    }
  /** `(expr).field` or `f(x).field`: a field of a struct value that is not a plain name. */
  | { kind: 'field'; base: Expr; name: Ident; pos: Pos }
  /** `*` as the argument of COUNT(*). */
  | { kind: 'star'; pos: Pos };

export interface FunctionCall {
  kind: 'call';
  /** The name in upper case, without a `SAFE.` prefix. */
  name: string;
  /** The name as written (for messages), without a `SAFE.` prefix. */
  written?: string;
  safe: boolean;
  args: Expr[];
  distinct: boolean;
  nulls?: 'IGNORE' | 'RESPECT';
  orderBy?: OrderItem[];
  limit?: Expr;
  over?: WindowSpec;
  pos: Pos;
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
  nulls?: 'FIRST' | 'LAST';
}

export interface WindowFrame {
  unit: 'ROWS' | 'RANGE';
  start: FrameBound;
  end?: FrameBound;
}

export interface FrameBound {
  kind: 'UNBOUNDED PRECEDING' | 'UNBOUNDED FOLLOWING' | 'CURRENT ROW' | 'PRECEDING' | 'FOLLOWING';
  offset?: Expr;
}

export interface WindowSpec {
  /** A named window (`OVER w`, or `OVER (w ORDER BY …)`). */
  base?: Ident;
  partitionBy: Expr[];
  orderBy: OrderItem[];
  frame?: WindowFrame;
  pos: Pos;
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface Query {
  kind: 'query';
  with?: { recursive: boolean; ctes: { name: Ident; query: Query }[] };
  body: SetExpr;
  orderBy?: OrderItem[];
  limit?: Expr;
  offset?: Expr;
  pos: Pos;
}

export type SetExpr =
  | Select
  | {
      kind: 'setOp';
      op: 'UNION' | 'INTERSECT' | 'EXCEPT';
      all: boolean;
      left: SetExpr;
      right: SetExpr;
      pos: Pos;
    }
  | { kind: 'nested'; query: Query; pos: Pos };

export interface Select {
  kind: 'select';
  distinct: boolean;
  /** `SELECT AS STRUCT` (one STRUCT column of the items) or `SELECT AS VALUE` (the one item's value). */
  as?: 'STRUCT' | 'VALUE';
  items: SelectItem[];
  from?: FromItem;
  where?: Expr;
  groupBy?: GroupBy;
  having?: Expr;
  qualify?: Expr;
  windows?: { name: Ident; spec: WindowSpec }[];
  pos: Pos;
}

export type GroupBy =
  | { kind: 'items'; items: Expr[]; pos: Pos }
  | { kind: 'rollup' | 'cube'; items: Expr[]; pos: Pos }
  | { kind: 'groupingSets'; sets: Expr[][]; pos: Pos }
  | { kind: 'all'; pos: Pos };

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias?: Ident; pos: Pos }
  | {
      kind: 'star';
      /** `t.*`: the names before the star. */
      qualifier?: Ident[];
      except?: Ident[];
      replace?: { expr: Expr; alias: Ident }[];
      pos: Pos;
    };

export type FromItem =
  | { kind: 'table'; path: Ident[]; alias?: Ident; pos: Pos }
  | { kind: 'subquery'; query: Query; alias?: Ident; pos: Pos }
  | { kind: 'unnest'; array: Expr; alias?: Ident; offset?: { alias?: Ident }; pos: Pos }
  | {
      kind: 'join';
      type: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'COMMA';
      left: FromItem;
      right: FromItem;
      on?: Expr;
      using?: Ident[];
      pos: Pos;
    };

// ---------------------------------------------------------------------------------------------
// Statements

/** A column of CREATE TABLE: name, type, NOT NULL, DEFAULT and OPTIONS(description=…). */
export interface ColumnDef {
  name: Ident;
  type: BigQueryType;
  notNull: boolean;
  default?: Expr;
  options: OptionList;
  pos: Pos;
}

/** `OPTIONS(name = value, …)`: names in lower case, values as expressions. */
export type OptionList = { name: string; value: Expr; pos: Pos }[];

export interface TableName {
  path: Ident[];
  pos: Pos;
}

export type Statement =
  | { kind: 'query'; query: Query; pos: Pos }
  | {
      kind: 'insert';
      target: TableName;
      columns?: Ident[];
      source: { kind: 'values'; rows: Expr[][] } | { kind: 'query'; query: Query };
      pos: Pos;
    }
  | {
      kind: 'update';
      target: TableName;
      alias?: Ident;
      set: { column: Ident[]; value: Expr }[];
      from?: FromItem;
      where: Expr;
      pos: Pos;
    }
  | { kind: 'delete'; target: TableName; alias?: Ident; where: Expr; pos: Pos }
  | { kind: 'truncate'; target: TableName; pos: Pos }
  | {
      kind: 'merge';
      target: TableName;
      targetAlias?: Ident;
      source: FromItem;
      on: Expr;
      clauses: MergeClause[];
      pos: Pos;
    }
  | {
      kind: 'createTable';
      target: TableName;
      orReplace: boolean;
      ifNotExists: boolean;
      columns?: ColumnDef[];
      partitionBy?: Expr;
      clusterBy?: Ident[];
      options: OptionList;
      asSelect?: Query;
      pos: Pos;
    }
  | {
      kind: 'createExternalTable';
      target: TableName;
      orReplace: boolean;
      ifNotExists: boolean;
      columns?: ColumnDef[];
      options: OptionList;
      pos: Pos;
    }
  | {
      kind: 'createView';
      target: TableName;
      orReplace: boolean;
      ifNotExists: boolean;
      columns?: Ident[];
      options: OptionList;
      query: Query;
      pos: Pos;
    }
  | { kind: 'dropTable'; target: TableName; ifExists: boolean; pos: Pos };

export interface MergeClause {
  match: 'MATCHED' | 'NOT MATCHED BY TARGET' | 'NOT MATCHED BY SOURCE';
  condition?: Expr;
  action:
    | { kind: 'update'; set: { column: Ident[]; value: Expr }[] }
    | { kind: 'delete' }
    | { kind: 'insert'; columns?: Ident[]; values?: Expr[]; row: boolean };
  pos: Pos;
}

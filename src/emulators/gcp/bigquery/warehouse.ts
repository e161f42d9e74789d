/**
 * The DuckDB database holding the emulator's tables: one file, a DuckDB schema per BigQuery
 * dataset (named `project.dataset`, quoted), one connection per job so that a job can be
 * interrupted alone. DuckDB lets one process write through several connections but reports a
 * conflict when two transactions touch the same table, so jobs that write take `writeLock`
 * in turn; reads run alongside them.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

/** A table of BigQuery: project, dataset and table ids. */
export interface TableId {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/** `name` as a DuckDB identifier (quoted, so any character is kept). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `text` as a DuckDB string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The quoted DuckDB schema of a dataset. */
export function schemaName(projectId: string, datasetId: string): string {
  return quoteIdent(`${projectId}.${datasetId}`);
}

/** The quoted DuckDB name of a table (or view). */
export function duckdbTableName(ref: TableId): string {
  return `${schemaName(ref.projectId, ref.datasetId)}.${quoteIdent(ref.tableId)}`;
}

/** A mutual exclusion for async work: callers run one after the other, in arrival order. */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier caller has finished. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** The emulator's DuckDB database. */
export class Warehouse {
  /** Held by work that writes tables (DDL, DML, loads, copies), one at a time. */
  readonly writeLock = new AsyncLock();

  private constructor(private readonly instance: DuckDBInstance) {}

  /** Opens (or creates) the database file. */
  static async open(file: string): Promise<Warehouse> {
    // The time zone is set per connection (connect()): as an option of the instance it is read
    // before the ICU extension that knows zones is loaded, and refused.
    const instance = await DuckDBInstance.create(file);
    return new Warehouse(instance);
  }

  /** A new connection, for one job or one request; close it with `closeSync()`. */
  async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    // Timestamps are read and written in UTC whatever the machine's zone, as BigQuery does.
    await connection.run("SET TimeZone = 'UTC'");
    return connection;
  }

  /** Runs `work` on a connection of its own, closed afterwards. */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  /** Runs `work` in a transaction on a connection of its own, holding the write lock. */
  async write<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.writeLock.run(() =>
      this.withConnection(async (connection) => {
        await connection.run('BEGIN TRANSACTION');
        try {
          const result = await work(connection);
          await connection.run('COMMIT');
          return result;
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  /** Closes the database (running connections are cut). */
  close(): void {
    this.instance.closeSync();
  }
}

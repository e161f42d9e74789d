/**
 * BigQuery's own metadata, which DuckDB cannot hold: datasets (location, labels, description),
 * tables with their BigQuery schemas (types, modes, descriptions), external table and view
 * definitions, partitioning and clustering, creation times, and jobs. Kept in a SQLite file
 * (better-sqlite3, synchronous: the SQL translator asks for tables synchronously) next to the
 * DuckDB file; each record is one JSON document.
 */
import Database from 'better-sqlite3';
import type { BigQueryField } from './sql/translate.js';
import type { TableId } from './warehouse.js';

/** A dataset as the emulator keeps it. */
export interface DatasetMeta {
  projectId: string;
  datasetId: string;
  location: string;
  description?: string | null;
  friendlyName?: string | null;
  labels?: Record<string, string>;
  defaultTableExpirationMs?: string | null;
  access?: unknown[];
  /** Milliseconds since the epoch. */
  creationTime: number;
  lastModifiedTime: number;
}

/** The table types BigQuery reports. */
export type TableType = 'TABLE' | 'VIEW' | 'EXTERNAL';

/** A table, view or external table as the emulator keeps it. */
export interface TableMeta extends TableId {
  type: TableType;
  fields: BigQueryField[];
  description?: string | null;
  friendlyName?: string | null;
  labels?: Record<string, string>;
  timePartitioning?: Record<string, unknown>;
  rangePartitioning?: Record<string, unknown>;
  clustering?: { fields: string[] };
  /** For EXTERNAL tables: the definition, as the API's `externalDataConfiguration`. */
  externalDataConfiguration?: ExternalDataConfiguration;
  /** For VIEW tables: the query as given, and its DuckDB translation. */
  view?: { query: string; useLegacySql: false };
  expirationTime?: string | null;
  creationTime: number;
  lastModifiedTime: number;
}

/** An external table's definition, in the API's words. */
export interface ExternalDataConfiguration {
  sourceUris: string[];
  sourceFormat: string;
  autodetect?: boolean;
  compression?: string;
  ignoreUnknownValues?: boolean;
  maxBadRecords?: number;
  csvOptions?: CsvOptions;
  schema?: { fields: BigQueryField[] };
}

/** CSV reading options, as the API names them (load jobs and external tables). */
export interface CsvOptions {
  skipLeadingRows?: string | number;
  fieldDelimiter?: string;
  quote?: string;
  allowJaggedRows?: boolean;
  allowQuotedNewlines?: boolean;
  encoding?: string;
  nullMarker?: string;
}

/** A job as kept: its API resource and what the emulator needs to answer for its results. */
export interface JobRecord {
  projectId: string;
  jobId: string;
  location: string;
  /** The Job resource as jobs.get answers it. */
  resource: Record<string, unknown>;
  /** For a query that returned rows: where they are kept, and their schema. */
  results?: { table: TableId; fields: BigQueryField[]; totalRows: number };
  creationTime: number;
}

/** The SQLite file of BigQuery metadata. */
export class Catalog {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (or creates) the metadata file. */
  static open(file: string): Catalog {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS datasets (
        project TEXT NOT NULL, dataset TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (project, dataset));
      CREATE TABLE IF NOT EXISTS tables (
        project TEXT NOT NULL, dataset TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (project, dataset, name));
      CREATE TABLE IF NOT EXISTS jobs (
        project TEXT NOT NULL, job TEXT NOT NULL, created INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (project, job));
      CREATE INDEX IF NOT EXISTS jobs_by_creation ON jobs (project, created);
    `);
    return new Catalog(db);
  }

  /** The dataset, if it exists. */
  dataset(projectId: string, datasetId: string): DatasetMeta | undefined {
    const row = this.db
      .prepare<[string, string], { doc: string }>(
        'SELECT doc FROM datasets WHERE project = ? AND dataset = ?',
      )
      .get(projectId, datasetId);
    return row ? (JSON.parse(row.doc) as DatasetMeta) : undefined;
  }

  /** The datasets of a project, by id. */
  datasets(projectId: string): DatasetMeta[] {
    return this.db
      .prepare<[string], { doc: string }>('SELECT doc FROM datasets WHERE project = ? ORDER BY dataset')
      .all(projectId)
      .map((row) => JSON.parse(row.doc) as DatasetMeta);
  }

  /** Creates or replaces a dataset's record. */
  putDataset(meta: DatasetMeta): void {
    this.db
      .prepare('INSERT OR REPLACE INTO datasets (project, dataset, doc) VALUES (?, ?, ?)')
      .run(meta.projectId, meta.datasetId, JSON.stringify(meta));
  }

  /** Forgets a dataset and its tables. */
  deleteDataset(projectId: string, datasetId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tables WHERE project = ? AND dataset = ?').run(projectId, datasetId);
      this.db.prepare('DELETE FROM datasets WHERE project = ? AND dataset = ?').run(projectId, datasetId);
    })();
  }

  /** The table, if it exists. */
  table(ref: TableId): TableMeta | undefined {
    const row = this.db
      .prepare<[string, string, string], { doc: string }>(
        'SELECT doc FROM tables WHERE project = ? AND dataset = ? AND name = ?',
      )
      .get(ref.projectId, ref.datasetId, ref.tableId);
    return row ? (JSON.parse(row.doc) as TableMeta) : undefined;
  }

  /** The tables of a dataset, by id. */
  tables(projectId: string, datasetId: string): TableMeta[] {
    return this.db
      .prepare<[string, string], { doc: string }>(
        'SELECT doc FROM tables WHERE project = ? AND dataset = ? ORDER BY name',
      )
      .all(projectId, datasetId)
      .map((row) => JSON.parse(row.doc) as TableMeta);
  }

  /** Creates or replaces a table's record. */
  putTable(meta: TableMeta): void {
    this.db
      .prepare('INSERT OR REPLACE INTO tables (project, dataset, name, doc) VALUES (?, ?, ?, ?)')
      .run(meta.projectId, meta.datasetId, meta.tableId, JSON.stringify(meta));
  }

  /** Forgets a table. */
  deleteTable(ref: TableId): void {
    this.db
      .prepare('DELETE FROM tables WHERE project = ? AND dataset = ? AND name = ?')
      .run(ref.projectId, ref.datasetId, ref.tableId);
  }

  /** The job, if it exists. */
  job(projectId: string, jobId: string): JobRecord | undefined {
    const row = this.db
      .prepare<[string, string], { doc: string }>('SELECT doc FROM jobs WHERE project = ? AND job = ?')
      .get(projectId, jobId);
    return row ? (JSON.parse(row.doc) as JobRecord) : undefined;
  }

  /** The jobs of a project, newest first. */
  jobs(projectId: string): JobRecord[] {
    return this.db
      .prepare<[string], { doc: string }>(
        'SELECT doc FROM jobs WHERE project = ? ORDER BY created DESC, job DESC',
      )
      .all(projectId)
      .map((row) => JSON.parse(row.doc) as JobRecord);
  }

  /** Creates or replaces a job's record. */
  putJob(record: JobRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO jobs (project, job, created, doc) VALUES (?, ?, ?, ?)')
      .run(record.projectId, record.jobId, record.creationTime, JSON.stringify(record));
  }

  /** Forgets a job. */
  deleteJob(projectId: string, jobId: string): void {
    this.db.prepare('DELETE FROM jobs WHERE project = ? AND job = ?').run(projectId, jobId);
  }

  /** Jobs not DONE (left so by a process that stopped while they ran). */
  unfinishedJobs(): JobRecord[] {
    return this.db
      .prepare<[], { doc: string }>(
        "SELECT doc FROM jobs WHERE json_extract(doc, '$.resource.status.state') IS NOT 'DONE'",
      )
      .all()
      .map((row) => JSON.parse(row.doc) as JobRecord);
  }

  /** Jobs created before `time` (ms) whose results are kept, for clean-up. */
  jobsWithResultsBefore(time: number): JobRecord[] {
    return this.db
      .prepare<[number], { doc: string }>(
        "SELECT doc FROM jobs WHERE created < ? AND json_extract(doc, '$.results') IS NOT NULL",
      )
      .all(time)
      .map((row) => JSON.parse(row.doc) as JobRecord)
      .filter((record) => record.results !== undefined);
  }

  /** Closes the file. */
  close(): void {
    this.db.close();
  }
}

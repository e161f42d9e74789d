/** What the job runners share: a running job's handle and what a runner reports back. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JobRecord } from '../catalog.js';

/** A job while it runs: the connection of its current statement (to interrupt it) and whether it was cancelled. */
export interface JobRun {
  connection?: DuckDBConnection;
  cancelled: boolean;
  /** For a load job sent with its data (multipart or resumable upload): the local file of the bytes. */
  uploadFile?: string;
}

/** What a runner adds to the job when it succeeds. */
export interface JobOutcome {
  /** Merged into `statistics` (e.g. `{ totalBytesProcessed, query: {…} }`). */
  statistics: Record<string, unknown>;
  /** Merged into the job's configuration of its type (e.g. a query's anonymous destination table). */
  configuration?: Record<string, unknown>;
  /** For a query that returned rows: where they are kept. */
  results?: JobRecord['results'];
}

/** The configuration a runner reads, with the job's project as the default one. */
export interface JobInput {
  projectId: string;
  jobId: string;
  location: string;
  /** The job type's configuration (`configuration.query`, `.load`…). */
  config: Record<string, unknown>;
  /** `configuration.dryRun`. */
  dryRun: boolean;
}

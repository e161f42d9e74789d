/**
 * Jobs as BigQuery runs them: `jobs.insert` records the job and starts it in the background (the
 * answer says RUNNING, or DONE when it finished within a moment), `jobs.get` reports its state,
 * statistics and, on failure, `status.errorResult` in BigQuery's shape; `jobs.cancel` interrupts
 * the DuckDB statement it runs. Jobs are kept in the catalog, so they outlive a restart (a job
 * that was running when the emulator stopped is reported failed).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { JobRecord } from '../catalog.js';
import { BigQueryApiError, invalid, messageOf } from '../errors.js';
import type { ErrorProto } from '../errors.js';
import { etagOf, indexOfPageToken, pageTokenOf, wholeNumber } from '../paging.js';
import { resultsDatasetId } from '../service.js';
import type { BigQueryService } from '../service.js';
import { BigQuerySqlError } from '../sql/translate.js';
import { duckdbTableName } from '../warehouse.js';
import { runCopy } from './copy-job.js';
import { runExtract } from './extract-job.js';
import { runLoad } from './load-job.js';
import { runQuery } from './query-job.js';
import type { JobInput, JobOutcome, JobRun } from './types.js';

const jobTypes = { query: 'QUERY', load: 'LOAD', copy: 'COPY', extract: 'EXTRACT' } as const;
type JobKind = keyof typeof jobTypes;

/** How long jobs.insert waits for a job to finish before answering RUNNING. */
const insertGraceMs = 1000;
/** Query results are kept a day, as BigQuery keeps its anonymous tables. */
const resultsLifetimeMs = 24 * 60 * 60 * 1000;

const runners: Record<
  JobKind,
  (service: BigQueryService, input: JobInput, run: JobRun) => Promise<JobOutcome>
> = {
  query: runQuery,
  load: runLoad,
  copy: runCopy,
  extract: runExtract,
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function keyOf(projectId: string, jobId: string): string {
  return `${projectId}\u0000${jobId}`;
}

/** The first paragraph of a DuckDB error, without its `LINE 1: …` excerpt of the translated SQL. */
function duckdbMessage(error: unknown): string {
  const first = messageOf(error)
    .split(/\n\s*\n|\nLINE \d+:/)[0]!
    .trim();
  // error() raised by translated SQL (division by zero, a JSON conversion's signature) carries
  // BigQuery's own words after DuckDB's class name.
  return first.replace(/^Invalid Input Error: /, '');
}

/** A thrown error as the ErrorProto of a job of this kind. */
export function errorProtoOf(error: unknown, kind: JobKind): ErrorProto {
  if (error instanceof BigQueryApiError) return error.toProto();
  if (error instanceof BigQuerySqlError)
    return { reason: error.reason, message: error.message, location: 'query' };
  const message = duckdbMessage(error);
  if (kind === 'query') return { reason: 'invalidQuery', message, location: 'query' };
  return { reason: 'invalid', message };
}

/** The jobs of the emulator. */
export class JobRegistry {
  private readonly running = new Map<string, { run: JobRun; done: Promise<void> }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly service: BigQueryService) {
    this.failInterrupted();
    this.sweeper = setInterval(() => void this.dropOldResults(), 60 * 60 * 1000);
    this.sweeper.unref();
    void this.dropOldResults();
  }

  /** Jobs left RUNNING by a previous process cannot finish: they are reported failed. */
  private failInterrupted(): void {
    for (const record of this.service.catalog.unfinishedJobs()) {
      const status = {
        state: 'DONE',
        errorResult: { reason: 'backendError', message: 'The emulator stopped while the job was running' },
      };
      record.resource.status = { ...status, errors: [status.errorResult] };
      const statistics = (record.resource.statistics ?? {}) as Record<string, unknown>;
      statistics.endTime = String(Date.now());
      record.resource.statistics = statistics;
      this.service.catalog.putJob(record);
    }
  }

  /** Drops the kept results of queries older than a day. */
  private async dropOldResults(): Promise<void> {
    const old = this.service.catalog.jobsWithResultsBefore(Date.now() - resultsLifetimeMs);
    for (const record of old) {
      const table = record.results?.table;
      if (table === undefined) continue;
      if (table.datasetId === resultsDatasetId) {
        try {
          await this.service.warehouse.withConnection((connection) =>
            connection.run(`DROP TABLE IF EXISTS ${duckdbTableName(table)}`),
          );
        } catch {
          continue; // the emulator is closing: tried again at the next start
        }
        this.service.catalog.deleteTable(table);
      }
      delete record.results;
      this.service.catalog.putJob(record);
    }
  }

  /** jobs.insert: records and starts a job; `uploadFile` holds the data of a load sent with it. */
  async insert(projectId: string, body: unknown, uploadFile?: string): Promise<Record<string, unknown>> {
    try {
      const { record, kind, input } = this.prepare(projectId, body);
      if (input.dryRun) return await this.dryRun(record, kind, input);
      if (this.service.catalog.job(projectId, input.jobId) !== undefined)
        throw new BigQueryApiError(
          'duplicate',
          `Already Exists: Job ${projectId}:${input.location}.${input.jobId}`,
        );
      this.service.catalog.putJob(record);
      const run: JobRun = { cancelled: false };
      if (uploadFile !== undefined) run.uploadFile = uploadFile;
      uploadFile = undefined; // the job removes it when it ends
      const done = this.execute(record, kind, input, run);
      this.running.set(keyOf(projectId, input.jobId), { run, done });
      await Promise.race([done, sleep(insertGraceMs)]);
      return this.record(projectId, input.jobId).resource;
    } finally {
      if (uploadFile !== undefined) await rm(uploadFile, { force: true });
    }
  }

  private prepare(projectId: string, body: unknown): { record: JobRecord; kind: JobKind; input: JobInput } {
    if (typeof body !== 'object' || body === null) throw invalid('The job must be a JSON object');
    const job = body as Record<string, unknown>;
    const configuration = (job.configuration ?? {}) as Record<string, unknown>;
    const kinds = (Object.keys(jobTypes) as JobKind[]).filter(
      (kind) => configuration[kind] !== undefined && configuration[kind] !== null,
    );
    if (kinds.length !== 1)
      throw invalid(
        'Job configuration must contain exactly one job-specific configuration object (e.g., query, load, extract, copy).',
      );
    const kind = kinds[0]!;
    const reference = (job.jobReference ?? {}) as Record<string, unknown>;
    const jobId =
      typeof reference.jobId === 'string' && reference.jobId !== ''
        ? reference.jobId
        : `job_${randomBytes(18).toString('base64url')}`;
    if (!/^[A-Za-z0-9_-]{1,1024}$/.test(jobId))
      throw invalid(
        `Invalid job ID "${jobId}". Job IDs must be alphanumeric (plus underscores and dashes) and must be at most 1024 characters long.`,
      );
    if (
      typeof reference.projectId === 'string' &&
      reference.projectId !== '' &&
      reference.projectId !== projectId
    )
      throw invalid(
        `The job's project ${reference.projectId} is not the project of the request, ${projectId}`,
      );
    const location =
      typeof reference.location === 'string' && reference.location !== '' ? reference.location : 'US';
    const now = Date.now();
    const config = { ...(configuration[kind] as Record<string, unknown>) };
    const resource: Record<string, unknown> = {
      kind: 'bigquery#job',
      id: `${projectId}:${location}.${jobId}`,
      jobReference: { projectId, jobId, location },
      configuration: { ...configuration, [kind]: config, jobType: jobTypes[kind] },
      status: { state: 'PENDING' },
      statistics: { creationTime: String(now) },
      user_email: 'emulator@windhover.local',
      principal_subject: 'user:emulator@windhover.local',
    };
    const record: JobRecord = { projectId, jobId, location, resource, creationTime: now };
    return {
      record,
      kind,
      input: { projectId, jobId, location, config, dryRun: configuration.dryRun === true },
    };
  }

  /** A dry run: checked and planned, not run nor kept; the answer is the finished job. */
  private async dryRun(record: JobRecord, kind: JobKind, input: JobInput): Promise<Record<string, unknown>> {
    if (kind !== 'query') throw invalid('Only query jobs can be dry runs');
    const outcome = await runQuery(this.service, input, { cancelled: false });
    const statistics = record.resource.statistics as Record<string, unknown>;
    Object.assign(statistics, outcome.statistics);
    record.resource.status = { state: 'DONE' };
    return record.resource;
  }

  private async execute(record: JobRecord, kind: JobKind, input: JobInput, run: JobRun): Promise<void> {
    const statistics = record.resource.statistics as Record<string, unknown>;
    record.resource.status = { state: 'RUNNING' };
    statistics.startTime = String(Date.now());
    this.service.catalog.putJob(record);
    try {
      // Let jobs.insert record the job before a fast runner finishes it.
      await Promise.resolve();
      const outcome = await runners[kind](this.service, input, run);
      if (run.cancelled) throw new Error('cancelled');
      Object.assign(statistics, outcome.statistics);
      if (outcome.configuration !== undefined) {
        const configuration = record.resource.configuration as Record<string, Record<string, unknown>>;
        Object.assign(configuration[kind]!, outcome.configuration);
      }
      if (outcome.results !== undefined) record.results = outcome.results;
      record.resource.status = { state: 'DONE' };
    } catch (error) {
      const proto: ErrorProto = run.cancelled
        ? { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' }
        : errorProtoOf(error, kind);
      record.resource.status = { state: 'DONE', errorResult: proto, errors: [proto] };
    } finally {
      statistics.endTime = String(Date.now());
      this.service.catalog.putJob(record);
      this.running.delete(keyOf(record.projectId, record.jobId));
      if (run.uploadFile !== undefined) await rm(run.uploadFile, { force: true });
    }
  }

  /** The job's record, or `notFound`. */
  record(projectId: string, jobId: string): JobRecord {
    const record = this.service.catalog.job(projectId, jobId);
    if (record === undefined) throw new BigQueryApiError('notFound', `Not found: Job ${projectId}:${jobId}`);
    return record;
  }

  /** jobs.get. */
  get(projectId: string, jobId: string): Record<string, unknown> {
    const resource = this.record(projectId, jobId).resource;
    return { ...resource, etag: etagOf(resource) };
  }

  /** The job's record once it is DONE, or as it is after `timeoutMs`. */
  async waitDone(projectId: string, jobId: string, timeoutMs: number): Promise<JobRecord> {
    const running = this.running.get(keyOf(projectId, jobId));
    if (running !== undefined) await Promise.race([running.done, sleep(timeoutMs)]);
    return this.record(projectId, jobId);
  }

  /** jobs.cancel: interrupts the running statement; the job ends DONE with reason `stopped`. */
  async cancel(projectId: string, jobId: string): Promise<Record<string, unknown>> {
    const running = this.running.get(keyOf(projectId, jobId));
    if (running !== undefined) {
      running.run.cancelled = true;
      running.run.connection?.interrupt();
      // Give the interruption a moment to land, so the answer usually says DONE.
      await Promise.race([running.done, sleep(200)]);
    }
    return { kind: 'bigquery#jobCancelResponse', job: this.get(projectId, jobId) };
  }

  /** jobs.list (newest first; `stateFilter` on pending/running/done; `projection=full` for configurations). */
  list(projectId: string, query: Record<string, unknown>): Record<string, unknown> {
    const start = indexOfPageToken(query.pageToken);
    const size = wholeNumber(query.maxResults, 'maxResults', 50) || 50;
    const states = ([] as unknown[])
      .concat(query.stateFilter ?? [])
      .map((state) => String(state).toUpperCase());
    const full = query.projection === 'full';
    const records = this.service.catalog
      .jobs(projectId)
      .filter(
        (record) =>
          states.length === 0 ||
          states.includes(String((record.resource.status as { state?: string }).state)),
      );
    const page = records.slice(start, start + size);
    const list: Record<string, unknown> = {
      kind: 'bigquery#jobList',
      jobs: page.map((record) => {
        const { resource } = record;
        const item: Record<string, unknown> = {
          kind: 'bigquery#job',
          id: resource.id,
          jobReference: resource.jobReference,
          state: (resource.status as { state?: string }).state,
          status: resource.status,
          statistics: resource.statistics,
          user_email: resource.user_email,
        };
        const errorResult = (resource.status as { errorResult?: unknown }).errorResult;
        if (errorResult !== undefined) item.errorResult = errorResult;
        const configuration = resource.configuration as Record<string, unknown>;
        item.configuration = full ? configuration : { jobType: configuration.jobType };
        return item;
      }),
    };
    if (start + size < records.length) list.nextPageToken = pageTokenOf(start + size);
    list.etag = etagOf(list);
    return list;
  }

  /** jobs.delete: a finished job's metadata (its kept results too). */
  async delete(projectId: string, jobId: string): Promise<void> {
    const record = this.record(projectId, jobId);
    if (this.running.has(keyOf(projectId, jobId)))
      throw invalid(`Job ${projectId}:${jobId} is still running: cancel it first`);
    const table = record.results?.table;
    if (table !== undefined && table.datasetId === resultsDatasetId) {
      await this.service.warehouse.withConnection((connection) =>
        connection.run(`DROP TABLE IF EXISTS ${duckdbTableName(table)}`),
      );
      this.service.catalog.deleteTable(table);
    }
    this.service.catalog.deleteJob(projectId, jobId);
  }

  /** Interrupts running jobs and waits for them to end (the emulator is closing). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const { run } of this.running.values()) {
      run.cancelled = true;
      run.connection?.interrupt();
    }
    await Promise.allSettled([...this.running.values()].map((job) => job.done));
  }
}

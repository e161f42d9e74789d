/**
 * BigQuery jobs as the tasks run them: insert, wait until DONE (polling `jobs.get`), cancel the
 * job when the task is killed, and turn a failed job into a task error with BigQuery's own
 * reason and message (`invalidQuery: Syntax error: … at [3:5]`), never a stack trace.
 */
import type { BigQuery, Job, JobMetadata } from '@google-cloud/bigquery';
import { TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { gcpTaskFailure } from '../../clients.js';

/** A job's error as the REST API gives it. */
interface JobError {
  reason?: string | null;
  message?: string | null;
  location?: string | null;
}

/** What a task asks for: the job's `configuration` and where it runs. */
export interface JobRequest {
  configuration: Record<string, unknown>;
  location?: string;
}

/** How long to wait between two looks at a running job: short first (the emulator is quick), then up to 1 s. */
const POLL_DELAYS_MS = [20, 50, 100, 200, 500, 1000];

/** `reason: message (location)`: one BigQuery error as a line of text. */
export function jobErrorText(error: JobError): string {
  const reason = error.reason ?? 'error';
  const message = error.message ?? 'the job failed';
  const where =
    error.location && error.location !== 'query' && !message.includes(error.location)
      ? ` (${error.location})`
      : '';
  return `${reason}: ${message}${where}`;
}

/** A failed job's task error: its `errorResult`, and the other errors logged. */
function jobFailure(ctx: TaskContext, jobId: string, status: JobMetadata['status']): TaskFailure {
  const errorResult = (status?.errorResult ?? status?.errors?.[0] ?? {}) as JobError;
  const others = (status?.errors ?? []).filter(
    (error) => error.message !== errorResult.message || error.reason !== errorResult.reason,
  );
  // A load job lists one error per bad record: they help, but a page of them is noise.
  for (const error of others.slice(0, 10)) ctx.logger.warn(`BigQuery job ${jobId}: ${jobErrorText(error)}`);
  if (others.length > 10) ctx.logger.warn(`BigQuery job ${jobId}: ${others.length - 10} more errors`);
  return new TaskFailure(`BigQuery job ${jobId} failed: ${jobErrorText(errorResult)}`, { jobId });
}

/** Waits `ms`, or less when the task is aborted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Asks BigQuery to cancel a job (best effort: the task is ending anyway). */
async function cancelJob(ctx: TaskContext, job: Job): Promise<void> {
  try {
    await job.cancel();
    ctx.logger.warn(`BigQuery job ${job.id ?? ''} cancelled`);
  } catch (error) {
    ctx.logger.warn(`BigQuery job ${job.id ?? ''} could not be cancelled: ${(error as Error).message}`);
  }
}

/** Inserts a job; a job refused or failed at once is a task error. */
export async function insertJob(ctx: TaskContext, bigquery: BigQuery, request: JobRequest): Promise<Job> {
  try {
    const [job] = await bigquery.createJob({
      configuration: request.configuration,
      ...(request.location ? { location: request.location } : {}),
    });
    return job;
  } catch (error) {
    // createJob rejects a job that came back with errors: BigQuery's status says why.
    const response = (error as { response?: JobMetadata }).response;
    if (response?.status?.errorResult || response?.status?.errors?.length) {
      throw jobFailure(ctx, response.jobReference?.jobId ?? '', response.status);
    }
    throw gcpTaskFailure(error, bigquery);
  }
}

/**
 * Waits until a job is DONE and returns its metadata; a failed job is a task error. When the
 * task is killed, the job is cancelled in BigQuery and the task fails.
 */
export async function waitForJob(ctx: TaskContext, job: Job): Promise<JobMetadata> {
  const jobId = job.id ?? '';
  let metadata = job.metadata as JobMetadata;
  for (let round = 0; metadata?.status?.state !== 'DONE'; round++) {
    if (ctx.signal.aborted) {
      await cancelJob(ctx, job);
      throw new TaskFailure(`BigQuery job ${jobId} was cancelled: the task was stopped`, { jobId });
    }
    await pause(POLL_DELAYS_MS[Math.min(round, POLL_DELAYS_MS.length - 1)]!, ctx.signal);
    if (ctx.signal.aborted) continue;
    try {
      const [fresh] = (await job.getMetadata()) as unknown as [JobMetadata];
      metadata = fresh;
    } catch (error) {
      throw gcpTaskFailure(error, job.bigQuery);
    }
  }
  if (metadata.status?.errorResult) throw jobFailure(ctx, jobId, metadata.status);
  return metadata;
}

/** Inserts a job and waits for it: the metadata of the DONE job. */
export async function runJob(
  ctx: TaskContext,
  bigquery: BigQuery,
  request: JobRequest,
): Promise<{ job: Job; metadata: JobMetadata }> {
  const job = await insertJob(ctx, bigquery, request);
  ctx.logger.debug(`BigQuery job ${job.id ?? ''} started`);
  const metadata = await waitForJob(ctx, job);
  return { job, metadata };
}

/** Whether the client talks to an emulator rather than Google (legacy SQL is refused there). */
export function usesEmulator(bigquery: BigQuery): boolean {
  const endpoint = (bigquery as unknown as { apiEndpoint?: string }).apiEndpoint ?? '';
  return endpoint !== '' && !/\.googleapis\.com(:\d+)?\/?$/i.test(endpoint);
}

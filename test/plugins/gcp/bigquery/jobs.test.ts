/**
 * The job loop on a stand-in for the client's Job (no emulator): a failed job's error text,
 * with the other errors logged, and a job cancelled when the task is aborted while it runs.
 */
import type { Job } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import type { TaskContext } from '../../../../src/plugins/api.js';
import { jobErrorText, waitForJob } from '../../../../src/plugins/gcp/bigquery/run/jobs.js';

function context(signal: AbortSignal, warnings: string[]): TaskContext {
  const ignore = () => undefined;
  return {
    signal,
    logger: {
      debug: ignore,
      info: ignore,
      trace: ignore,
      error: ignore,
      log: ignore,
      warn: (m: string) => warnings.push(m),
    },
  } as unknown as TaskContext;
}

/** A job that stays RUNNING until cancelled; `cancels` counts the cancel calls. */
function runningJob(): { job: Job; cancels: () => number } {
  let cancels = 0;
  const job = {
    id: 'job_1',
    metadata: { status: { state: 'RUNNING' } },
    getMetadata: () => Promise.resolve([{ status: { state: 'RUNNING' } }]),
    cancel: () => {
      cancels++;
      return Promise.resolve([{}]);
    },
    bigQuery: {},
  };
  return { job: job as unknown as Job, cancels: () => cancels };
}

describe('BigQuery jobs', () => {
  it("writes an error as BigQuery's reason and message, with a location other than the query", () => {
    expect(
      jobErrorText({
        reason: 'invalidQuery',
        message: 'Syntax error: Unexpected "=" at [3:12]',
        location: 'query',
      }),
    ).toBe('invalidQuery: Syntax error: Unexpected "=" at [3:12]');
    expect(
      jobErrorText({ reason: 'invalid', message: 'Error while reading data', location: 'gs://b/x.csv' }),
    ).toBe('invalid: Error while reading data (gs://b/x.csv)');
  });

  it("fails a DONE job with an errorResult, logging the job's other errors", async () => {
    const warnings: string[] = [];
    const job = {
      id: 'job_2',
      metadata: {
        status: {
          state: 'DONE',
          errorResult: { reason: 'invalid', message: 'Error while reading data, error message: 2 bad rows' },
          errors: [
            { reason: 'invalid', message: 'Error while reading data, error message: 2 bad rows' },
            { reason: 'invalid', message: 'Bad int64 value: abc', location: 'gs://b/x.csv' },
          ],
        },
      },
    } as unknown as Job;
    await expect(waitForJob(context(new AbortController().signal, warnings), job)).rejects.toThrow(
      'BigQuery job job_2 failed: invalid: Error while reading data, error message: 2 bad rows',
    );
    expect(warnings).toEqual(['BigQuery job job_2: invalid: Bad int64 value: abc (gs://b/x.csv)']);
  });

  it('cancels the job in BigQuery when the task is aborted while it runs', async () => {
    const controller = new AbortController();
    const { job, cancels } = runningJob();
    const waiting = waitForJob(context(controller.signal, []), job);
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).rejects.toThrow('BigQuery job job_1 was cancelled: the task was stopped');
    expect(cancels()).toBe(1);
  });
});

/**
 * Automatic retry of BigQuery's transient errors (`retryAuto`, `retryReasons`, `retryMessages`)
 * on a stand-in client: a job failing with `jobBackendError` runs again and the task succeeds;
 * an `invalidQuery` is not retried; the policy's delays and attempts are Kestra's.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { TaskFailure } from '../../../../src/plugins/api.js';
import type { TaskContext } from '../../../../src/plugins/api.js';
import { runQuery } from '../../../../src/plugins/gcp/bigquery/run/query.js';
import { isRetryable, retryPolicyOf } from '../../../../src/plugins/gcp/bigquery/run/retry.js';

const RETRY_DEFAULTS = {
  retryReasons: ['rateLimitExceeded', 'jobBackendError', 'backendError', 'internalError', 'jobInternalError'],
  retryMessages: ['due to concurrent update', 'Retrying the job may solve the problem'],
};

function context(warnings: string[]): TaskContext {
  const ignore = () => undefined;
  return {
    signal: new AbortController().signal,
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

/** A client whose jobs fail with `failures` reasons in turn, then succeed; counts the inserts. */
function flakyClient(
  failures: string[],
  apiEndpoint = 'https://bigquery.googleapis.com',
): { client: BigQuery; inserts: () => number } {
  let inserts = 0;
  const client = {
    apiEndpoint,
    projectId: 'p',
    getProjectId: () => Promise.resolve('p'),
    createJob: () => {
      const reason = failures[inserts++];
      const jobReference = { jobId: `job_${inserts}` };
      if (reason) {
        const status = { state: 'DONE', errorResult: { reason, message: 'the backend had a moment' } };
        return Promise.reject(Object.assign(new Error('job failed'), { response: { jobReference, status } }));
      }
      const metadata = { jobReference, status: { state: 'DONE' }, configuration: { query: {} } };
      return Promise.resolve([{ id: jobReference.jobId, metadata, bigQuery: client }]);
    },
  };
  return { client: client as unknown as BigQuery, inserts: () => inserts };
}

describe('BigQuery automatic retry', () => {
  it('runs a job again after a transient error, then succeeds', async () => {
    const warnings: string[] = [];
    const { client, inserts } = flakyClient(['jobBackendError', 'rateLimitExceeded']);
    const run = await runQuery(
      context(warnings),
      {
        sql: 'SELECT 1',
        ...RETRY_DEFAULTS,
        retryAuto: { type: 'constant', interval: 'PT0.01S', maxAttempts: 5 },
      },
      client,
    );
    expect(run.outputs.jobId).toBe('job_3');
    expect(inserts()).toBe(3);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      'jobBackendError: the backend had a moment: trying again in 10 ms (attempt 2 of 5)',
    );
  });

  it('does not retry an error that will not pass, nor beyond maxAttempts', async () => {
    const invalid = flakyClient(['invalidQuery']);
    await expect(
      runQuery(
        context([]),
        { sql: 'SELEC 1', ...RETRY_DEFAULTS, retryAuto: { type: 'constant', interval: 'PT0.01S' } },
        invalid.client,
      ),
    ).rejects.toThrow('BigQuery job job_1 failed: invalidQuery: the backend had a moment');
    expect(invalid.inserts()).toBe(1);

    const flaky = flakyClient(['backendError', 'backendError', 'backendError']);
    await expect(
      runQuery(
        context([]),
        {
          sql: 'SELECT 1',
          ...RETRY_DEFAULTS,
          retryAuto: { type: 'constant', interval: 'PT0.01S', maxAttempts: 2 },
        },
        flaky.client,
      ),
    ).rejects.toThrow('backendError');
    expect(flaky.inserts()).toBe(2);
  });

  it('does not retry on an emulator unless retryAuto is given: its errors repeat', async () => {
    const emulator = flakyClient(['backendError'], 'http://127.0.0.1:4443');
    await expect(
      runQuery(context([]), { sql: 'SELECT 1', ...RETRY_DEFAULTS }, emulator.client),
    ).rejects.toThrow('backendError');
    expect(emulator.inserts()).toBe(1);
    const asked = flakyClient(['backendError'], 'http://127.0.0.1:4443');
    const run = await runQuery(
      context([]),
      { sql: 'SELECT 1', ...RETRY_DEFAULTS, retryAuto: { type: 'constant', interval: 'PT0.01S' } },
      asked.client,
    );
    expect(run.outputs.jobId).toBe('job_2');
  });

  it('tells retryable failures by reason or message fragment', () => {
    expect(isRetryable(new TaskFailure('BigQuery job j failed: backendError: oops'), RETRY_DEFAULTS)).toBe(
      true,
    );
    expect(
      isRetryable(
        new TaskFailure('invalid: Could not serialize access due to concurrent update'),
        RETRY_DEFAULTS,
      ),
    ).toBe(true);
    expect(isRetryable(new TaskFailure('notFound: Not found: Dataset p:x'), RETRY_DEFAULTS)).toBe(false);
    expect(isRetryable(new Error('backendError: a plain error'), RETRY_DEFAULTS)).toBe(false);
  });

  it("uses Kestra's policy shapes, exponential from 5 s by default", () => {
    const byDefault = retryPolicyOf(undefined);
    expect([1, 2, 3, 4, 5].map((attempt) => byDefault.delayMs(attempt))).toEqual([
      5000, 10000, 20000, 40000, 60000,
    ]);
    expect(byDefault.maxAttempts).toBe(10);
    expect(byDefault.maxDurationMs).toBe(15 * 60_000);
    const constant = retryPolicyOf({
      type: 'constant',
      interval: 'PT2S',
      maxAttempts: 3,
      maxDuration: 'PT1M',
    });
    expect([constant.delayMs(1), constant.delayMs(4), constant.maxAttempts, constant.maxDurationMs]).toEqual([
      2000, 2000, 3, 60_000,
    ]);
  });
});

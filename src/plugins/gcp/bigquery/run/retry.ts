/**
 * Kestra's automatic retry of BigQuery's transient errors (`retryAuto`, `retryReasons`,
 * `retryMessages`): a job or call that failed with one of those reasons, or a message holding
 * one of those fragments, is tried again after a delay, within the policy's attempts and time.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { parseIsoDuration, TaskFailure } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { usesEmulator } from './jobs.js';

/** When to try again: the delay before attempt `attempt + 1` (1-based), or undefined to stop. */
interface RetryPolicy {
  maxAttempts: number;
  maxDurationMs: number;
  delayMs(attempt: number): number;
}

/** Kestra's default: exponential from 5 s to 60 s, at most 10 attempts within 15 minutes. */
const DEFAULT_POLICY = {
  type: 'exponential',
  interval: 'PT5S',
  maxInterval: 'PT60S',
  maxAttempts: 10,
  maxDuration: 'PT15M',
};

function durationMs(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const parsed = typeof value === 'string' ? parseIsoDuration(value) : undefined;
  return parsed ?? fallback;
}

/** The policy of a task's `retryAuto` (a task `retry` shape: constant, exponential or random). */
export function retryPolicyOf(retryAuto: unknown): RetryPolicy {
  const spec = {
    ...DEFAULT_POLICY,
    ...(retryAuto !== null && typeof retryAuto === 'object' ? (retryAuto as Record<string, unknown>) : {}),
  } as Record<string, unknown>;
  const attempts = spec.maxAttempts ?? spec.maxAttempt;
  const maxAttempts = typeof attempts === 'number' && attempts >= 1 ? Math.floor(attempts) : 10;
  const maxDurationMs = durationMs(spec.maxDuration, 15 * 60_000);
  const interval = durationMs(spec.interval, 5_000);
  const maxInterval = durationMs(spec.maxInterval, 60_000);
  const type = String(spec.type).toLowerCase();
  const delayMs = (attempt: number): number => {
    if (type === 'constant') return interval;
    if (type === 'random') {
      const min = durationMs(spec.minInterval, 1_000);
      return min + Math.random() * Math.max(0, maxInterval - min);
    }
    const factor = typeof spec.delayFactor === 'number' && spec.delayFactor > 1 ? spec.delayFactor : 2;
    return Math.min(maxInterval, interval * factor ** (attempt - 1));
  };
  return { maxAttempts, maxDurationMs, delayMs };
}

/** Whether a failure is one BigQuery says may pass: a listed reason, or a listed message fragment. */
export function isRetryable(error: unknown, props: Record<string, unknown>): boolean {
  if (!(error instanceof TaskFailure)) return false;
  const text = error.message;
  const reasons = Array.isArray(props.retryReasons) ? props.retryReasons.map(String) : [];
  const messages = Array.isArray(props.retryMessages) ? props.retryMessages.map(String) : [];
  if (reasons.some((reason) => new RegExp(`(^|\\s)${reason.replace(/\W/g, '\\$&')}:`).test(text)))
    return true;
  const lower = text.toLowerCase();
  return messages.some((fragment) => fragment !== '' && lower.includes(fragment.toLowerCase()));
}

/** Waits `ms` unless the task is aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `work`, trying again on BigQuery's transient errors as the task's retry properties say.
 * Against an emulator nothing is transient (its errors repeat): only an explicit `retryAuto`
 * retries there, so that a learner's failing task fails at once rather than after minutes.
 */
export async function withAutoRetry<T>(
  ctx: TaskContext,
  props: Record<string, unknown>,
  bigquery: BigQuery,
  work: () => Promise<T>,
): Promise<T> {
  const explicit = props.retryAuto !== undefined && props.retryAuto !== null;
  if (!explicit && usesEmulator(bigquery)) return work();
  const policy = retryPolicyOf(props.retryAuto);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (ctx.signal.aborted || !isRetryable(error, props) || attempt >= policy.maxAttempts) throw error;
      const delay = policy.delayMs(attempt);
      if (Date.now() - started + delay > policy.maxDurationMs) throw error;
      ctx.logger.warn(
        `${(error as Error).message}: trying again in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${policy.maxAttempts})`,
      );
      await pause(delay, ctx.signal);
      if (ctx.signal.aborted) throw error;
    }
  }
}

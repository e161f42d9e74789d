import { parseIsoDuration } from '../../flow/duration.js';
import type { RetryPolicy } from '../../flow/model.js';

const ms = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : parseIsoDuration(value);

/**
 * How long to wait before the next attempt, or undefined when the policy allows no more:
 * `maxAttempts` counts attempts in all (the first included), `maxDuration` runs from the first
 * attempt's start. `constant` waits `interval`; `exponential` multiplies it by `delayFactor` at
 * each retry up to `maxInterval`; `random` picks between `minInterval` and `maxInterval`.
 */
export function retryDelay(
  policy: RetryPolicy,
  attemptsMade: number,
  firstStart: Date,
  now: Date,
  random: () => number,
): number | undefined {
  const maxAttempts = policy.maxAttempts ?? (policy as { maxAttempt?: number }).maxAttempt;
  if (maxAttempts !== undefined && attemptsMade >= maxAttempts) return undefined;
  let delay: number;
  switch (policy.type) {
    case 'constant':
      delay = ms(policy.interval) ?? 0;
      break;
    case 'exponential': {
      const base = ms(policy.interval) ?? 0;
      const cap = ms(policy.maxInterval) ?? Infinity;
      delay = Math.min(cap, base * Math.pow(policy.delayFactor ?? 2, Math.max(0, attemptsMade - 1)));
      break;
    }
    case 'random': {
      const low = ms(policy.minInterval) ?? 0;
      const high = ms(policy.maxInterval) ?? low;
      delay = low + Math.floor(random() * Math.max(0, high - low));
      break;
    }
  }
  const maxDuration = ms(policy.maxDuration);
  if (maxDuration !== undefined && now.getTime() + delay - firstStart.getTime() > maxDuration)
    return undefined;
  return delay;
}

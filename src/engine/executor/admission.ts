/**
 * Flow concurrency: whether an execution may start now, given how many of the flow's
 * executions hold a slot. Pure; the runtime counts the slots and commits the decision.
 */
import { parseIsoDuration } from '../../flow/duration.js';
import type { Flow } from '../../flow/model.js';
import type { Execution } from '../model.js';
import { Draft } from './draft.js';
import { indexFlow } from './flow-index.js';
import type { StepEnvironment, StepResult } from './types.js';

/** FAIL_AFTER_N_RETRIES defaults. */
export const DEFAULT_ADMISSION_RETRIES = 3;
export const DEFAULT_ADMISSION_INTERVAL = 'PT30S';

/**
 * Decides a CREATED or QUEUED execution's admission: it starts (RUNNING, with a `start` event
 * for itself) when the flow has no limit or a slot is free; otherwise, by `behavior`, it waits
 * QUEUED, ends CANCELLED or FAILED, or (FAIL_AFTER_N_RETRIES) tries again later.
 */
export function admit(
  flow: Flow,
  execution: Execution,
  activeCount: number,
  env: StepEnvironment,
): StepResult {
  const d = new Draft(execution, flow, indexFlow(flow), env);
  const state = execution.state.current;
  if (state === 'CREATED' || state === 'QUEUED') decide(d, flow, activeCount);
  const result = d.result();
  result.execution.version = execution.version + 1;
  return result;
}

function decide(d: Draft, flow: Flow, activeCount: number): void {
  const concurrency = flow.concurrency;
  if (!concurrency || activeCount < concurrency.limit) {
    d.setExecutionState('RUNNING');
    d.events.push({ executionId: d.execution.id, event: { kind: 'start' } });
    return;
  }
  const why = `the flow's concurrency limit (${concurrency.limit}) is reached`;
  switch (concurrency.behavior) {
    case 'QUEUE':
      if (d.execution.state.current !== 'QUEUED') {
        d.setExecutionState('QUEUED');
        d.log('INFO', `Queued: ${why}`);
      }
      return;
    case 'CANCEL':
      end(d, 'CANCELLED', `Cancelled: ${why}`);
      return;
    case 'FAIL':
      end(d, 'FAILED', `Failed: ${why}`);
      return;
    case 'FAIL_AFTER_N_RETRIES': {
      const tries = Number(d.execution.control?.admissionRetries ?? 0);
      const max = concurrency.maxRetries ?? DEFAULT_ADMISSION_RETRIES;
      if (tries >= max) {
        end(d, 'FAILED', `Failed: ${why}, and still was after ${max} retries`);
        return;
      }
      const interval = parseIsoDuration(concurrency.retryInterval ?? DEFAULT_ADMISSION_INTERVAL) ?? 30_000;
      d.setExecutionState('QUEUED');
      d.execution.control = { ...d.execution.control, admissionRetries: tries + 1 };
      d.log('INFO', `Waiting: ${why}; retry ${tries + 1} of ${max} in ${interval} ms`);
      d.timers.push({
        executionId: d.execution.id,
        at: new Date(d.env.now.getTime() + interval).toISOString(),
        event: { kind: 'timer', purpose: 'admission' },
        key: 'admission',
      });
      return;
    }
  }
}

function end(d: Draft, state: 'CANCELLED' | 'FAILED', message: string): void {
  d.setExecutionState(state);
  d.execution.control = { ...d.execution.control, ended: true };
  d.log(state === 'FAILED' ? 'ERROR' : 'WARN', message);
  d.actions.push({ kind: 'ended', state });
}

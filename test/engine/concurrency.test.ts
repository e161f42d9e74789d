/**
 * Integration: flow concurrency with each behavior, 20 executions submitted at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution, State } from '../../src/engine/model.js';
import { startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
const record = join(mkdtempSync(join(tmpdir(), 'wh-conc-')), 'runs.log');
beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 16 });
});
afterAll(async () => {
  await rt.dispose();
});

const SLOT_STATES: ReadonlySet<State> = new Set(['RUNNING', 'PAUSED', 'KILLING', 'RESTARTED', 'RETRYING']);

function flowWith(id: string, concurrency: string, ms: number): string {
  return `
id: ${id}
namespace: test.concurrency
concurrency:
${concurrency}
tasks:
  - id: work
    type: test.windhover.Record
    file: ${record}
    ms: ${ms}
`;
}

/**
 * Submits 20 executions at once and follows them to their end: the most that held a slot at
 * the same time, the order they started in, and their final states (in submission order).
 */
async function submitTwenty(
  source: string,
): Promise<{ maxActive: number; startOrder: string[]; submitted: string[]; ended: Execution[] }> {
  const flow = await rt.deploy(source);
  const current = new Map<string, State>();
  const startOrder: string[] = [];
  let maxActive = 0;
  const onExecution = (execution: Execution) => {
    if (execution.flowId !== flow.id) return;
    const before = current.get(execution.id);
    current.set(execution.id, execution.state.current);
    if (execution.state.current === 'RUNNING' && before !== 'RUNNING' && !startOrder.includes(execution.id))
      startOrder.push(execution.id);
    const active = [...current.values()].filter((s) => SLOT_STATES.has(s)).length;
    maxActive = Math.max(maxActive, active);
  };
  rt.runtime.on('execution', onExecution);
  try {
    const submitted = await Promise.all(Array.from({ length: 20 }, () => rt.runtime.submit(flow)));
    const ended = await Promise.all(submitted.map((e) => rt.runtime.waitForEnd(e.id)));
    return { maxActive, startOrder, submitted: submitted.map((e) => e.id), ended };
  } finally {
    rt.runtime.off('execution', onExecution);
  }
}

const count = (ended: Execution[], state: State) => ended.filter((e) => e.state.current === state).length;

describe('flow concurrency, 20 executions submitted at once', () => {
  it('QUEUE: never more than the limit at once, started first-in first-out, all succeed', async () => {
    const { maxActive, startOrder, submitted, ended } = await submitTwenty(
      flowWith('queue', '  limit: 3\n  behavior: QUEUE', 20),
    );
    expect(maxActive).toBe(3);
    expect(startOrder).toEqual(submitted);
    expect(count(ended, 'SUCCESS')).toBe(20);
    expect(
      ended.every((e) => e.state.histories.some((h) => h.state === 'QUEUED') || submitted.indexOf(e.id) < 3),
    ).toBe(true);
  });

  it('CANCEL: executions beyond the limit end CANCELLED at once', async () => {
    const { maxActive, ended } = await submitTwenty(
      flowWith('cancel', '  limit: 2\n  behavior: CANCEL', 100),
    );
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(count(ended, 'SUCCESS')).toBe(2);
    expect(count(ended, 'CANCELLED')).toBe(18);
    expect(
      ended.filter((e) => e.state.current === 'CANCELLED').every((e) => e.taskRunList.length === 0),
    ).toBe(true);
  });

  it('FAIL: executions beyond the limit end FAILED, with a message saying why', async () => {
    const { ended } = await submitTwenty(flowWith('fail', '  limit: 2\n  behavior: FAIL', 100));
    expect(count(ended, 'SUCCESS')).toBe(2);
    const failed = ended.filter((e) => e.state.current === 'FAILED');
    expect(failed).toHaveLength(18);
    expect(await rt.logs(failed[0]!.id)).toContain(
      "ERROR - Failed: the flow's concurrency limit (2) is reached",
    );
  });

  it('FAIL_AFTER_N_RETRIES: retries admission, then fails when no slot frees in time', async () => {
    const { maxActive, ended } = await submitTwenty(
      flowWith(
        'fail_after',
        '  limit: 2\n  behavior: FAIL_AFTER_N_RETRIES\n  maxRetries: 2\n  retryInterval: PT0.05S',
        1000,
      ),
    );
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(count(ended, 'SUCCESS')).toBe(2);
    const failed = ended.filter((e) => e.state.current === 'FAILED');
    expect(failed).toHaveLength(18);
    const logs = await rt.logs(failed[0]!.id);
    expect(logs.some((l) => l.includes('retry 1 of 2'))).toBe(true);
    expect(logs).toContain(
      "ERROR - Failed: the flow's concurrency limit (2) is reached, and still was after 2 retries",
    );
  });

  it('FAIL_AFTER_N_RETRIES: a retry that finds a free slot starts the execution', async () => {
    const { maxActive, ended } = await submitTwenty(
      flowWith(
        'fail_after_ok',
        '  limit: 4\n  behavior: FAIL_AFTER_N_RETRIES\n  maxRetries: 50\n  retryInterval: PT0.02S',
        10,
      ),
    );
    expect(maxActive).toBeLessThanOrEqual(4);
    expect(count(ended, 'SUCCESS')).toBe(20);
  });
});

/**
 * A worker in the executor's process hands its results over in memory and remembers them until
 * they are committed (a claim whose result was handed over is not an orphan). Once committed they
 * must be forgotten: a server at 500 executions/s otherwise grew by ~60,000 entries a minute.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime } from '../support/runtime.js';
import type { TestRuntime } from '../support/runtime.js';
import { TEST_STORE } from '../support/test-store.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const FLOW = `
id: handed-over
namespace: company.team
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: "{{ execution.id }}"
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.a.value }}"
`;

describe.runIf(TEST_STORE === 'sqlite')('results handed over in process', () => {
  it('are forgotten once the executor has committed them', async () => {
    for (let i = 0; i < 20; i++) expect((await rt.run(FLOW)).state.current).toBe('SUCCESS');
    // The last result's commit ends its execution just before the loop hears it was committed.
    await vi.waitFor(() => expect(rt.runtime.worker.handedOverCount).toBe(0), { timeout: 2_000 });
  });
});

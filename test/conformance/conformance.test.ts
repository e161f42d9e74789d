/**
 * Kestra conformance: every case under cases/ runs its flow on one real runtime (SQLite store,
 * worker), all cases concurrently, and checks the state, task runs, outputs and logs that the
 * Kestra core test it follows asserts. A case marked `pendingFix` is expected to fail until
 * the fix lands (then it fails loudly here, and the marker must go).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import { flowKey, loadCases } from './case-file.js';
import type { ConformanceCase } from './case-file.js';
import { checkCase, pool, runCase } from './run-case.js';
import type { CaseRun } from './run-case.js';

const { cases: CASES, broken: BROKEN } = loadCases(new URL('./cases', import.meta.url).pathname);

/** CONFORMANCE_PENDING=show runs pending cases as plain tests, to see why each still fails. */
const SHOW_PENDING = process.env.CONFORMANCE_PENDING === 'show';

let rt: TestRuntime;
const runs = new Map<string, Promise<CaseRun>>();

beforeAll(async () => {
  // The runtime reads secrets and env values when it starts; cases about secret() use these.
  process.env.SECRET_CONFORMANCE_PASSWORD = Buffer.from('hunter2-conformance').toString('base64');
  process.env.SECRET_MY_SECRET = Buffer.from('my-secret-value').toString('base64');
  process.env.ENV_CONFORMANCE_REGION = 'north';
  rt = await startTestRuntime({ workerConcurrency: 16 });
  // Start every case now (at most 24 in flight); each test awaits its own.
  const limit = pool<CaseRun>(24);
  for (const testCase of CASES) {
    const run = limit(() => runCase(rt, testCase));
    run.catch(() => undefined); // awaited (and reported) by the case's test
    runs.set(testCase.name, run);
  }
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  await rt?.dispose();
});

describe('conformance cases', () => {
  it('have unique flow ids (cases run side by side on one runtime)', () => {
    const owners = new Map<string, string>();
    for (const testCase of CASES)
      for (const source of [testCase.flow, ...testCase.extraFlows]) {
        const key = flowKey(source);
        expect(owners.get(key), `${key} is in ${owners.get(key)} and ${testCase.name}`).toBeUndefined();
        owners.set(key, testCase.name);
      }
  });

  for (const file of BROKEN)
    it(`${file.name} is a valid case file`, () => {
      throw new Error(file.error);
    });

  const check = async (testCase: ConformanceCase) => {
    const run = await runs.get(testCase.name)!;
    checkCase(testCase, run);
  };
  for (const testCase of CASES) {
    const title = `${testCase.name} (${testCase.kestra})`;
    const timeout = testCase.timeoutMs + 60_000;
    if (testCase.pendingFix && !SHOW_PENDING)
      it.fails(`${title} [pending: ${testCase.pendingFix}]`, () => check(testCase), timeout);
    else it(title, () => check(testCase), timeout);
  }
});

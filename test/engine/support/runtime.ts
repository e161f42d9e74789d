/**
 * A real runtime (store, storage, worker) in a temp folder, for integration tests: SQLite and
 * local storage, or PostgreSQL for both with WINDHOVER_TEST_STORE=postgres (see test-store.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Execution } from '../../../src/engine/model.js';
import { deployFlow } from '../../../src/engine/runtime/index.js';
import type { LocalSetup, RuntimeOptions, SubmitRequest } from '../../../src/engine/runtime/index.js';
import type { Flow } from '../../../src/flow/model.js';
import { testCatalog } from './test-plugins.js';
import { dropTestDatabase, openTestSetup } from './test-store.js';

export interface TestRuntime extends LocalSetup {
  deploy(source: string): Promise<Flow>;
  /** Deploys, submits with raw inputs (checked), and waits for the end. */
  run(source: string, inputs?: Record<string, unknown>, request?: SubmitRequest): Promise<Execution>;
  logs(executionId: string): Promise<string[]>;
  dispose(): Promise<void>;
}

/**
 * Opens and starts a runtime in `dataDir` (a temp folder, removed with its database on dispose,
 * when not given; a given folder and its database outlive it, for a restart on them).
 */
export async function startTestRuntime(
  options: Partial<RuntimeOptions> = {},
  dataDir?: string,
): Promise<TestRuntime> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'wh-test-'));
  const setup = await openTestSetup(dir, { catalog: testCatalog, ...options });
  try {
    await setup.runtime.start();
  } catch (error) {
    await setup.close(0);
    throw error;
  }
  const deploy = (source: string) => deployFlow(setup.store, source, undefined, testCatalog);
  return {
    ...setup,
    deploy,
    async run(source, inputs = {}, request = {}) {
      const flow = await deploy(source);
      const execution = await setup.runtime.submit(flow, {
        ...request,
        inputs: setup.runtime.prepareInputs(flow, inputs),
      });
      return setup.runtime.waitForEnd(execution.id);
    },
    async logs(executionId) {
      return (await setup.store.getLogs(executionId)).map(
        (l) => `${l.level} ${l.taskId ?? '-'} ${l.message}`,
      );
    },
    async dispose() {
      await setup.close(1000);
      if (dataDir) return;
      await dropTestDatabase(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `taskId` → state (`taskId[value]` inside loops). */
export function statesOf(execution: Execution): Record<string, string> {
  return Object.fromEntries(
    execution.taskRunList.map((r) => [
      r.value !== undefined ? `${r.taskId}[${r.value}]` : r.taskId,
      r.state.current,
    ]),
  );
}

/** The outputs of the (first) run of a task, or of its run with a value. */
export function outputsOf(
  execution: Execution,
  taskId: string,
  value?: string,
): Record<string, unknown> | undefined {
  return execution.taskRunList.find((r) => r.taskId === taskId && (value === undefined || r.value === value))
    ?.outputs;
}

/**
 * The harness of the Cloud Storage task tests: the GCP emulator on a free port, a real runtime
 * whose worker environment points STORAGE_EMULATOR_HOST at it, and the official client (set up
 * independently of the tasks) to put and check objects.
 */
import { Storage } from '@google-cloud/storage';
import type { Execution } from '../../../../src/engine/model.js';
import { startTestRuntime } from '../../../engine/support/runtime.js';
import type { TestRuntime } from '../../../engine/support/runtime.js';
import { startTestEmulator } from '../../../emulators/gcp/support.js';
import type { TestEmulator } from '../../../emulators/gcp/support.js';

export interface GcsHarness {
  emulator: TestEmulator;
  rt: TestRuntime;
  /** The official client on the emulator, for the tests' own checks. */
  storage: Storage;
  /** Runs a flow of these tasks (YAML indented by 2) to its end. */
  run(tasks: string, extra?: string): Promise<Execution>;
  /** The error lines of an execution's log. */
  errors(execution: Execution): Promise<string[]>;
  close(): Promise<void>;
}

let flows = 0;

/** Starts the emulator and a runtime on it (`env` adds to the worker's environment). */
export async function startGcsHarness(env: Record<string, string> = {}): Promise<GcsHarness> {
  const emulator = await startTestEmulator();
  const rt = await startTestRuntime({
    workerConcurrency: 4,
    env: {
      ...process.env,
      STORAGE_EMULATOR_HOST: emulator.url,
      BIGQUERY_EMULATOR_HOST: emulator.url,
      ...env,
    },
  });
  const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
  return {
    emulator,
    rt,
    storage,
    run: (tasks, extra = '') => rt.run(`id: gcs_${++flows}\nnamespace: test.gcs\ntasks:\n${tasks}\n${extra}`),
    errors: async (execution) => (await rt.logs(execution.id)).filter((line) => line.startsWith('ERROR')),
    close: async () => {
      await rt.dispose();
      await emulator.close();
    },
  };
}

/** A bucket name unique in the test process. */
export function bucketName(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * What the BigQuery task tests share: the GCP emulator (started by the test, on a free port) and
 * a runtime whose worker environment points the tasks at it, the official clients on the same
 * emulator to set up and check data, and a flow builder with unique ids.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import type { TaskContext } from '../../../../src/plugins/api.js';
import { bigQueryClient, storageClient } from '../../../../src/plugins/gcp/clients.js';
import { startTestRuntime } from '../../../engine/support/runtime.js';
import type { TestRuntime } from '../../../engine/support/runtime.js';
import { startTestEmulator } from '../../../emulators/gcp/support.js';
import type { TestEmulator } from '../../../emulators/gcp/support.js';

export const BQ = 'io.kestra.plugin.gcp.bigquery';

/** The project the clients use against the emulator when none is given. */
export const PROJECT = 'windhover-local';

export interface BigQueryHarness {
  emulator: TestEmulator;
  rt: TestRuntime;
  /** The worker environment of the tasks (and of the checking clients). */
  env: Record<string, string>;
  /** A BigQuery client on the emulator, to check what the tasks did. */
  bigquery: BigQuery;
  /** A Cloud Storage client on the emulator, to put the files the load tasks read. */
  storage: Storage;
  /** A flow in namespace `test.bigquery` with a unique id, from task YAML indented by 2. */
  flow(tasks: string, extra?: string): string;
  /** The ERROR log lines of an execution, joined. */
  errors(executionId: string): Promise<string>;
  close(): Promise<void>;
}

/** A bare task context for the checking clients: only what clients.ts reads. */
function clientContext(env: Record<string, string>): TaskContext {
  return {
    workerEnv: env,
    signal: new AbortController().signal,
    maskSecret: () => undefined,
  } as unknown as TaskContext;
}

/** Starts the emulator and a runtime whose tasks use it; `extraEnv` adds to their environment (secrets…). */
export async function startBigQueryHarness(
  extraEnv: (emulatorUrl: string) => Record<string, string> = () => ({}),
): Promise<BigQueryHarness> {
  const emulator = await startTestEmulator();
  const env = {
    BIGQUERY_EMULATOR_HOST: emulator.url,
    STORAGE_EMULATOR_HOST: emulator.url,
    ...extraEnv(emulator.url),
  };
  let rt: TestRuntime;
  try {
    rt = await startTestRuntime({ env, workerConcurrency: 2 });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const ctx = clientContext(env);
  let counter = 0;
  return {
    emulator,
    rt,
    env,
    bigquery: await bigQueryClient(ctx, {}),
    storage: await storageClient(ctx, {}),
    flow: (tasks, extra = '') => `id: bq_${++counter}\nnamespace: test.bigquery\n${extra}tasks:\n${tasks}`,
    errors: async (executionId) =>
      (await rt.logs(executionId)).filter((line) => line.startsWith('ERROR')).join('\n'),
    close: async () => {
      await rt.dispose();
      await emulator.close();
    },
  };
}

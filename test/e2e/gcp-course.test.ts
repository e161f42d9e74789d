/**
 * The course's GCP pipeline (examples/gcp: 04_gcp_kv → 05_gcp_setup → 06_gcp_taxi, written as
 * the DataTalksClub module-2 flows write them) end to end against the GCP emulator, with no
 * change to the flows: through `windhover run` (each flow its own process, one data folder, as a
 * learner runs them) and through `windhover server local` (flows saved and executed over the
 * API). The worker gets the emulator through STORAGE_EMULATOR_HOST / BIGQUERY_EMULATOR_HOST and a
 * generated service-account key as the secret GCP_CREDS, whose token_uri is the emulator's, so
 * the clients' real sign-and-exchange runs. The shell task's `wget` from GitHub is served by the
 * test stand-in (test/e2e/support/wget) from synthetic months. The tables are read back with the
 * official BigQuery client.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../cli/server-process.js';
import type { ServerProcess } from '../cli/server-process.js';
import { windhoverAsync } from '../cli/windhover.js';
import { serviceAccountKey, startTestEmulator } from '../emulators/gcp/support.js';
import { emulatorStorage, queryRows } from './support/official-clients.js';
import { monthFile, startTaxiFiles } from './support/taxi-files.js';
import type { Taxi, TaxiFiles } from './support/taxi-files.js';

const FLOWS = ['04_gcp_kv', '05_gcp_setup', '06_gcp_taxi'].map((id) => ({
  id,
  file: `examples/gcp/${id}.yaml`,
}));
const PROJECT = 'kestra-sandbox'; // the values 04_gcp_kv sets
const BUCKET = 'your-name-kestra';
const DATASET = 'zoomcamp';
const ROWS = { yellow: 20_000, green: 2_000 };

interface ExecutionJson {
  id: string;
  state: { current: string };
  labels: Array<{ key: string; value: string }>;
  taskRunList: Array<{ taskId: string; state: { current: string }; outputs?: Record<string, unknown> }>;
}

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;

let files: TaxiFiles;
const work = mkdtempSync(join(tmpdir(), 'wh-gcp-course-'));

beforeAll(async () => {
  files = await startTaxiFiles([
    { taxi: 'yellow', month: '2019-01', rows: ROWS.yellow },
    { taxi: 'green', month: '2019-01', rows: ROWS.green },
  ]);
}, 30_000);

afterAll(() => {
  files?.remove();
  rmSync(work, { recursive: true, force: true });
});

/** A line of the body of the private key the flows are given. */
function keyLine(emulator: Emulator): string {
  const key = JSON.parse(serviceAccountKey(emulator.url)) as { private_key: string };
  return key.private_key.split('\n')[1]!;
}

/**
 * The unique_row_id BigQuery gives the first trip of a month (hex): MD5 of VendorID, pickup,
 * dropoff, PULocationID and DOLocationID, timestamps written as CAST(TIMESTAMP AS STRING) does.
 */
function firstRowId(taxi: Taxi): string {
  const [header, first] = gunzipSync(readFileSync(files.fileOf(taxi, '2019-01')))
    .toString('utf8', 0, 4096)
    .split('\n');
  const columns = header!.split(',');
  const value = (name: string) => first!.split(',')[columns.indexOf(name)]!;
  const prefix = taxi === 'yellow' ? 'tpep' : 'lpep';
  const key = [
    value('VendorID'),
    `${value(`${prefix}_pickup_datetime`)}+00`,
    `${value(`${prefix}_dropoff_datetime`)}+00`,
    value('PULocationID'),
    value('DOLocationID'),
  ].join('');
  return createHash('md5').update(key).digest('hex');
}

/** What the worker's process gets: the emulator, the key as the secret GCP_CREDS, the wget stand-in. */
function workerEnv(emulator: Emulator): Record<string, string> {
  return {
    PATH: files.path,
    STORAGE_EMULATOR_HOST: emulator.url,
    BIGQUERY_EMULATOR_HOST: emulator.url,
    SECRET_GCP_CREDS: Buffer.from(serviceAccountKey(emulator.url)).toString('base64'),
  };
}

/** Rows and distinct unique_row_ids of a table, read with the official client. */
async function countRows(emulator: Emulator, table: string): Promise<{ rows: number; ids: number }> {
  const [row] = await queryRows<{ n: number; ids: number }>(
    emulator.url,
    PROJECT,
    `SELECT COUNT(*) AS n, COUNT(DISTINCT unique_row_id) AS ids FROM \`${PROJECT}.${DATASET}.${table}\``,
  );
  return { rows: Number(row!.n), ids: Number(row!.ids) };
}

function taskStates(execution: ExecutionJson): string[] {
  return execution.taskRunList.map((r) => `${r.taskId}:${r.state.current}`);
}

/** Runs one flow of examples/gcp to its end, as the flows are learnt: kv, setup, taxi. */
type RunFlow = (id: string, inputs?: Record<string, string>) => Promise<ExecutionJson>;

/**
 * The assertions of the course flows, whichever way they run; `emulator` is the one they write
 * to. `again`: the taxi month is loaded a second time (MERGE adds nothing), else the setup flow
 * runs a second time (ifExists: SKIP) — each way checks one, to keep the test short.
 */
async function loadsTheCourseMonths(run: RunFlow, emulator: Emulator, again: boolean): Promise<void> {
  const kv = await run('04_gcp_kv');
  expect(kv.state.current).toBe('SUCCESS');
  const setup = await run('05_gcp_setup');
  expect(taskStates(setup)).toEqual(['create_gcs_bucket:SUCCESS', 'create_bq_dataset:SUCCESS']);
  // ifExists: SKIP — the setup flow runs again without error.
  if (!again) expect((await run('05_gcp_setup')).state.current).toBe('SUCCESS');

  const yellow = await run('06_gcp_taxi', { taxi: 'yellow', year: '2019', month: '01' });
  expect(yellow.state.current).toBe('SUCCESS');
  expect(yellow.labels).toEqual(
    expect.arrayContaining([
      { key: 'file', value: monthFile('yellow', '2019-01') },
      { key: 'taxi', value: 'yellow' },
    ]),
  );
  const ran = taskStates(yellow);
  expect(ran).toEqual(
    expect.arrayContaining([
      'extract:SUCCESS',
      'upload_to_gcs:SUCCESS',
      'bq_yellow_tripdata:SUCCESS',
      'bq_yellow_table_ext:SUCCESS',
      'bq_yellow_table_tmp:SUCCESS',
      'bq_yellow_merge:SUCCESS',
      'purge_files:SUCCESS',
    ]),
  );
  expect(ran.some((r) => r.startsWith('bq_green_'))).toBe(false);
  expect(await countRows(emulator, 'yellow_tripdata')).toEqual({ rows: ROWS.yellow, ids: ROWS.yellow });
  expect(await countRows(emulator, 'yellow_tripdata_2019_01')).toEqual({
    rows: ROWS.yellow,
    ids: ROWS.yellow,
  });
  // The ids are BigQuery's: MD5 of the columns as CAST(… AS STRING) writes them (a timestamp
  // as `2019-01-01 15:06:50+00`), so they match the ids the same month gets in BigQuery.
  const [matched] = await queryRows<{ n: number }>(
    emulator.url,
    PROJECT,
    `SELECT COUNT(*) AS n FROM \`${PROJECT}.${DATASET}.yellow_tripdata\` WHERE unique_row_id = FROM_HEX('${firstRowId('yellow')}')`,
  );
  expect(Number(matched!.n)).toBe(1);
  // The CSV went to the bucket under its own name, and the purge removed the execution's copy.
  const [exists] = await objectExists(emulator, monthFile('yellow', '2019-01'));
  expect(exists).toBe(true);
  const extract = yellow.taskRunList.find((r) => r.taskId === 'extract')!;
  const csv = (extract.outputs?.outputFiles as Record<string, string>)[monthFile('yellow', '2019-01')];
  const purged = yellow.taskRunList.find((r) => r.taskId === 'purge_files')!.outputs?.uris as string[];
  expect(purged).toContain(csv);

  if (again) {
    // The MERGE inserts only rows it has not seen: the same month again adds nothing.
    const second = await run('06_gcp_taxi', { taxi: 'yellow', year: '2019', month: '01' });
    expect(second.state.current).toBe('SUCCESS');
    expect(await countRows(emulator, 'yellow_tripdata')).toEqual({ rows: ROWS.yellow, ids: ROWS.yellow });
  }

  const green = await run('06_gcp_taxi', { taxi: 'green', year: '2019', month: '01' });
  expect(green.state.current).toBe('SUCCESS');
  expect(taskStates(green)).toEqual(expect.arrayContaining(['bq_green_merge:SUCCESS']));
  expect(taskStates(green).some((r) => r.startsWith('bq_yellow_'))).toBe(false);
  expect(await countRows(emulator, 'green_tripdata')).toEqual({ rows: ROWS.green, ids: ROWS.green });
  expect(await countRows(emulator, 'yellow_tripdata')).toEqual({ rows: ROWS.yellow, ids: ROWS.yellow });
}

/** Whether the bucket holds the object, through the official Cloud Storage client. */
function objectExists(emulator: Emulator, name: string): Promise<[boolean]> {
  return emulatorStorage(emulator.url, PROJECT).bucket(BUCKET).file(name).exists();
}

describe('the course GCP pipeline through windhover run', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('sets the KV, creates the bucket and dataset, loads a yellow month twice and a green month', async () => {
    const data = join(work, 'run-data');
    const run: RunFlow = async (id, inputs = {}) => {
      const args = ['run', `examples/gcp/${id}.yaml`, '--data', data, '--json'];
      for (const [key, value] of Object.entries(inputs)) args.push('-i', `${key}=${value}`);
      const result = await windhoverAsync(args, workerEnv(emulator));
      expect(result.code, `${id}: ${result.stderr}`).toBe(0);
      // The key never shows, not even a line of it.
      expect(result.stdout + result.stderr).not.toContain(keyLine(emulator));
      return JSON.parse(result.stdout) as ExecutionJson;
    };
    await loadsTheCourseMonths(run, emulator, true);
  }, 120_000); // 3-25 s alone on a loaded machine; a guard, as the whole suite shares two cores
});

describe('the course GCP pipeline on windhover server local', () => {
  const API = '/api/v1/main';
  let emulator: Emulator;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    server = await startServerProcess(
      ['server', 'local', '--data', join(work, 'server-data'), '--port', '0'],
      workerEnv(emulator),
      20_000,
    );
    for (const flow of FLOWS) {
      const saved = await fetch(`${server.url}${API}/flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: readFileSync(flow.file, 'utf8'),
      });
      expect(saved.status, `${flow.id}: ${await saved.clone().text()}`).toBe(200);
    }
  }, 30_000);

  afterAll(async () => {
    if (server) expect(await server.stop()).toBe(0);
    await emulator?.close();
  });

  it('runs the same flows saved through the API', async () => {
    const run: RunFlow = async (id, inputs = {}) => {
      const form = new FormData();
      for (const [key, value] of Object.entries(inputs)) form.set(key, value);
      const response = await fetch(`${server!.url}${API}/executions/zoomcamp/${id}?wait=true`, {
        method: 'POST',
        body: form,
      });
      const text = await response.text();
      expect(response.status, `${id}: ${text}\n${server!.stderr()}`).toBe(200);
      const execution = JSON.parse(text) as ExecutionJson;
      expect(execution.state.current, `${id}: ${text}\n${server!.stderr()}`).toBe('SUCCESS');
      return execution;
    };
    await loadsTheCourseMonths(run, emulator, false);
  }, 120_000); // 3-25 s alone on a loaded machine; a guard, as the whole suite shares two cores
});

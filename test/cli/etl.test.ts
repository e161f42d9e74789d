/**
 * The course-style ETL (examples/flows/14_taxi_etl.yaml) end to end through `windhover run`:
 * KV for the source address, a Download from a real HTTP server on 127.0.0.1 with a bearer
 * token kept as a secret, a Python transform (pandas if installed, else the csv module), a
 * shell load into a folder, tasks ordered by `dependsOn`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windhoverAsync } from './windhover.js';

const TOKEN = 'tk-8f3a2c91-never-in-logs';
const ROWS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'windhover-etl-'));
// Run as root, the script tasks run as users of their own: they pass through this folder to
// the data folder's working directories, and load into a warehouse folder open to them.
chmodSync(dir, 0o711);
const trips = spawnSync(
  process.execPath,
  ['test/fixtures/make-taxi-csv.mjs', 'yellow', '2019-01', String(ROWS)],
  {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
).stdout;

let server: Server;
let baseUrl = '';
const requests: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('missing or wrong token');
      return;
    }
    if (req.url !== '/trip-data/yellow_tripdata_2019-01.csv') {
      res.writeHead(404).end('no such file');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' }).end(trips);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trip-data`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('course-style ETL with windhover run', () => {
  it('extracts over HTTP with a secret token, transforms in Python, loads a file', async () => {
    const target = join(dir, 'warehouse');
    mkdirSync(target);
    chmodSync(target, 0o777);
    const data = join(dir, 'data');
    const { code, stdout, stderr } = await windhoverAsync(
      [
        'run',
        'examples/flows/14_taxi_etl.yaml',
        '--data',
        data,
        '-i',
        `source_url=${baseUrl}`,
        '-i',
        `target_dir=${target}`,
        '--json',
      ],
      { SECRET_TAXI_API_TOKEN: Buffer.from(TOKEN).toString('base64') },
    );
    expect(stderr, stderr).not.toContain('FAILED');
    expect(code).toBe(0);

    // The server saw exactly one request, with the secret as a bearer token.
    expect(requests).toEqual([
      { url: '/trip-data/yellow_tripdata_2019-01.csv', authorization: `Bearer ${TOKEN}` },
    ]);

    // What the transform should keep: the rows that have a VendorID.
    const lines = trips.trimEnd().split('\n').slice(1);
    const kept = lines.filter((l) => !l.startsWith(','));
    const loaded = join(target, 'yellow_tripdata_2019-01.csv');
    expect(existsSync(loaded)).toBe(true);
    const out = readFileSync(loaded, 'utf8').trimEnd().split('\n');
    expect(out[0]).toBe(`unique_row_id,filename,${trips.slice(0, trips.indexOf('\n'))}`);
    expect(out.length - 1).toBe(kept.length);
    expect(out[1]).toMatch(/^[0-9a-f]{32},yellow_tripdata_2019-01\.csv,/);
    expect(kept.length).toBeLessThan(ROWS);

    const execution = JSON.parse(stdout) as {
      id: string;
      state: { current: string };
      taskRunList: Array<{ taskId: string; state: { current: string }; outputs?: Record<string, unknown> }>;
    };
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual([
      'configure',
      'extract',
      'transform',
      'load',
      'report',
    ]);
    const transform = execution.taskRunList.find((r) => r.taskId === 'transform')!;
    expect(transform.outputs?.vars).toEqual({ rows_in: ROWS, rows_out: kept.length });
    expect(stderr).toContain(`Loaded ${kept.length} of ${ROWS} trips into`);

    // The token is never shown, neither in the progress output nor in the stored logs.
    const shown = spawnSync(
      process.execPath,
      ['bin/windhover.js', 'executions', 'show', execution.id, '--data', data, '--logs'],
      {
        encoding: 'utf8',
      },
    );
    for (const text of [stdout, stderr, shown.stdout, shown.stderr]) expect(text).not.toContain(TOKEN);
  }, 60_000);

  it('fails the extract with the HTTP status when the token is wrong, and runs nothing after it', async () => {
    const { code, stdout, stderr } = await windhoverAsync(
      [
        'run',
        'examples/flows/14_taxi_etl.yaml',
        '--data',
        join(dir, 'data-bad'),
        '-i',
        `source_url=${baseUrl}`,
        '-i',
        `target_dir=${join(dir, 'never')}`,
        '--json',
      ],
      { SECRET_TAXI_API_TOKEN: Buffer.from('wrong').toString('base64') },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('401');
    const execution = JSON.parse(stdout) as {
      taskRunList: Array<{ taskId: string; state: { current: string } }>;
    };
    expect(execution.taskRunList.map((r) => `${r.taskId}:${r.state.current}`)).toEqual([
      'configure:SUCCESS',
      'extract:FAILED',
    ]);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  }, 60_000);
});

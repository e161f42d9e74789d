/**
 * `windhover gcp-emulator` as a real process (the built CLI, dist/): it listens on a free port,
 * prints the URL and the environment lines, serves Google's official Storage client (also
 * through STORAGE_EMULATOR_HOST alone), keeps its data across restarts, and stops cleanly on
 * SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { windhover } from './windhover.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wh-cli-gcp-'));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface EmulatorProcess {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

function startEmulator(args: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['bin/windhover.js', 'gcp-emulator', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within 15 s:\n${output}`));
    }, 15_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}):\n${output}`));
    });
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /GCP emulator listening on (\S+)/.exec(output);
      if (!match || !output.includes('Press Ctrl+C')) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

test('starts on a free port, serves the official client, keeps data and stops on SIGTERM', async () => {
  const first = await startEmulator(['--port', '0', '--data', dataDir]);
  try {
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.output()).toContain(`export STORAGE_EMULATOR_HOST=${first.url}`);
    expect(first.output()).toContain(`export BIGQUERY_EMULATOR_HOST=${first.url}`);
    const storage = new Storage({ apiEndpoint: first.url, projectId: 'cli-test' });
    const [bucket] = await storage.createBucket('cli-bucket');
    await bucket.file('kept.txt').save('still here', { resumable: false });
  } finally {
    expect(await first.stop()).toBe(0);
  }
  expect(first.output()).toContain('GCP emulator stopped');

  const second = await startEmulator(['--port', '0', '--data', dataDir]);
  const previous = process.env.STORAGE_EMULATOR_HOST;
  try {
    // The client given only STORAGE_EMULATOR_HOST calls paths without /storage/v1.
    process.env.STORAGE_EMULATOR_HOST = second.url;
    const storage = new Storage({ projectId: 'cli-test' });
    const [data] = await storage.bucket('cli-bucket').file('kept.txt').download();
    expect(data.toString()).toBe('still here');
    const [files] = await storage.bucket('cli-bucket').getFiles();
    expect(files.map((f) => f.name)).toEqual(['kept.txt']);
  } finally {
    if (previous === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = previous;
    expect(await second.stop()).toBe(0);
  }
}, 60_000);

test('a bad port is a usage error', () => {
  const result = windhover('gcp-emulator', '--port', 'eighty', '--data', dataDir);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--port must be a number');
  expect(result.stderr).not.toContain('    at ');
});

test('a data folder in use by another emulator is a clear error, and nothing of it is touched', async () => {
  const running = await startEmulator(['--port', '0', '--data', dataDir]);
  try {
    const result = windhover('gcp-emulator', '--port', '0', '--data', dataDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is in use by process');
    expect(result.stderr).toContain('WH_DATA_LOCKED');
    const storage = new Storage({ apiEndpoint: running.url, projectId: 'cli-test' });
    expect((await storage.bucket('cli-bucket').file('kept.txt').download())[0].toString()).toBe('still here');
  } finally {
    expect(await running.stop()).toBe(0);
  }
}, 30_000);

test('a port in use is a clear error', async () => {
  const running = await startEmulator(['--port', '0', '--data', dataDir]);
  try {
    const port = new URL(running.url).port;
    const result = windhover('gcp-emulator', '--port', port, '--data', join(dataDir, 'other'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  } finally {
    await running.stop();
  }
}, 30_000);

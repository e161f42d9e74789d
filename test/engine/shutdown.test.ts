/**
 * Graceful stop (what SIGTERM does): running tasks finish within the grace period and their
 * results are committed; the next start resumes the execution without running them again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestRuntime, statesOf } from './support/runtime.js';
import { dropTestDatabase } from './support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'wh-stop-'));
const record = join(dir, 'runs.log');
afterAll(async () => {
  // On PostgreSQL each data folder has a database, kept across the restart.
  for (const data of ['data', 'data2']) await dropTestDatabase(join(dir, data));
  rmSync(dir, { recursive: true, force: true });
});

const FLOW = `
id: graceful
namespace: test.stop
tasks:
  - id: slow
    type: test.windhover.Record
    file: ${record}
    ms: 400
  - id: next
    type: test.windhover.Record
    file: ${record}
`;

describe('graceful stop', () => {
  it('waits for the running task, commits it, and resumes after a restart', async () => {
    const data = join(dir, 'data');
    const first = await startTestRuntime({}, data);
    const flow = await first.deploy(FLOW);
    const execution = await first.runtime.submit(flow);
    while (!readFileSafe(record).includes('start')) await new Promise((r) => setTimeout(r, 10));
    await first.close(5_000);
    expect(readFileSafe(record).match(/\tend/g)).toHaveLength(1);
    const stopped = await first.store.getExecution(execution.id).catch(() => undefined);
    expect(stopped).toBeUndefined(); // the store is closed

    const second = await startTestRuntime({}, data);
    try {
      const ended = await second.runtime.waitForEnd(execution.id);
      expect(statesOf(ended)).toEqual({ slow: 'SUCCESS', next: 'SUCCESS' });
      expect(ended.taskRunList[0]!.attempts).toHaveLength(1);
      const starts = readFileSafe(record)
        .split('\n')
        .filter((l) => l.endsWith('\tstart'));
      expect(starts).toHaveLength(2); // slow once, next once
    } finally {
      await second.close(1000);
    }
  });

  it('aborts what is still running after the grace period; it runs again after a restart', async () => {
    const data = join(dir, 'data2');
    const file = join(dir, 'runs2.log');
    const first = await startTestRuntime({}, data);
    const flow = await first.deploy(
      FLOW.replace(record, file).replace(record, file).replace('ms: 400', 'ms: 5000'),
    );
    const execution = await first.runtime.submit(flow);
    while (!readFileSafe(file).includes('start')) await new Promise((r) => setTimeout(r, 10));
    const stopping = Date.now();
    await first.close(100);
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(readFileSafe(file)).not.toContain('\tend');

    const second = await startTestRuntime({}, data);
    try {
      const ended = await second.runtime.waitForEnd(execution.id);
      expect(statesOf(ended)).toEqual({ slow: 'SUCCESS', next: 'SUCCESS' });
      expect(
        readFileSafe(file)
          .split('\n')
          .filter((l) => l.endsWith('\tstart')),
      ).toHaveLength(3);
    } finally {
      await second.close(1000);
    }
  }, 20_000);
});

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

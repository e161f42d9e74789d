/**
 * Crash safety: a process running 50 executions (each with a ForEach, a Sleep and a Subflow)
 * is SIGKILLed at random moments 10 times and started again each time. Every execution must
 * end; no task run that was committed as ended may run again; no execution or log is lost.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/engine/model.js';
import { TAKEOVER_MS, dropTestDatabase, openTestStore } from './support/test-store.js';

const CHILD = join(import.meta.dirname, 'support/crash-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'wh-crash-'));
const record = join(dir, 'runs.log');
afterAll(async () => {
  // A failed run leaves its last child working: end it before its database goes.
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await dropTestDatabase(dir);
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  output: string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function startChild(mode: 'submit' | 'resume'): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, record, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const state: Child = {
    process: child,
    output: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (state.output += chunk.toString()));
  return state;
}

async function waitForOutput(child: Child, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!child.output.includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`child did not print ${text} within ${ms} ms:\n${child.output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until a task started after `since`, at most `ms`: on PostgreSQL a restarted child takes
 * over the dead one's work only after the member timeout, and a kill before that finds it idle.
 */
async function waitForWork(since: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const started = () =>
    readFileSync(record, 'utf8')
      .split('\n')
      .some((line) => line.endsWith('\tstart') && Number(line.split('\t')[0]) > since);
  while (Date.now() < deadline && !started()) await new Promise((r) => setTimeout(r, 20));
}

/** Task runs the store holds as ended, read from the database the dead child left. */
async function endedTaskRuns(): Promise<Set<string>> {
  const store = await openTestStore(dir);
  try {
    const ids = new Set<string>();
    const page = await store.searchExecutions({ namespace: 'test.crash', size: 1000 });
    for (const summary of page.results) {
      const execution = await store.getExecution(summary.id);
      for (const run of execution?.taskRunList ?? []) if (isTerminal(run.state.current)) ids.add(run.id);
    }
    return ids;
  } finally {
    await store.close();
  }
}

describe('crash safety', () => {
  it(
    'resumes every execution after 10 SIGKILLs, never re-running a committed task run',
    { timeout: 240_000 },
    async () => {
      let child = startChild('submit');
      await waitForOutput(child, 'SUBMITTED', 60_000);
      const kills: Array<{ at: number; ended: Set<string> }> = [];
      let random = 42;
      const nextRandom = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let k = 0; k < 10; k++) {
        // A random moment while it works (after its start, which recovers what the last one left).
        await waitForOutput(child, 'READY', 60_000);
        if (k > 0) await waitForWork(kills[k - 1]!.at, TAKEOVER_MS);
        await new Promise((r) => setTimeout(r, 50 + nextRandom() * 400));
        child.process.kill('SIGKILL');
        await child.exited;
        kills.push({ at: Date.now(), ended: await endedTaskRuns() });
        child = startChild('resume');
      }
      await waitForOutput(child, 'DONE', 120_000);
      expect(await child.exited).toBe(0);

      const ids = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8')) as string[];
      expect(ids).toHaveLength(50);
      const store = await openTestStore(dir);
      try {
        // Every execution is there and ended in SUCCESS, with its subflow.
        const page = await store.searchExecutions({ namespace: 'test.crash', size: 1000 });
        expect(page.total).toBe(100);
        expect(page.results.filter((e) => e.state.current === 'SUCCESS')).toHaveLength(100);
        const lines = readFileSync(record, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split('\t'));
        for (const id of ids) {
          const execution = (await store.getExecution(id))!;
          expect(execution.taskRunList.map((r) => r.state.current).every((s) => s === 'SUCCESS')).toBe(true);
          expect(execution.taskRunList).toHaveLength(9); // first, each, 3 × item, nap, sub, last, log
          // No log lost: the executor's end line, and each recorded task's own line.
          const logs = (await store.getLogs(id)).map((l) => l.message);
          expect(logs).toContain('Execution ended in SUCCESS');
          for (const run of execution.taskRunList.filter((r) =>
            ['first', 'item', 'last'].includes(r.taskId),
          )) {
            expect(logs).toContain(`recorded ${run.id}`);
            expect(lines.some(([, , runId, , what]) => runId === run.id && what === 'end')).toBe(true);
          }
        }
        // The kills hit while work was going on, not after it: each found less done than the next.
        const done = kills.map((k) => k.ended.size);
        expect(done.filter((n) => n < 500).length).toBeGreaterThanOrEqual(8);
        expect(done[0]!).toBeLessThan(done[done.length - 1]!);
        // No task run the store held as ended at a kill started again after it.
        for (const kill of kills) {
          const rerun = lines.filter(
            ([time, , runId, , what]) => what === 'start' && Number(time) > kill.at && kill.ended.has(runId!),
          );
          expect(rerun).toEqual([]);
        }
      } finally {
        await store.close();
      }
    },
  );
});

/**
 * The process side of script tasks: a timeout stops the whole process tree (grandchildren
 * included, even one ignoring SIGTERM), background processes end with the task, and a
 * script printing 100,000 lines keeps every line with bounded memory.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { errorOf, flow, PROCESS } from './support.js';

let rt: TestRuntime;
let dir: string;
beforeAll(async () => {
  rt = await startTestRuntime();
  dir = mkdtempSync(join(tmpdir(), 'wh-scripts-pids-'));
  // The scripts write their pids here, as their own user when the worker runs as root.
  chmodSync(dir, 0o777);
});
afterAll(async () => {
  await rt.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether a process is alive (a zombie waiting for its parent counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the processes to be gone; returns those still alive. */
async function survivors(pids: number[], ms: number): Promise<number[]> {
  const end = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < end) {
    await sleep(50);
    left = left.filter(alive);
  }
  return left;
}

function pidsIn(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

describe('stopping processes', () => {
  it('a timeout kills the process and the children it spawned', async () => {
    const pidFile = join(dir, 'timeout.pids');
    const start = Date.now();
    const e = await rt.run(
      flow(`  - id: tree
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    timeout: PT1S
    commands:
      - sleep 300 &
      - echo "$$ $!" > ${pidFile}
      - wait
`),
    );
    expect(Date.now() - start).toBeLessThan(5000);
    expect(statesOf(e)).toEqual({ tree: 'FAILED' });
    expect(await errorOf(rt, e, 'tree')).toBe('Timeout: the task did not finish within PT1S');
    const pids = pidsIn(pidFile);
    expect(pids).toHaveLength(2);
    expect(await survivors(pids, 3000)).toEqual([]);
  });

  it('a child ignoring SIGTERM gets SIGKILL after the grace period', async () => {
    const pidFile = join(dir, 'stubborn.pids');
    const e = await rt.run(
      flow(`  - id: stubborn
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    timeout: PT1S
    commands:
      - (trap '' TERM; exec sleep 300) &
      - echo "$!" > ${pidFile}
      - wait
`),
    );
    expect(statesOf(e)).toEqual({ stubborn: 'FAILED' });
    const pids = pidsIn(pidFile);
    // SIGTERM is ignored: still there shortly after, gone once SIGKILL came.
    expect(await survivors(pids, 5000)).toEqual([]);
  });

  it('processes left in the background end with the task, which does not wait for them', async () => {
    const pidFile = join(dir, 'background.pids');
    const start = Date.now();
    const e = await rt.run(
      flow(`  - id: leave
    type: io.kestra.plugin.scripts.shell.Commands
${PROCESS}    commands:
      - sleep 300 &
      - echo "$!" > ${pidFile}
      - echo done
`),
    );
    expect(statesOf(e)).toEqual({ leave: 'SUCCESS' });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(await survivors(pidsIn(pidFile), 3000)).toEqual([]);
  });
});

describe('a lot of output', () => {
  it('keeps all 100,000 lines in the logs with bounded memory growth', async () => {
    const source = flow(`  - id: many
    type: io.kestra.plugin.scripts.python.Commands
${PROCESS}    commands:
      - python3 -c "import sys; [print('line', i) for i in range(100000)]"
`);
    const flowModel = await rt.deploy(source);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = Date.now();
    const execution = await rt.runtime.submit(flowModel, { inputs: {} });
    const e = await rt.runtime.waitForEnd(execution.id);
    clearInterval(sampler);
    const ms = Date.now() - started;
    expect(e.state.current).toBe('SUCCESS');
    const logs = (await rt.store.getLogs(e.id)).filter((l) => l.taskId === 'many');
    expect(logs).toHaveLength(100_000);
    expect(logs[0]?.message).toBe('line 0');
    expect(logs.at(-1)?.message).toBe('line 99999');
    const growthMb = (peak - before) / 1024 / 1024;
    console.log(`100,000 lines: ${ms} ms, RSS growth ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(100);
  });
});

/**
 * Runs a conformance case on a real runtime and checks its expectation.
 */
import { expect } from 'vitest';
import { isTerminal } from '../../src/engine/model.js';
import type { Execution } from '../../src/engine/model.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import type { CaseExpectation, ConformanceCase } from './case-file.js';

/** What running a case produced: the ended execution and its logs, or the deploy error. */
export interface CaseRun {
  execution?: Execution;
  logs: string[];
  /** The executions started by the task runs named in `expect.children`, by task id. */
  children?: Record<string, CaseRun>;
  deployError?: string;
  inputError?: string;
  resumeError?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForState(rt: TestRuntime, id: string, state: string, deadline: number): Promise<void> {
  while ((await rt.runtime.execution(id))?.state.current !== state) {
    if (Date.now() > deadline) throw new Error(`the execution never reached ${state}`);
    await sleep(50);
  }
}

/** Deploys the case's flows, runs the main one (resuming it if asked) and waits for its end. */
export async function runCase(rt: TestRuntime, testCase: ConformanceCase): Promise<CaseRun> {
  for (const source of testCase.extraFlows) await rt.deploy(source);
  let flow;
  try {
    flow = await rt.deploy(testCase.flow);
  } catch (error) {
    if (testCase.expect.deployError === undefined) throw error;
    return { logs: [], deployError: error instanceof Error ? error.message : String(error) };
  }
  const deadline = Date.now() + testCase.timeoutMs;
  const labels = Object.entries(testCase.labels).map(([key, value]) => ({ key, value: String(value) }));
  let inputs;
  try {
    inputs = rt.runtime.prepareInputs(flow, testCase.inputs);
  } catch (error) {
    if (testCase.expect.inputError === undefined) throw error;
    return { logs: [], inputError: error instanceof Error ? error.message : String(error) };
  }
  const submitted = await rt.runtime.submit(flow, {
    inputs,
    ...(labels.length > 0 ? { labels } : {}),
  });
  const ended = rt.runtime.waitForEnd(submitted.id);
  if (testCase.resume) {
    await waitForState(rt, submitted.id, 'PAUSED', deadline);
    try {
      // Raw values, checked and typed against the Pause's onResume inputs as the API does.
      await rt.runtime.resume(submitted.id, testCase.resume.inputs);
    } catch (error) {
      if (testCase.expect.resumeError === undefined) throw error;
      const execution = (await rt.runtime.execution(submitted.id))!;
      await rt.runtime.command(submitted.id, { kind: 'kill' });
      return {
        execution,
        logs: await rt.logs(submitted.id),
        resumeError: error instanceof Error ? error.message : String(error),
      };
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the execution did not end within ${testCase.timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    const execution = await Promise.race([ended, timedOut]);
    return {
      execution,
      logs: await rt.logs(execution.id),
      children: await childrenOf(rt, execution, testCase.expect.children ?? {}),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The executions started by the named tasks' (first) runs, with their own children. */
async function childrenOf(
  rt: TestRuntime,
  execution: Execution,
  wanted: Record<string, CaseExpectation>,
): Promise<Record<string, CaseRun>> {
  const children: Record<string, CaseRun> = {};
  for (const [key, want] of Object.entries(wanted)) {
    const id = runsOf(execution, key)[0]?.outputs?.executionId;
    if (typeof id !== 'string') continue;
    const child = isTerminal((await rt.runtime.execution(id))?.state.current ?? 'CREATED')
      ? await rt.runtime.execution(id)
      : await rt.runtime.waitForEnd(id);
    if (!child) continue;
    children[key] = {
      execution: child,
      logs: await rt.logs(child.id),
      children: await childrenOf(rt, child, want.children ?? {}),
    };
  }
  return children;
}

/** The runs of a task, `taskId` or `taskId[value]`. */
function runsOf(execution: Execution, key: string) {
  const match = /^(.*)\[(.*)\]$/.exec(key);
  return execution.taskRunList.filter((r) =>
    match ? r.taskId === match[1] && r.value === match[2] : r.taskId === key,
  );
}

/** Asserts the case's expectation on what its run produced (vitest `expect`, so failures name the field). */
export function checkCase(testCase: ConformanceCase, run: CaseRun): void {
  checkRun(testCase.expect, run, '');
}

function checkRun(want: CaseExpectation, run: CaseRun, where: string): void {
  if (want.deployError !== undefined) {
    expect(run.deployError, 'deploy error').toBeDefined();
    expect(run.deployError).toContain(want.deployError);
    return;
  }
  if (want.inputError !== undefined) {
    expect(run.inputError, 'inputs refused').toBeDefined();
    expect(run.inputError).toContain(want.inputError);
    return;
  }
  if (want.resumeError !== undefined) {
    expect(run.resumeError, 'resume refused').toBeDefined();
    expect(run.resumeError).toContain(want.resumeError);
  }
  const execution = run.execution!;
  const summary = () =>
    `${where ? ` (in ${where.slice(0, -3)})` : ''}\n  task runs: ${execution.taskRunList.map((r) => `${r.taskId}${r.value !== undefined ? `[${r.value}]` : ''}=${r.state.current}`).join(', ')}\n  logs:\n    ${run.logs.slice(0, 40).join('\n    ')}`;
  if (want.state !== undefined) expect(execution.state.current, `state${summary()}`).toBe(want.state);
  if (want.taskRunCount !== undefined)
    expect(execution.taskRunList.length, `task run count${summary()}`).toBe(want.taskRunCount);
  for (const [key, count] of Object.entries(want.taskRuns ?? {}))
    expect(runsOf(execution, key).length, `runs of ${key}${summary()}`).toBe(count);
  for (const [key, state] of Object.entries(want.states ?? {}))
    expect(runsOf(execution, key)[0]?.state.current, `state of ${key}${summary()}`).toBe(state);
  for (const [key, attempts] of Object.entries(want.attempts ?? {}))
    expect(runsOf(execution, key)[0]?.attempts.length, `attempts of ${key}${summary()}`).toBe(attempts);
  for (const [key, outputs] of Object.entries(want.outputs ?? {}))
    expect(runsOf(execution, key)[0]?.outputs ?? {}, `outputs of ${key}${summary()}`).toMatchObject(outputs);
  if (want.flowOutputs === null)
    expect(execution.outputs ?? null, 'flow outputs').toSatisfy(
      (o: unknown) => o === null || (typeof o === 'object' && Object.keys(o).length === 0),
    );
  else if (want.flowOutputs !== undefined)
    expect(execution.outputs ?? {}, 'flow outputs').toMatchObject(want.flowOutputs);
  if (want.inputs !== undefined) expect(execution.inputs, 'inputs').toMatchObject(want.inputs);
  if (want.labels !== undefined)
    expect(Object.fromEntries(execution.labels.map((l) => [l.key, l.value])), 'labels').toMatchObject(
      want.labels,
    );
  for (const text of want.logs ?? [])
    expect(
      run.logs.some((line) => line.includes(text)),
      `a log line contains ${JSON.stringify(text)}${summary()}`,
    ).toBe(true);
  for (const text of want.logsAbsent ?? [])
    expect(
      run.logs.filter((line) => line.includes(text)),
      `no log line contains ${JSON.stringify(text)}`,
    ).toEqual([]);
  if (want.trigger !== undefined)
    expect(execution.trigger ?? {}, `${where}trigger`).toMatchObject(want.trigger);
  for (const [key, childWant] of Object.entries(want.children ?? {})) {
    const child = run.children?.[key];
    expect(child, `${where}the execution started by ${key}`).toBeDefined();
    checkRun(childWant, child!, `${where}${key} → `);
  }
  const took = Date.parse(execution.state.endDate ?? '') - Date.parse(execution.state.startDate);
  if (want.minDurationMs !== undefined) expect(took, 'duration').toBeGreaterThanOrEqual(want.minDurationMs);
  if (want.maxDurationMs !== undefined) expect(took, 'duration').toBeLessThanOrEqual(want.maxDurationMs);
}

/** Runs `tasks` with at most `limit` in flight; each result is available as soon as it settles. */
export function pool<T>(limit: number): (task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

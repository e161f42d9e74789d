/** Shared pieces of the script task tests: a flow around tasks, log lines of a task. */
import type { Execution } from '../../../src/engine/model.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

let counter = 0;

/** A flow (a new id each call) with the given tasks, indented as a `tasks:` list. */
export function flow(tasks: string, extra = ''): string {
  counter++;
  return `id: scripts_${counter}\nnamespace: test.scripts\n${extra}tasks:\n${tasks}`;
}

/** The task's log lines as `LEVEL message`. */
export async function logsOf(rt: TestRuntime, execution: Execution, taskId: string): Promise<string[]> {
  return (await rt.store.getLogs(execution.id))
    .filter((l) => l.taskId === taskId)
    .map((l) => `${l.level} ${l.message}`);
}

/** The error of a failed task run (its last ERROR line). */
export async function errorOf(
  rt: TestRuntime,
  execution: Execution,
  taskId: string,
): Promise<string | undefined> {
  const lines = (await logsOf(rt, execution, taskId)).filter((l) => l.startsWith('ERROR '));
  return lines.at(-1)?.slice('ERROR '.length);
}

/** The Process task runner, to keep logs free of the "no taskRunner" note. */
export const PROCESS = `    taskRunner:\n      type: io.kestra.plugin.core.runner.Process\n`;

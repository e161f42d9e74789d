/**
 * What the API shows of an execution, with its secrets masked: the process's `SECRET_*` values
 * and the execution's SECRET inputs (see src/engine/secret-mask.ts). Every route that answers
 * with an execution's JSON, its outputs or its log lines goes through here.
 */
import { executionJson } from '../../engine/kestra-json.js';
import type { Execution, LogEntry } from '../../engine/model.js';
import type { Runtime } from '../../engine/runtime/runtime.js';
import { environmentSecrets, executionSecrets } from '../../engine/secret-mask.js';
import type { ExecutionSecrets } from '../../engine/secret-mask.js';

/** The secrets of an execution: its flow revision (cached) says which inputs are SECRET. */
export async function secretsOf(
  runtime: Runtime,
  execution: Pick<Execution, 'namespace' | 'flowId' | 'flowRevision' | 'inputs' | 'control'>,
): Promise<ExecutionSecrets> {
  const flow = await runtime.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
  return executionSecrets(runtime.taskEnv, flow, execution);
}

/** An execution's JSON as the API answers it. */
export async function shownExecution(
  runtime: Runtime,
  execution: Execution,
): Promise<Record<string, unknown>> {
  return executionJson(execution, await secretsOf(runtime, execution));
}

/** A log line with its message masked. */
export function maskedLine(line: LogEntry, secrets: ExecutionSecrets): LogEntry {
  return secrets.mask.empty ? line : { ...line, message: secrets.mask.text(line.message) };
}

/**
 * Log lines of any executions as the API answers them, each masked with its execution's
 * secrets. Lines written by workers were masked already; this also covers the executor's own
 * lines and lines written before a secret was known to the process that wrote them.
 */
export async function shownLogLines<T extends LogEntry>(runtime: Runtime, lines: readonly T[]): Promise<T[]> {
  const ids = [...new Set(lines.map((line) => line.executionId))];
  const secrets = new Map<string, ExecutionSecrets>();
  await Promise.all(
    ids.map(async (id) => {
      const execution = await runtime.execution(id);
      if (execution) secrets.set(id, await secretsOf(runtime, execution));
    }),
  );
  return lines.map((line) => {
    // An execution gone from the store (purged): its lines still hide the process's secrets.
    const found = secrets.get(line.executionId);
    const mask = found?.mask ?? environmentSecrets(runtime.taskEnv);
    return mask.empty ? line : { ...line, message: mask.text(line.message) };
  });
}

/**
 * Executions in Kestra's JSON shape, as the API, the UI and `windhover run --json` give them:
 * the engine's bookkeeping (`control`, `version`) left out, durations added. Given the
 * execution's secrets, what leaves the server shows none of them (see secret-mask.ts).
 */
import type { Execution, LogEntry, StateRecord, TaskRun } from './model.js';
import { maskSecretInputs } from './secret-mask.js';
import type { ExecutionSecrets } from './secret-mask.js';

/** Kestra's `state`: current state, history, dates and an ISO-8601 duration once ended. */
function stateJson(state: StateRecord): Record<string, unknown> {
  const end = state.endDate ? Date.parse(state.endDate) : undefined;
  return {
    current: state.current,
    histories: state.histories,
    startDate: state.startDate,
    ...(state.endDate ? { endDate: state.endDate } : {}),
    ...(end !== undefined ? { duration: isoDuration(end - Date.parse(state.startDate)) } : {}),
  };
}

function isoDuration(ms: number): string {
  return `PT${(Math.max(0, ms) / 1000).toFixed(3).replace(/\.?0+$/, '')}S`;
}

/** A task run in Kestra's shape. */
export function taskRunJson(run: TaskRun): Record<string, unknown> {
  return {
    id: run.id,
    executionId: run.executionId,
    namespace: run.namespace,
    flowId: run.flowId,
    taskId: run.taskId,
    ...(run.parentTaskRunId ? { parentTaskRunId: run.parentTaskRunId } : {}),
    ...(run.value !== undefined ? { value: run.value } : {}),
    ...(run.iteration !== undefined ? { iteration: run.iteration } : {}),
    attempts: run.attempts.map((a) => ({
      state: stateJson(a.state),
      ...(a.logFile !== undefined ? { logFile: a.logFile } : {}),
    })),
    outputs: run.outputs ?? {},
    state: stateJson(run.state),
  };
}

/**
 * An execution in Kestra's shape. With `secrets` (every answer of the API), SECRET inputs are
 * `******` and every secret value is masked wherever it appears (outputs, labels, trigger…).
 */
export function executionJson(execution: Execution, secrets?: ExecutionSecrets): Record<string, unknown> {
  if (secrets) {
    const json = executionJson({
      ...execution,
      inputs: maskSecretInputs(execution.inputs, secrets.inputIds),
    });
    return secrets.mask.deep(json);
  }
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: stateJson(execution.state),
    inputs: execution.inputs,
    labels: execution.labels,
    // Absent when the execution has none (failed, or no outputs declared), as Kestra's null.
    ...(execution.outputs ? { outputs: execution.outputs } : {}),
    taskRunList: execution.taskRunList.map(taskRunJson),
    ...(execution.trigger ? { trigger: execution.trigger } : {}),
    originalId: execution.originalId ?? execution.id,
    ...(execution.parent ? { parentId: execution.parent.executionId } : {}),
    ...(execution.scheduleDate ? { scheduleDate: execution.scheduleDate } : {}),
  };
}

/** A log line in Kestra's `LogEntry` shape. */
export function logJson(line: LogEntry): LogEntry {
  return {
    executionId: line.executionId,
    namespace: line.namespace,
    flowId: line.flowId,
    ...(line.taskId !== undefined ? { taskId: line.taskId } : {}),
    ...(line.taskRunId !== undefined ? { taskRunId: line.taskRunId } : {}),
    ...(line.attemptNumber !== undefined ? { attemptNumber: line.attemptNumber } : {}),
    level: line.level,
    message: line.message,
    timestamp: line.timestamp,
  };
}

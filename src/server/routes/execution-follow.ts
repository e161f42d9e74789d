/**
 * Following an execution over server-sent events, as Kestra's `/follow` does: the execution
 * JSON now and on every change (`id: progress`), then once it has ended (`id: end`), and the
 * stream closes. Listeners are removed when the stream closes, from either side.
 */
import type { Runtime } from '../../engine/runtime/runtime.js';
import { executionJson, logJson } from '../../engine/kestra-json.js';
import type { Execution, LogEntry } from '../../engine/model.js';
import { isTerminal } from '../../engine/model.js';
import type { ExecutionSecrets } from '../../engine/secret-mask.js';
import type { LogFilter, Store } from '../../store/contract.js';
import { maskedLine } from './execution-secrets.js';
import type { EventStream } from './sse.js';

/** Whether an execution has ended for good (terminal, and its end handled). */
export function hasEnded(execution: Execution): boolean {
  return isTerminal(execution.state.current) && execution.control?.ended !== undefined;
}

/** How often a process that does not execute reads a followed execution and its log again. */
const REMOTE_POLL_MS = 250;

/** A pause between reads of the store that ends early when the stream closes. */
function pauses(stream: EventStream): () => Promise<void> {
  const closed = new Promise<void>((resolve) => stream.onClose(resolve));
  return () =>
    Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, REMOTE_POLL_MS).unref())]);
}

/** Streams an execution's changes, its secrets masked, until it ends or the client leaves. */
export async function followExecution(
  runtime: Runtime,
  executionId: string,
  stream: EventStream,
  secrets: ExecutionSecrets,
): Promise<void> {
  // Executed by other processes (a cluster's web server): its changes are read from the store.
  if (!runtime.roles.executor) return followStoredExecution(runtime, executionId, stream, secrets);
  let lastVersion = 0;
  const send = (execution: Execution, id: 'progress' | 'end') => {
    // Events may overtake the first read: never send an older version after a newer one.
    if (id === 'progress' && execution.version <= lastVersion) return;
    lastVersion = Math.max(lastVersion, execution.version);
    stream.send({ id, data: executionJson(execution, secrets) });
  };
  const onChange = (execution: Execution) => {
    if (execution.id === executionId) send(execution, 'progress');
  };
  const onEnded = (execution: Execution) => {
    if (execution.id !== executionId) return;
    send(execution, 'end');
    stream.end();
  };
  runtime.on('execution', onChange);
  runtime.on('ended', onEnded);
  stream.onClose(() => {
    runtime.off('execution', onChange);
    runtime.off('ended', onEnded);
  });
  const current = await runtime.execution(executionId);
  if (!current || stream.closed) return;
  if (hasEnded(current)) onEnded(current);
  else send(current, 'progress');
}

/** followExecution by reading the store every REMOTE_POLL_MS. */
async function followStoredExecution(
  runtime: Runtime,
  executionId: string,
  stream: EventStream,
  secrets: ExecutionSecrets,
): Promise<void> {
  const pause = pauses(stream);
  let lastVersion = 0;
  while (!stream.closed) {
    const execution = await runtime.execution(executionId);
    if (!execution || stream.closed) return;
    if (hasEnded(execution)) {
      stream.send({ id: 'end', data: executionJson(execution, secrets) });
      stream.end();
      return;
    }
    if (execution.version > lastVersion) {
      lastVersion = execution.version;
      stream.send({ id: 'progress', data: executionJson(execution, secrets) });
    }
    await pause();
  }
}

const RANK: Readonly<Record<LogEntry['level'], number>> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** Whether a live line passes the filters of a log request. */
function matches(line: LogEntry, filter: LogFilter): boolean {
  if (filter.minLevel !== undefined && RANK[line.level] < RANK[filter.minLevel]) return false;
  if (filter.taskId !== undefined && line.taskId !== filter.taskId) return false;
  if (filter.taskRunId !== undefined && line.taskRunId !== filter.taskRunId) return false;
  return true;
}

const lineKey = (line: LogEntry) =>
  `${line.timestamp}\u0000${line.taskRunId ?? ''}\u0000${line.level}\u0000${line.message}`;

/**
 * Streams an execution's log, its secrets masked: the lines stored so far, then each new line
 * as it is written, until the execution ends (the stream then closes) or the client leaves.
 */
export async function followLogs(
  runtime: Runtime,
  store: Store,
  executionId: string,
  filter: LogFilter,
  stream: EventStream,
  secrets: ExecutionSecrets,
): Promise<void> {
  if (!runtime.roles.executor) return followStoredLogs(runtime, store, executionId, filter, stream, secrets);
  const shown = (line: LogEntry) => logJson(maskedLine(line, secrets));
  // Lines written while the backlog is read wait here; those also in the backlog are dropped.
  let pending: LogEntry[] | undefined = [];
  const onLog = (line: LogEntry) => {
    if (line.executionId !== executionId || !matches(line, filter)) return;
    if (pending) pending.push(line);
    else stream.send({ id: 'progress', data: shown(line) });
  };
  const onEnded = (execution: Execution) => {
    if (execution.id !== executionId) return;
    // Lines of the last step are emitted before `ended`; give the backlog read its turn first.
    setImmediate(() => stream.end());
  };
  runtime.on('log', onLog);
  runtime.on('ended', onEnded);
  stream.onClose(() => {
    runtime.off('log', onLog);
    runtime.off('ended', onEnded);
  });
  const backlog = await store.getLogs(executionId, filter);
  const seen = new Set(backlog.map(lineKey));
  for (const line of backlog) stream.send({ id: 'progress', data: shown(line) });
  const live = pending;
  pending = undefined;
  for (const line of live) if (!seen.has(lineKey(line))) stream.send({ id: 'progress', data: shown(line) });
  const execution = await runtime.execution(executionId);
  if (!execution || hasEnded(execution)) stream.end();
}

/** followLogs by reading the lines after the last one sent every REMOTE_POLL_MS, until the end. */
async function followStoredLogs(
  runtime: Runtime,
  store: Store,
  executionId: string,
  filter: LogFilter,
  stream: EventStream,
  secrets: ExecutionSecrets,
): Promise<void> {
  const pause = pauses(stream);
  let afterSeq = filter.afterSeq ?? 0;
  for (;;) {
    // Read before the lines: lines written up to its end are then in the read that follows.
    const execution = await runtime.execution(executionId);
    const lines = await store.getLogs(executionId, { ...filter, afterSeq });
    if (stream.closed) return;
    for (const line of lines) {
      stream.send({ id: 'progress', data: logJson(maskedLine(line, secrets)) });
      afterSeq = Math.max(afterSeq, line.seq);
    }
    if (!execution || hasEnded(execution)) {
      stream.end();
      return;
    }
    await pause();
    if (stream.closed) return;
  }
}

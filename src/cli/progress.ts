/**
 * Live progress of an execution in the terminal: log lines as they are written, a line per
 * task run that ends, and (on a terminal) a status line with what runs now.
 */
import type { Runtime } from '../engine/runtime/index.js';
import type { Execution, LogEntry, State, TaskRun } from '../engine/model.js';
import { isTerminal } from '../engine/model.js';
import { durationOf, formatDuration, runLabel, stateLabel } from './execution-view.js';
import { paint } from './output.js';

const LEVEL_STYLE: Record<LogEntry['level'], Parameters<typeof paint>[1]> = {
  TRACE: 'gray',
  DEBUG: 'gray',
  INFO: 'cyan',
  WARN: 'yellow',
  ERROR: 'red',
};

/** Follows one execution on `stream` until the returned function is called. */
export function followExecution(
  runtime: Runtime,
  executionId: string,
  stream: NodeJS.WriteStream,
): () => void {
  const tty = stream.isTTY === true;
  const states = new Map<string, State>();
  let running: TaskRun[] = [];
  let status = '';
  const started = Date.now();

  const write = (line: string) => {
    if (tty && status) stream.write('\r\x1b[K');
    stream.write(`${line}\n`);
    if (tty && status) stream.write(status);
  };
  const drawStatus = () => {
    if (!tty) return;
    const names = running.slice(0, 4).map(runLabel).join(', ');
    const more = running.length > 4 ? ` +${running.length - 4}` : '';
    const next = paint(
      stream,
      'gray',
      `▸ ${formatDuration(Date.now() - started)}  ${running.length > 0 ? `running ${names}${more}` : ''}`,
    );
    stream.write(`\r\x1b[K${next}`);
    status = next;
  };

  const onLog = (line: LogEntry) => {
    if (line.executionId !== executionId) return;
    const time = paint(stream, 'gray', line.timestamp.slice(11, 23));
    const level = paint(stream, LEVEL_STYLE[line.level], line.level.padEnd(5));
    const task = line.taskId ? paint(stream, 'bold', `${line.taskId} `) : '';
    for (const text of line.message.split('\n')) write(`${time} ${level} ${task}${text}`);
  };
  const onExecution = (execution: Execution) => {
    if (execution.id !== executionId) return;
    for (const run of execution.taskRunList) {
      const before = states.get(run.id);
      const now = run.state.current;
      if (before === now) continue;
      states.set(run.id, now);
      if (isTerminal(now)) {
        write(
          `  ${stateLabel(stream, now)}  ${runLabel(run)}  ${paint(stream, 'gray', formatDuration(durationOf(run.state)))}`,
        );
      } else if (now === 'PAUSED') {
        write(
          `  ${stateLabel(stream, now)}  ${runLabel(run)}  (waiting to be resumed; Ctrl-C kills the execution)`,
        );
      }
    }
    running = execution.taskRunList.filter((r) => r.state.current === 'RUNNING' && r.attempts.length > 0);
    drawStatus();
  };

  runtime.on('log', onLog);
  runtime.on('execution', onExecution);
  const ticker = tty ? setInterval(drawStatus, 250) : undefined;
  return () => {
    runtime.off('log', onLog);
    runtime.off('execution', onExecution);
    if (ticker) clearInterval(ticker);
    if (tty && status) stream.write('\r\x1b[K');
    status = '';
  };
}

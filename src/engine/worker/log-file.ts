/**
 * `logToFile: true`: an attempt's log lines go to a file in internal storage instead of the log
 * store, as in Kestra, and the attempt carries the file's URI (`logFile`).
 */
import type { ExecutionFilesScope, InternalStorage } from '../../storage/contract.js';
import type { LogEntry } from '../model.js';

/** The log lines of one attempt, kept until the attempt ends and then saved as one file. */
export class AttemptLogFile {
  private readonly lines: string[] = [];

  /** Adds a line (already masked): `<ISO date> <LEVEL> <message>`. */
  add(level: LogEntry['level'], message: string): void {
    this.lines.push(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  }

  /** Writes the file next to the task run's other files and returns its `kestra://` URI. */
  async save(
    storage: InternalStorage,
    scope: ExecutionFilesScope,
    taskId: string,
    taskRunId: string,
    attempt: number,
  ): Promise<string> {
    const uri = storage.taskRunFileUri(scope, taskId, taskRunId, `attempt-${attempt}.log`);
    await storage.put(uri, this.lines.join(''));
    return uri;
  }
}

/**
 * dbt's structured logs (`--log-format json`, which the dbt tasks add to each dbt command):
 * one JSON object a line, `{"info": {"level", "msg", …}, "data": {…}}` since dbt 1.5 and
 * `{"level", "msg", …}` before. Each is logged as its message at its level, as Kestra's dbt
 * plugin does; a `warn` line ends the task in WARNING.
 */
import { isRecord } from '../../api.js';
import type { LogLevel, TaskLogger } from '../../api.js';

const LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  warning: 'WARN',
};

/** How many of dbt's error lines are kept to explain a failure. */
const KEPT_ERRORS = 5;

/** Reads dbt's JSON log lines of one run. */
export class DbtLogReader {
  /** Whether dbt logged a warning. */
  warning = false;
  /** The last error lines dbt logged, oldest first. */
  readonly errors: string[] = [];

  constructor(private readonly logger: TaskLogger) {}

  /** Logs a dbt JSON log line; false for any other line. */
  accept(line: string): boolean {
    const text = line.trim();
    if (!text.startsWith('{') || !text.endsWith('}')) return false;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return false;
    }
    if (!isRecord(entry)) return false;
    const info = isRecord(entry.info) ? entry.info : entry;
    if (typeof info.level !== 'string') return false;
    const level = LEVELS[info.level.toLowerCase()] ?? 'ERROR';
    const message = typeof info.msg === 'string' ? info.msg.replace(/\s+$/, '') : '';
    if (level === 'WARN') this.warning = true;
    if (message === '') return true;
    this.logger.log(level, message);
    if (level === 'ERROR') {
      this.errors.push(message);
      if (this.errors.length > KEPT_ERRORS) this.errors.shift();
    }
    return true;
  }
}

/**
 * Kestra's script protocol: an output line that is exactly `::` + a JSON object + `::` sends
 * `outputs` (merged into the task's `vars`), `metrics` and `logs` instead of being logged.
 */
import { isRecord } from '../../api.js';
import type { LogLevel, TaskLogger } from '../../api.js';

/** What the protocol lines of one run sent. */
export class ProtocolReader {
  /** `outputs` of every protocol line, merged (a later key wins). */
  readonly vars: Record<string, unknown> = {};

  constructor(private readonly logger: TaskLogger) {}

  /** Handles a protocol line; false when the line is plain output to log. */
  accept(line: string): boolean {
    const text = line.trim();
    if (!text.startsWith('::{') || !text.endsWith('}::')) return false;
    let message: unknown;
    try {
      message = JSON.parse(text.slice(2, -2));
    } catch {
      return false;
    }
    if (!isRecord(message)) return false;
    if (isRecord(message.outputs)) Object.assign(this.vars, message.outputs);
    if (Array.isArray(message.metrics)) for (const metric of message.metrics) this.metric(metric);
    if (Array.isArray(message.logs)) for (const log of message.logs) this.log(log);
    return true;
  }

  private metric(metric: unknown): void {
    // There is no metrics store yet: metrics are kept in the task's log, at DEBUG.
    if (!isRecord(metric)) return;
    const tags =
      isRecord(metric.tags) && Object.keys(metric.tags).length > 0 ? ` ${JSON.stringify(metric.tags)}` : '';
    const type = typeof metric.type === 'string' ? metric.type : 'counter';
    const unit = type === 'timer' ? ' s' : '';
    this.logger.debug(`Metric ${text(metric.name)} (${type}): ${text(metric.value)}${unit}${tags}`);
  }

  private log(entry: unknown): void {
    if (!isRecord(entry)) return;
    const message = text(entry.message);
    this.logger.log(levelOf(entry.level), message);
  }
}

const LEVELS: Readonly<Record<string, LogLevel>> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  CRITICAL: 'ERROR',
  FATAL: 'ERROR',
};

/** A log level sent by a script; INFO when unknown. */
function levelOf(level: unknown): LogLevel {
  return (typeof level === 'string' && LEVELS[level.toUpperCase()]) || 'INFO';
}

/** A value sent by a script, as text. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

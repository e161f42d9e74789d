/** The rows of the log view: filtered lines, optionally grouped under a header per task run. */
import type { LogEntry } from '../../api/types';

export const LEVELS: readonly LogEntry['level'][] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const RANK: Record<LogEntry['level'], number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** A row: a task run's header, or a line (with its index in the full list, for expanding). */
export type LogItem =
  | { kind: 'group'; key: string; taskId: string; count: number }
  | { kind: 'line'; key: number; line: LogEntry };

export interface LogFilters {
  minLevel: LogEntry['level'];
  search: string;
  grouped: boolean;
  /** Only the lines of this task run (chosen in the Gantt). */
  taskRunId?: string | undefined;
}

/** The rows to show for `lines` under `filters` (search is case-insensitive on the message and task). */
export function logItems(lines: readonly LogEntry[], filters: LogFilters): LogItem[] {
  const needle = filters.search.trim().toLowerCase();
  const min = RANK[filters.minLevel];
  const kept: Array<{ line: LogEntry; index: number }> = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (RANK[line.level] < min) continue;
    if (filters.taskRunId !== undefined && line.taskRunId !== filters.taskRunId) continue;
    if (
      needle &&
      !line.message.toLowerCase().includes(needle) &&
      !(line.taskId ?? '').toLowerCase().includes(needle)
    )
      continue;
    kept.push({ line, index });
  }
  if (!filters.grouped) return kept.map(({ line, index }) => ({ kind: 'line', key: index, line }));
  const groups = new Map<string, Array<{ line: LogEntry; index: number }>>();
  for (const entry of kept) {
    const key = entry.line.taskRunId ?? '(execution)';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(entry);
  }
  const items: LogItem[] = [];
  for (const [key, group] of groups) {
    items.push({ kind: 'group', key, taskId: group[0]!.line.taskId ?? 'execution', count: group.length });
    for (const { line, index } of group) items.push({ kind: 'line', key: index, line });
  }
  return items;
}

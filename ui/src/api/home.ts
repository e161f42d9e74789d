/**
 * What the home page reads besides executions and triggers: the store's counts per interval
 * and state, the slowest flows (docs/api.md, "Execution statistics"), and failures' first error lines.
 */
import { api } from './client';
import type { LogEntry, StateName } from './types';

/** Executions started in one interval now in one state. */
export interface TimelineCount {
  /** The interval's start (ISO-8601). */
  date: string;
  state: StateName;
  count: number;
}

/** GET /executions/statistics/timeline. */
export interface Timeline {
  startDate: string;
  endDate: string;
  interval: 'hour' | 'day';
  results: TimelineCount[];
}

/** One flow's durations over the window. */
export interface FlowDurations {
  namespace: string;
  flowId: string;
  executions: number;
  maxMs: number;
  avgMs: number;
}

/** Executions counted per hour or day (from `startDate`) and state. */
export function getTimeline(
  window: { startDate: string; endDate: string; interval: 'hour' | 'day' },
  signal?: AbortSignal,
): Promise<Timeline> {
  return api('/executions/statistics/timeline', { query: { ...window }, ...(signal ? { signal } : {}) });
}

/** The flows whose ended executions took longest in the window. */
export function getSlowestFlows(
  window: { startDate: string; endDate: string; limit: number },
  signal?: AbortSignal,
): Promise<{ results: FlowDurations[] }> {
  return api('/executions/statistics/slowest-flows', { query: { ...window }, ...(signal ? { signal } : {}) });
}

/** The first ERROR line of an execution (read by position in its own log, so it costs the same in any store). */
export async function firstErrorLine(executionId: string, signal?: AbortSignal): Promise<LogEntry | null> {
  const lines = await api<LogEntry[]>(`/logs/${encodeURIComponent(executionId)}`, {
    query: { minLevel: 'ERROR', limit: 1 },
    ...(signal ? { signal } : {}),
  });
  return lines[0] ?? null;
}

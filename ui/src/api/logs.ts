/** An execution's log lines: read by pages when it has ended, followed live while it runs. */
import { api } from './client';
import { followStream } from './sse';
import type { LogEntry } from './types';

/** Lines read per request when an execution's log is loaded by pages. */
export const LOG_PAGE_SIZE = 20_000;

/** One page of an execution's lines, in order (`offset`, `limit`: see GET /logs/{id}). */
export function getLogPage(executionId: string, offset: number, limit: number, signal?: AbortSignal) {
  return api<LogEntry[]>(`/logs/${encodeURIComponent(executionId)}`, {
    query: { offset, limit },
    ...(signal ? { signal } : {}),
  });
}

/** Reads every line of an ended execution page by page, handing each page over as it arrives. */
export async function readAllLogs(
  executionId: string,
  onPage: (lines: LogEntry[]) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let offset = 0; ; offset += LOG_PAGE_SIZE) {
    const lines = await getLogPage(executionId, offset, LOG_PAGE_SIZE, signal);
    if (lines.length > 0) onPage(lines);
    if (lines.length < LOG_PAGE_SIZE) return;
  }
}

/** Follows a running execution's log (the lines so far, then each new one) until it ends. */
export function followLogs(
  executionId: string,
  onLines: (lines: LogEntry[]) => void,
  signal: AbortSignal,
): Promise<void> {
  return followStream(
    `/logs/${encodeURIComponent(executionId)}/follow`,
    (messages) => onLines(messages.map((message) => JSON.parse(message.data) as LogEntry)),
    { signal },
  );
}

/** The URL path of an execution's log as a text file. */
export const logDownloadPath = (executionId: string) => `/logs/${encodeURIComponent(executionId)}/download`;

/** An execution's log lines: read by pages when it has ended, followed live while it runs. */
import { apiFetch } from './client';
import { followStream } from './sse';
import type { LogEntry } from './types';

/** Lines of the first page (small, so the first lines show at once), then of the next ones. */
export const FIRST_LOG_PAGE = 5_000;
export const LOG_PAGE = 50_000;

/** One page of an execution's lines after the cursor `after`; the next page's cursor. */
export async function getLogPage(
  executionId: string,
  limit: number,
  after: string | undefined,
  signal?: AbortSignal,
): Promise<{ lines: LogEntry[]; cursor: string | undefined }> {
  const response = await apiFetch(`/logs/${encodeURIComponent(executionId)}`, {
    query: { limit, after },
    ...(signal ? { signal } : {}),
  });
  const lines = (await response.json()) as LogEntry[];
  return { lines, cursor: response.headers.get('x-log-cursor') ?? undefined };
}

/** Reads every line of an ended execution page by page, handing each page over as it arrives. */
export async function readAllLogs(
  executionId: string,
  onPage: (lines: LogEntry[]) => void,
  signal: AbortSignal,
): Promise<void> {
  let after: string | undefined;
  for (let limit = FIRST_LOG_PAGE; ; limit = LOG_PAGE) {
    const page = await getLogPage(executionId, limit, after, signal);
    if (page.lines.length > 0) onPage(page.lines);
    if (page.lines.length < limit || page.cursor === undefined) return;
    after = page.cursor;
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

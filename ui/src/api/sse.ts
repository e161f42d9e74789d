/**
 * Server-sent events read with `fetch` and a stream reader: EventSource cannot send the
 * credentials header the API needs. Messages carry Kestra's `id:` (`progress`, `end`), an
 * optional `event:` and the `data:` lines joined.
 */
import { apiFetch } from './client';
import type { RequestOptions } from './client';

/** One message of an event stream. */
export interface StreamMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Splits buffered text into complete messages; returns them and the unfinished rest. */
export function parseEventStream(buffer: string): { messages: StreamMessage[]; rest: string } {
  const messages: StreamMessage[] = [];
  const normalized = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | undefined;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'event') event = value;
    }
    if (data.length > 0)
      messages.push({
        ...(id !== undefined ? { id } : {}),
        ...(event ? { event } : {}),
        data: data.join('\n'),
      });
  }
  return { messages, rest };
}

/**
 * Reads an event stream until the server closes it (resolves) or `signal` aborts (rejects with
 * AbortError). `onMessages` gets the messages of each chunk together, so a backlog of thousands
 * of lines costs one render per chunk rather than one per line.
 */
export async function followStream(
  path: string,
  onMessages: (messages: StreamMessage[]) => void,
  options: Pick<RequestOptions, 'query' | 'signal'> = {},
): Promise<void> {
  const response = await apiFetch(path, options);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const { messages, rest } = parseEventStream(buffer);
    buffer = rest;
    if (messages.length > 0) onMessages(messages);
  }
  const { messages } = parseEventStream(`${buffer}\n\n`);
  if (messages.length > 0) onMessages(messages);
}

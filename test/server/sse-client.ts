/** A minimal server-sent-events reader over fetch, for real-HTTP tests. */

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Parses the messages of an event-stream text (comments skipped). */
export function parseSse(text: string): SseMessage[] {
  const messages: SseMessage[] = [];
  for (const block of text.split('\n\n')) {
    const data: string[] = [];
    const message: Partial<SseMessage> = {};
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
    }
    if (data.length > 0) messages.push({ ...message, data: data.join('\n') });
  }
  return messages;
}

/** Reads a stream to its end (the server closes it) and returns its messages. */
export async function readAllEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseMessage[]> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return parseSse(await response.text());
}

/** Opens a stream and reads until `until` holds for the messages so far; then the caller may abort. */
export async function readEventsUntil(
  url: string,
  until: (messages: SseMessage[]) => boolean,
  signal: AbortSignal,
): Promise<SseMessage[]> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return parseSse(text);
    text += decoder.decode(value, { stream: true });
    const messages = parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2));
    if (until(messages)) return messages;
  }
}

/**
 * Server-sent events on a Fastify reply: the stream is taken over from Fastify, messages are
 * written as `id:`/`event:`/`data:` lines, a comment every 15 s keeps proxies from closing an
 * idle stream, and `onClose` runs once, whether the server ended the stream or the client left.
 */
import type { FastifyReply } from 'fastify';

const HEARTBEAT_MS = 15_000;

/** An open event stream. */
export interface EventStream {
  /** Writes one message (data is JSON-encoded unless it is a string). */
  send(message: { data: unknown; id?: string; event?: string }): void;
  /** Ends the stream (runs the close handlers). */
  end(): void;
  /** Runs when the stream ends, from either side. */
  onClose(handler: () => void): void;
  readonly closed: boolean;
}

/** Starts an event stream on a request's reply (the route must not send anything else). */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(':ok\n\n');
  const handlers: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => raw.write(':\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const handler of handlers.splice(0)) handler();
  };
  // The response's close, not the request's: a GET request's stream may close once read.
  raw.on('close', close);
  return {
    send({ data, id, event }) {
      if (closed) return;
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      let message = '';
      if (id !== undefined) message += `id: ${id}\n`;
      if (event !== undefined) message += `event: ${event}\n`;
      for (const line of text.split('\n')) message += `data: ${line}\n`;
      raw.write(`${message}\n`);
    },
    end() {
      if (closed) return;
      close();
      raw.end();
    },
    onClose(handler) {
      if (closed) handler();
      else handlers.push(handler);
    },
    get closed() {
      return closed;
    },
  };
}

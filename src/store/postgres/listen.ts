/**
 * Wake-ups without polling: a LISTEN on its own connection (a pooled one would be handed to
 * other queries). The schema's triggers NOTIFY when executor events or claimable jobs are
 * committed; the listener calls `onWake`, and the waiter reads the store. A notification may be
 * spurious or folded with others: it means "look", never "only this one". One of events carries
 * the events its statement queued (migration 5) when they fit: an executor leasing their
 * execution may step them without reading them back (the commit checks they are still there).
 * When the connection drops (server restart), the listener reconnects and wakes its waiter
 * once, since notifications sent meanwhile are lost.
 */
import pg from 'pg';
import type { StoredEvent } from '../contract.js';
import { WAKE_CHANNELS } from './migrations.js';

/** What a process can wait for. */
export type WakeTopic = keyof typeof WAKE_CHANNELS;

/** A running LISTEN. */
export interface Listener {
  /** Stops listening and closes its connection. */
  close(): Promise<void>;
}

/** Options of listen. */
export interface ListenOptions {
  /** Milliseconds between reconnection attempts after the connection drops (default 1000). */
  retryMs?: number;
  /**
   * Told of a lost connection and of each failed reconnection (default: a line on stderr for the
   * loss, then at most one per 10 s while reconnecting fails, and one when it is back).
   */
  onError?: (error: Error) => void;
}

/** Least time between two default reports of one outage: a restart may take minutes. */
const REPORT_INTERVAL_MS = 10_000;

/**
 * The default reports: one line per outage, not one per attempt (an attempt a second), and its
 * end. Returns the reporter and what to call once reconnected.
 */
function throttledWarnings(): { report: (error: Error) => void; reconnected: () => void } {
  let since: number | undefined;
  let reportedAt = 0;
  let failures = 0;
  return {
    report(error) {
      const now = Date.now();
      since ??= now;
      failures++;
      if (failures > 1 && now - reportedAt < REPORT_INTERVAL_MS) return;
      reportedAt = now;
      console.warn(`postgres listener: ${error.message.split('\n')[0]}; reconnecting every second`);
    },
    reconnected() {
      if (since === undefined) return;
      console.warn(`postgres listener: listening again after ${((Date.now() - since) / 1000).toFixed(1)} s`);
      since = undefined;
      failures = 0;
      reportedAt = 0;
    },
  };
}

/** The events a notification of `events` carries, if any (an empty payload only wakes). */
export function eventsOfPayload(payload: string | undefined): StoredEvent[] | undefined {
  if (!payload) return undefined;
  try {
    const rows = JSON.parse(payload) as Array<{
      seq: number;
      executionId: string;
      event: StoredEvent['event'];
    }>;
    return rows.map((row) => ({ seq: row.seq, executionId: row.executionId, event: row.event }));
  } catch {
    return undefined; // not ours to read: a plain wake-up
  }
}

/**
 * Listens for `topics` on the database at `url`, calling `onWake` on each notification, with
 * the events it carries for `events`.
 */
export async function listen(
  url: string,
  topics: readonly WakeTopic[],
  onWake: (topic: WakeTopic, events?: StoredEvent[]) => void,
  options: ListenOptions = {},
): Promise<Listener> {
  const retryMs = options.retryMs ?? 1000;
  const warnings = options.onError ? undefined : throttledWarnings();
  const report = options.onError ?? warnings!.report;
  const topicOf = new Map<string, WakeTopic>(topics.map((t) => [WAKE_CHANNELS[t], t]));
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const topic = topicOf.get(message.channel);
      if (topic === 'events') onWake(topic, eventsOfPayload(message.payload));
      else if (topic !== undefined) onWake(topic);
    });
    // 'error' then 'end' on a dropped connection: reconnect once, from 'end'.
    next.on('error', (error) => report(error));
    next.on('end', () => {
      if (closed || client !== next) return;
      client = undefined;
      scheduleReconnect();
    });
    try {
      await next.connect();
      for (const channel of topicOf.keys()) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    return next;
  };

  const scheduleReconnect = () => {
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        (next) => {
          if (closed) {
            void next.end().catch(() => {});
            return;
          }
          client = next;
          warnings?.reconnected();
          // Whatever was notified while disconnected is lost: look once.
          for (const topic of topicOf.values()) onWake(topic);
        },
        (error: unknown) => {
          report(error instanceof Error ? error : new Error(String(error)));
          if (!closed) scheduleReconnect();
        },
      );
    }, retryMs);
  };

  client = await connect();
  return {
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}

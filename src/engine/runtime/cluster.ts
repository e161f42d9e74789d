/**
 * What a runtime needs to know to share its store with other processes: its roles, its member
 * settings, where wake-ups come from, and how a process that does not execute sees an
 * execution end (in the store).
 */
import { hostname } from 'node:os';
import type { ClusterRole, StoredEvent } from '../../store/contract.js';
import { newId } from '../ids.js';
import type { Execution } from '../model.js';
import { isTerminal } from '../model.js';

/** The parts of the runtime a process runs. */
export interface RuntimeRoles {
  /** Steps executions (events → steps), fires timers, admits, recovers. */
  executor: boolean;
  /** Runs task runs (claims jobs). */
  worker: boolean;
}

/** A runtime's place in its cluster. */
export interface ClusterOptions {
  /** Member id, unique per process start. Default: host, pid and a random part. */
  id?: string;
  /** The roles reported (a server adds `scheduler`, `webserver`). Default: the runtime's. */
  roles?: ClusterRole[];
  /** Milliseconds between heartbeats (default 2000). */
  heartbeatMs?: number;
  /** A member silent this long is dead: its jobs and executions are handed on (default 30000). */
  memberTimeoutMs?: number;
  /**
   * The only process of its store (SQLite, whose file is locked): at start, what a previous
   * process held is free at once rather than after the member timeout. Default true.
   */
  exclusive?: boolean;
}

/** What a process can be woken for. */
export type WakeTopic = 'events' | 'jobs' | 'transitions' | 'flows';

/**
 * Calls `onWake` when another process committed something of a topic (PostgreSQL LISTEN); for
 * `events`, with the events committed when the wake-up carries them.
 */
export type WakeSource = (
  topics: readonly WakeTopic[],
  onWake: (topic: WakeTopic, events?: StoredEvent[]) => void,
) => Promise<{ close(): Promise<void> }>;

/** Sleep of a loop with no wake-up source: other processes' work is seen within this. */
export const POLL_MS = 1000;
/** Sleep of a loop that is woken by other processes: a backstop only. */
export const WOKEN_POLL_MS = 5000;

/** ClusterOptions with the defaults applied. */
export function resolveCluster(
  options: ClusterOptions | undefined,
  roles: RuntimeRoles,
): Required<Omit<ClusterOptions, 'id'>> {
  return {
    roles: options?.roles ?? [
      ...(roles.executor ? (['executor'] as const) : []),
      ...(roles.worker ? (['worker'] as const) : []),
    ],
    heartbeatMs: options?.heartbeatMs ?? 2000,
    memberTimeoutMs: options?.memberTimeoutMs ?? 30_000,
    exclusive: options?.exclusive ?? true,
  };
}

/** A member id: readable (host, pid) and unique per start. */
export function defaultMemberId(): string {
  return `${hostname()}-${process.pid}-${newId().slice(-6)}`;
}

/** How often a process that does not execute looks for an execution's end. */
const END_POLL_MS = 100;

/** Resolves with the execution once the store shows it ended (rejects if it does not exist). */
export async function pollUntilEnded(
  read: () => Promise<Execution | undefined>,
  executionId: string,
): Promise<Execution> {
  for (;;) {
    const execution = await read();
    if (!execution) throw new Error(`Execution ${executionId} not found`);
    if (isTerminal(execution.state.current) && execution.control?.ended !== undefined) return execution;
    await new Promise((resolve) => setTimeout(resolve, END_POLL_MS));
  }
}

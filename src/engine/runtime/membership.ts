/**
 * A process's membership of the cluster: a heartbeat every `heartbeatMs` (which also brings a
 * worker the jobs to abort, when their execution was killed from another process), and, on
 * executors, the search for members silent for `memberTimeoutMs` whose work is handed on.
 * Leaving (graceful stop) hands back at once what the process still holds.
 */
import { hostname } from 'node:os';
import type { ClusterRole, ExpiredMembers, Store } from '../../store/contract.js';

export interface MembershipOptions {
  store: Store;
  id: string;
  roles: ClusterRole[];
  heartbeatMs: number;
  memberTimeoutMs: number;
  /** Whether this process looks for dead members (executors do). */
  expires: boolean;
  /** Facts reported at each heartbeat (worker slots, running jobs…). */
  info: () => Record<string, unknown>;
  /** Jobs this worker holds that were cancelled elsewhere. */
  onAbort: (jobIds: string[]) => void;
  /** Every job the store says this process holds (a worker compares them with what it runs). */
  onHeld: (jobIds: string[]) => Promise<void>;
  /** Members were found dead and their work handed back. */
  onExpired: (expired: ExpiredMembers) => Promise<void>;
}

/** Heartbeats within this many milliseconds of each other count as one failure report. */
const REPORT_EVERY_MS = 30_000;

export class Membership {
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private lastReport = 0;
  private stopped = true;

  constructor(private readonly options: MembershipOptions) {}

  /** Joins (a first heartbeat, which must succeed) and keeps beating. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.beat(true);
    this.timer = setInterval(() => {
      this.beating ??= this.beat(false).finally(() => (this.beating = undefined));
    }, this.options.heartbeatMs);
    this.timer.unref();
  }

  /** Stops beating and leaves: the jobs and executions it held are free for others at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    await this.options.store.leaveCluster(this.options.id).catch((error: unknown) => {
      // Not fatal: the others hand its work on once its heartbeats stop.
      console.error(`cluster: leaving failed (${message(error)}); others take over after the member timeout`);
    });
  }

  private async beat(first: boolean): Promise<void> {
    const { store, id, roles } = this.options;
    try {
      const reply = await store.heartbeat({
        id,
        roles,
        host: hostname(),
        pid: process.pid,
        startedAt: this.startedAt,
        info: this.options.info(),
      });
      if (reply.abortJobIds.length > 0) this.options.onAbort(reply.abortJobIds);
      await this.options.onHeld(reply.heldJobIds);
      if (!this.options.expires || this.stopped) return;
      const expired = await store.expireMembers(this.options.memberTimeoutMs);
      if (expired.members.length > 0 || expired.releasedJobs > 0 || expired.releasedExecutionIds.length > 0)
        await this.options.onExpired(expired);
    } catch (error) {
      if (first) throw error;
      const now = Date.now();
      if (now - this.lastReport >= REPORT_EVERY_MS) {
        this.lastReport = now;
        console.error(
          `cluster: heartbeat failed (${message(error)}); retrying every ${this.options.heartbeatMs} ms`,
        );
      }
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

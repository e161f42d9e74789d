/**
 * Which scheduler of a cluster fires: the one holding the store's `scheduler` lease. Every
 * scheduler process tries to take it every `ttl / 5`; the holder renews it. A holder that stops
 * renewing (dead, cut off from the store) loses it after the TTL, and stops firing itself a
 * third of the TTL before that, so two never fire at once while clocks agree within that margin.
 * Whatever the clocks, the store fences the trigger writes of a firing scheduler by the lease
 * (TriggerStateUpdate.fence): one that lost it without noticing (paused past it) commits nothing.
 */
import type { SchedulerCore } from './scheduler.js';

/** The lease the firing scheduler holds. */
export const SCHEDULER_LEASE = 'scheduler';

/** A scheduler's part in a cluster. */
export interface SchedulerCluster {
  /** Its member id (the lease holder). */
  memberId: string;
  /** Whether it may fire (a web server's scheduler only serves the trigger API). */
  fires: boolean;
  /** Lease duration in ms (default 15000). */
  leaseTtlMs?: number;
}

export class SchedulerLease {
  /** Until when (this process's clock) it may fire. */
  validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly ttlMs: number;

  constructor(
    private readonly core: SchedulerCore,
    private readonly cluster: SchedulerCluster,
  ) {
    this.ttlMs = cluster.leaseTtlMs ?? 15_000;
  }

  /** Holds the lease now (by this process's reckoning). */
  held(): boolean {
    return Date.now() < this.validUntil;
  }

  /** Tries once now, then keeps trying (or renewing). */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, this.ttlMs / 5);
    this.timer.unref();
  }

  /** The store refused a fenced write: another scheduler holds the lease. Stop firing at once. */
  lost(): void {
    if (!this.held()) return;
    this.validUntil = 0;
    this.core.lostLeadership();
  }

  /** Stops renewing and gives the lease up, for another scheduler to take at once. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (!this.held()) return;
    this.validUntil = 0;
    await this.core.store.releaseLease(SCHEDULER_LEASE, this.cluster.memberId).catch(() => {});
  }

  private async tick(): Promise<void> {
    const asked = Date.now();
    const before = this.held();
    try {
      const got = await this.core.store.acquireLease(SCHEDULER_LEASE, this.cluster.memberId, this.ttlMs);
      this.validUntil = got ? asked + (this.ttlMs * 2) / 3 : 0;
    } catch (error) {
      this.core.report('renewing the scheduler lease', error);
    }
    const now = this.held();
    if (now && !before) await this.core.becameLeader();
    else if (!now && before) this.core.lostLeadership();
  }
}

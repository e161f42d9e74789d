/**
 * The clock the scheduler reads and sleeps on. The real one is the system clock with unref'd
 * timers; tests give a controllable one (test/engine/scheduler/support.ts) to step through days.
 */

/** A pending sleep, to cancel. */
export type ClockTimer = { cancel(): void };

/** What the scheduler needs of time: reading it, and waking up after a delay. */
export interface SchedulerClock {
  now(): Date;
  /** Calls `wake` once after `ms` (of this clock's time). Default: an unref'd setTimeout. */
  setTimer?(wake: () => void, ms: number): ClockTimer;
}

/** The system clock. */
export const systemClock: Required<SchedulerClock> = {
  now: () => new Date(),
  setTimer: (wake, ms) => {
    const handle = setTimeout(wake, Math.max(0, ms));
    // A schedule alone must not keep the process alive.
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** The clock with its defaults filled in. */
export function completeClock(clock: SchedulerClock | undefined): Required<SchedulerClock> {
  if (!clock) return systemClock;
  return { now: () => clock.now(), setTimer: clock.setTimer?.bind(clock) ?? systemClock.setTimer };
}

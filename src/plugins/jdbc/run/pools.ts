/**
 * Connection pools shared by the task runs of one worker process: one per key (URL, user and
 * what else selects a distinct login), closed when no task has used it for a while.
 */

interface PoolEntry {
  pool: unknown;
  users: number;
  timer?: NodeJS.Timeout;
  close: () => Promise<void>;
}

const pools = new Map<string, PoolEntry>();

const DEFAULT_IDLE_MS = 60_000;

/**
 * The pool for `key`, opened with `open` on first use. Call `release` when done; the pool is
 * closed `idleMs` after its last release (the timer is unref'd: it never keeps a process alive).
 */
export function sharedPool<T>(
  key: string,
  open: () => T,
  close: (pool: T) => Promise<void>,
  idleMs: number = DEFAULT_IDLE_MS,
): { pool: T; release: () => void } {
  let entry = pools.get(key);
  if (!entry) {
    const pool = open();
    entry = { pool, users: 0, close: () => close(pool) };
    pools.set(key, entry);
  }
  const current = entry;
  clearTimeout(current.timer);
  current.timer = undefined;
  current.users++;
  let released = false;
  return {
    pool: current.pool as T,
    release: () => {
      if (released) return;
      released = true;
      current.users--;
      if (current.users > 0 || pools.get(key) !== current) return;
      current.timer = setTimeout(() => {
        if (current.users > 0 || pools.get(key) !== current) return;
        pools.delete(key);
        current.close().catch(() => {
          // Closing an idle pool can only fail on connections that are gone already.
        });
      }, idleMs);
      current.timer.unref();
    },
  };
}

/** Closes every pool now (tests, worker shutdown); pools in use are closed too. */
export async function closeAllPools(): Promise<void> {
  const entries = [...pools.values()];
  pools.clear();
  for (const entry of entries) clearTimeout(entry.timer);
  await Promise.allSettled(entries.map((entry) => entry.close()));
}

/** How many pools are open (for tests). */
export function openPoolCount(): number {
  return pools.size;
}

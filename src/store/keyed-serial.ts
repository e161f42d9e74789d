/**
 * Runs work one at a time per key, in the order asked, within a process (work of other keys
 * runs alongside). The stores' admission lock uses it: SQLite has no lock of its own, and
 * PostgreSQL's advisory locks are re-entrant within the one session a process locks on.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once the work queued before it for `key` has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }
}

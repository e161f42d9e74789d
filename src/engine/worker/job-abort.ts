/**
 * A running job's abort (kill, timeout, shutdown): the reason, listeners, and an AbortSignal
 * made only when something reads it. Most tasks never do, and an AbortSignal with a listener
 * added and removed cost more than the rest of a quick task's bookkeeping (issue 22).
 */

/** Why a job was aborted. */
export type AbortReason = { kind: 'kill' } | { kind: 'timeout'; label: string } | { kind: 'shutdown' };

export class JobAbort {
  private controller: AbortController | undefined;
  private readonly listeners = new Set<(reason: AbortReason) => void>();
  private abortReason: AbortReason | undefined;

  /** Why it was aborted; undefined while it was not. */
  get reason(): AbortReason | undefined {
    return this.abortReason;
  }

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** A signal for the task (fetch, child processes), aborted with the job; made on first read. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts the job; the first reason stands, as with an AbortController. */
  abort(reason: AbortReason): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    for (const listener of [...this.listeners]) listener(reason);
  }

  /** Calls `listener` when the job is aborted (not if it was already); returns its removal. */
  onAbort(listener: (reason: AbortReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

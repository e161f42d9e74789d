/**
 * Reporting a failure that repeats while something it depends on is down (the store during a
 * database restart): a loop retrying every few hundred milliseconds would otherwise write a line,
 * or a stack, per attempt. The first failure is reported at once, then at most one line per
 * interval with the count since, and one line when it works again, with how long it failed.
 */

/** One line for an error: its message (first line) and driver code, never its stack. */
export function oneLineError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0]!;
  // pg errors carry the server's SQLSTATE (57P01: terminated by an administrator) in `code`.
  const code = (error as { code?: unknown }).code;
  const message = (error.message || error.name).split('\n')[0]!;
  return typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message;
}

/** A failing operation's reports, throttled. */
export class RepeatedFailure {
  private failures = 0;
  private since = 0;
  private reportedAt = 0;
  private unreported = 0;

  /**
   * @param what what failed, as the line starts (`executor: reading events`)
   * @param intervalMs least time between two reports of one outage
   */
  constructor(
    private readonly what: string,
    private readonly intervalMs = 10_000,
    private readonly write: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Consecutive failures so far (0 once it worked again): callers base their backoff on it. */
  get count(): number {
    return this.failures;
  }

  /** An attempt failed: reports it if it is the first, or the last report is old enough. */
  failed(error: unknown): void {
    const now = Date.now();
    this.failures++;
    if (this.failures === 1) this.since = now;
    if (this.failures > 1 && now - this.reportedAt < this.intervalMs) {
      this.unreported++;
      return;
    }
    const more = this.unreported > 0 ? ` (and ${this.unreported} more failures since the last report)` : '';
    this.write(`${this.what} failed: ${oneLineError(error)}${more}; retrying`);
    this.reportedAt = now;
    this.unreported = 0;
  }

  /** An attempt worked: if it followed failures, says so once. */
  succeeded(): void {
    if (this.failures === 0) return;
    const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
    this.write(`${this.what} works again after ${this.failures} failed attempts over ${seconds} s`);
    this.failures = 0;
    this.unreported = 0;
    this.reportedAt = 0;
  }
}

/**
 * Whether the server answers, as the last request found it: every request reports (any answer,
 * even an error, means it is up; a network failure means down), the banner reads it.
 */
let down = false;
const listeners = new Set<() => void>();

/** Called by the API client after each request. */
export function reportReachable(reachable: boolean): void {
  if (down === !reachable) return;
  down = !reachable;
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore. */
export function subscribeReachability(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isServerDown(): boolean {
  return down;
}

/**
 * How a server process's JavaScript heap grows: `lean` (the default) keeps it close to what it
 * holds, `fast` leaves V8's own sizing. Under a burst of executions V8 lets the old generation grow
 * to up to 4× its live data before a full collection and the young generation to 2 × 16 MB, and
 * keeps those pages long after the burst: a server holding ~50 MB of live objects sat at ~330 MB
 * resident after 10 s of 1,500 executions/s. `lean` caps the old generation's growth at 1.5× live
 * data and the young generation at its start size (measured: ~140 MB instead of 220–235 MB after
 * 10 s of ~700 executions/s, no measurable CPU cost, but a higher webhook latency at hundreds of
 * requests/s; bench/RESULTS.md, issue 22).
 */
import { setFlagsFromString } from 'node:v8';
import type { Worker } from 'node:worker_threads';

/** The heap sizing modes of `server.memory`. */
export const MEMORY_MODES = ['lean', 'fast'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

/**
 * The V8 flags of each mode. Both are read by the collector at each collection, so setting them
 * once the process runs takes effect (flags read only at start, like `--max-semi-space-size`, do
 * not: they would need `node` options, which `npx windhover` cannot pass).
 */
const FLAGS: Record<MemoryMode, readonly string[]> = {
  lean: [
    // The old generation may grow to 1.5× the data alive after the last full collection (V8: 1.1–4×).
    '--heap-growing-percent=50',
    // The young generation keeps its size (1–2 MB at start) instead of doubling up to 2 × 16 MB.
    '--semi-space-growth-factor=1',
  ],
  // V8's defaults, for a process that started lean (bin/windhover.js) and was then told `fast`.
  fast: ['--heap-growing-percent=0', '--semi-space-growth-factor=2'],
};

/**
 * Applies a memory mode to this process's heap. `bin/windhover.js` applies `lean` before loading
 * anything for `windhover server …` (loading the command line alone grows the young generation to
 * its 16 MB maximum); the server applies its configured mode again once it has read it.
 */
export function applyMemoryMode(mode: MemoryMode): void {
  current = mode;
  for (const flag of FLAGS[mode]) setFlagsFromString(flag);
}

/** The mode applied last; none in a process that is not a server. */
let current: MemoryMode | undefined;

/**
 * Applies the process's memory mode again once a worker thread is up: V8 configures each new
 * thread's heap with a growth factor of at least 2, process-wide (seen: the young generation of a
 * lean server grew to 2 × 8 MB right after the store's checkpoint thread started). Call it on every
 * Worker created; a collection between the thread's start and its 'online' event may still double
 * the young generation once.
 */
export function keepMemoryModeAcross(worker: Worker): void {
  const mode = current;
  if (mode !== undefined) worker.once('online', () => applyMemoryMode(mode));
}

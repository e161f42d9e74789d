/**
 * How a server process's JavaScript heap grows: `lean` (the default) keeps it close to what it
 * holds, `fast` leaves V8's own sizing. Under a burst of executions V8 lets the old generation grow
 * to up to 4× its live data before a full collection and the young generation to 2 × 16 MB, and
 * keeps those pages long after the burst: a server holding ~50 MB of live objects sat at ~330 MB
 * resident after 10 s of 1,500 executions/s. `lean` caps the old generation's growth at 1.5× live
 * data and the young generation at 4 MB instead of 32 MB (bench/RESULTS.md, issue 22: ~150 MB
 * instead of 220–235 MB after a 10 s burst).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
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
  // The old generation may grow to 1.5× the data alive after the last full collection (V8: 1.1–4×).
  // The young generation's growth is steered after each collection (steerYoungGeneration).
  lean: ['--heap-growing-percent=50'],
  // V8's defaults, for a process that started lean (bin/windhover.js) and was then told `fast`.
  fast: ['--heap-growing-percent=0', '--semi-space-growth-factor=2'],
};

/**
 * The young generation (both semi-spaces) a lean process may grow to: V8 starts it at 2 MB and
 * doubles it under load up to 32 MB. Held at 2 MB, a server spent ~36 % of its CPU collecting it
 * at ~750 executions/s and answered webhooks later on a slow host; each MB allowed is a MB of
 * resident memory under load (peers bench: ~150 MB after the load at 4 MB, ~158 at 8 MB, ~170 at
 * 16 MB). 4 MB halves the collections of 2 MB at the least memory (bench/RESULTS.md, issue 22).
 */
export const LEAN_YOUNG_GENERATION_BYTES = 4 * 1024 * 1024;

/**
 * Applies a memory mode to this process's heap. `bin/windhover.js` applies `lean` before loading
 * anything for `windhover server …` (loading the command line alone grows the young generation to
 * its 16 MB maximum); the server applies its configured mode again once it has read it.
 */
export function applyMemoryMode(mode: MemoryMode): void {
  current = mode;
  growthFactor = undefined;
  for (const flag of FLAGS[mode]) setFlagsFromString(flag);
  if (mode === 'lean') {
    steerYoungGeneration();
    if (!gcObserver) {
      gcObserver = new PerformanceObserver(() => {
        if (current === 'lean') steerYoungGeneration();
      });
      gcObserver.observe({ entryTypes: ['gc'] });
    }
  }
}

/** The mode applied last; none in a process that is not a server. */
let current: MemoryMode | undefined;
/** The semi-space growth factor set last in lean mode (undefined: not set since the mode was applied). */
let growthFactor: 1 | 2 | undefined;
let gcObserver: PerformanceObserver | undefined;

/**
 * Lets the young generation double (V8's factor 2) while it is below LEAN_YOUNG_GENERATION_BYTES
 * and keeps it at its size (factor 1) from there. V8 decides on growth at each scavenge, so this
 * runs after each collection; its sizes are powers of two, so it stops exactly at the cap.
 */
function steerYoungGeneration(): void {
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  const factor = young && young.space_size < LEAN_YOUNG_GENERATION_BYTES ? 2 : 1;
  if (factor !== growthFactor) {
    growthFactor = factor;
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  }
}

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

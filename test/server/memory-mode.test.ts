import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEAN_YOUNG_GENERATION_BYTES } from '../../src/memory-mode.js';

const CHURN = fileURLToPath(new URL('../fixtures/memory-mode/heap-churn.ts', import.meta.url));

interface HeapSpaces {
  newSpace: number;
  /** The largest the old generation got during the churn. */
  oldSpace: number;
}

/** The heap spaces of a fresh process that ran the same allocation pattern under a memory mode. */
function heapAfterChurn(mode: 'lean' | 'fast', thread = false): HeapSpaces {
  const args = [CHURN, mode, '40', ...(thread ? ['thread'] : [])];
  const out = execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8' });
  return JSON.parse(out) as HeapSpaces;
}

const MB = 1024 * 1024;

describe('server memory mode', () => {
  it('lean grows the young generation to its cap, not beyond, and keeps the old one near its live data; fast lets both grow', () => {
    const lean = heapAfterChurn('lean');
    const fast = heapAfterChurn('fast');
    // V8's own sizing doubles the young generation from 2 MB up to 2 × 16 MB under this churn.
    expect(fast.newSpace).toBe(32 * MB);
    // Lean lets it grow as far as its cap (held at 2 MB it cost webhook latency), then holds it.
    expect(lean.newSpace).toBe(LEAN_YOUNG_GENERATION_BYTES);
    expect(LEAN_YOUNG_GENERATION_BYTES).toBeLessThan(32 * MB);
    // Up to ~60 MB stay alive at once; fast let the old generation reach ~175 MB before a full
    // collection, lean ~110 MB (measured on this machine).
    expect(lean.oldSpace).toBeLessThan(fast.oldSpace * 0.8);
  }, 60_000);

  it('lean holds after a worker thread starts (V8 resets the growth factor for each new thread)', () => {
    expect(heapAfterChurn('lean', true).newSpace).toBe(LEAN_YOUNG_GENERATION_BYTES);
  }, 60_000);
});

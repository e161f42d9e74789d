/**
 * Cron precision: 20 flows, each with a `* * * * * *` Schedule (withSeconds), for 2 minutes on
 * the real clock, with a real runtime (SQLite store, worker) in a temp folder. For each slot of
 * the measured window: fire lag (the execution committed − its slot), and missed or duplicate
 * slots. Goal: p99 < 50 ms, none missed or duplicated.
 * Run: npm run bench:cron [-- --seconds N --flows N] — compiled first (tsconfig.bench.json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployFlow, openLocal } from '../src/engine/runtime/index.js';
import { createScheduler } from '../src/engine/scheduler/index.js';
import type { Execution } from '../src/engine/model.js';
import { catalog } from '../src/plugins/registry.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const seconds = option('--seconds', 120);
const flowCount = option('--flows', 20);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function flowSource(i: number): string {
  return `id: tick_${i}
namespace: bench.cron
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: every_second
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * * *"
    withSeconds: true
`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-cron-'));
  const setup = await openLocal(dir, { catalog });
  await setup.runtime.start();
  for (let i = 0; i < flowCount; i++) await deployFlow(setup.store, flowSource(i), undefined, catalog);

  // When each execution was first committed (the runtime emits after the commit).
  const created = new Map<string, { flowId: string; slot: number; at: number }>();
  setup.runtime.on('execution', (execution: Execution) => {
    if (created.has(execution.id) || !execution.trigger) return;
    const date = execution.trigger.variables.date;
    if (typeof date !== 'string') return;
    created.set(execution.id, { flowId: execution.flowId, slot: Date.parse(date), at: Date.now() });
  });

  // Baseline in the same process: a bare setTimeout aimed at each half second (between the
  // slots, so as not to queue behind their firing): the floor of timer precision under the
  // same load, with no scheduler work.
  const timerLags: number[] = [];
  let baselineOn = true;
  const aim = () => {
    const target = Math.ceil((Date.now() + 1 - 500) / 1000) * 1000 + 500;
    setTimeout(() => {
      timerLags.push(Date.now() - target);
      if (baselineOn) aim();
    }, target - Date.now());
  };
  aim();

  const scheduler = createScheduler({ runtime: setup.runtime, store: setup.store, catalog });
  await scheduler.start();
  // The window: whole seconds from 2 s after start, for `seconds` seconds.
  const from = Math.ceil(Date.now() / 1000) * 1000 + 2000;
  const to = from + (seconds - 1) * 1000;
  await new Promise((resolve) => setTimeout(resolve, to - Date.now() + 1500));
  baselineOn = false;
  await scheduler.stop();
  await setup.close(5_000);
  rmSync(dir, { recursive: true, force: true });

  const lags: number[] = [];
  const perSlot = new Map<string, number>();
  for (const record of created.values()) {
    if (record.slot < from || record.slot > to) continue;
    lags.push(record.at - record.slot);
    const key = `${record.flowId}@${record.slot}`;
    perSlot.set(key, (perSlot.get(key) ?? 0) + 1);
  }
  let missed = 0;
  let duplicates = 0;
  for (let i = 0; i < flowCount; i++) {
    for (let slot = from; slot <= to; slot += 1000) {
      const count = perSlot.get(`tick_${i}@${slot}`) ?? 0;
      if (count === 0) missed++;
      if (count > 1) duplicates += count - 1;
    }
  }
  // Per second: the first execution's lag (the wake-up delay) and the last one's (plus firing 20).
  const bySlot = new Map<number, number[]>();
  for (const record of created.values()) {
    if (record.slot < from || record.slot > to) continue;
    bySlot.set(record.slot, [...(bySlot.get(record.slot) ?? []), record.at - record.slot]);
  }
  const firstLags = [...bySlot.values()].map((l) => Math.min(...l)).sort((a, b) => a - b);
  const spreads = [...bySlot.values()].map((l) => Math.max(...l) - Math.min(...l)).sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const result = {
    machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}`,
    flows: flowCount,
    seconds,
    expectedSlots: flowCount * seconds,
    fired: lags.length,
    missed,
    duplicates,
    lagMs: {
      median: percentile(lags, 50),
      p99: percentile(lags, 99),
      max: lags.at(-1) ?? NaN,
      min: lags[0] ?? NaN,
    },
    baselineTimerLagMs: {
      median: percentile(
        timerLags.sort((a, b) => a - b),
        50,
      ),
      p99: percentile(timerLags, 99),
      max: timerLags.at(-1) ?? NaN,
    },
    wakeLagMs: {
      median: percentile(firstLags, 50),
      p99: percentile(firstLags, 99),
      max: firstLags.at(-1) ?? NaN,
    },
    spreadPerSecondMs: {
      median: percentile(spreads, 50),
      p99: percentile(spreads, 99),
      max: spreads.at(-1) ?? NaN,
    },
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();

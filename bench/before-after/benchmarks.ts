/**
 * The benchmarks that existed before issue 22, how each is run in a checkout (the command its
 * `npm run bench:*` script runs, minus the build, which is done once per checkout), with options
 * that keep the default selection short, and the extractor of its headline numbers.
 */
import { join } from 'node:path';
import type { Extractor } from './metric.js';
import { extractCli } from './extract/cli.js';
import { extractCluster } from './extract/cluster.js';
import { extractEngine } from './extract/engine.js';
import { extractRender } from './extract/render.js';
import { extractScripts } from './extract/scripts.js';
import { extractStart } from './extract/start.js';
import { extractStore } from './extract/store.js';
import { extractUi } from './extract/ui.js';
import { extractValidate } from './extract/validate.js';
import { extractWebhook } from './extract/webhook.js';

/** What a benchmark's command may depend on. */
export interface RunContext {
  /** The head checkout: bench:cli did not exist at the base, so its script comes from here. */
  headDir: string;
  /** A port free now, for benchmarks that start a server on a fixed port by default. */
  port: number;
}

/** One benchmark: its name (for --only), the node arguments run in the checkout, its extractor. */
export interface Benchmark {
  name: string;
  args: (context: RunContext) => string[];
  extract: Extractor;
  /** In the default selection (kept under 15 minutes for --runs 2), or only with --only. */
  byDefault: boolean;
  /** Said under the table, e.g. where the base has no such benchmark. */
  note?: string;
}

const TSX = ['--import', 'tsx'];

export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'engine',
    args: () => ['bench/out/js/bench/engine.js', '--runs', '3'],
    extract: extractEngine,
    byDefault: true,
  },
  {
    name: 'store',
    args: () => [...TSX, 'bench/store.ts'],
    extract: extractStore,
    // Fails at the base and on main alike (VersionConflictError on its first measured commitSteps),
    // so it has nothing to compare until the benchmark itself is mended.
    byDefault: false,
    note: 'bench:store fails at the base and at head (VersionConflictError, executions changed concurrently: single-0)',
  },
  { name: 'render', args: () => [...TSX, 'bench/render.ts'], extract: extractRender, byDefault: true },
  {
    name: 'validate',
    args: () => [...TSX, 'bench/validate-flows.ts'],
    extract: extractValidate,
    byDefault: true,
  },
  {
    name: 'webhook',
    args: ({ port }) => [
      'bench/out/js/bench/webhook.js',
      '--rates',
      '500,1000',
      '--seconds',
      '5',
      '--port',
      String(port),
    ],
    extract: extractWebhook,
    byDefault: true,
  },
  {
    name: 'scripts',
    args: () => ['bench/out/js/bench/scripts.js', '--runs', '3'],
    extract: extractScripts,
    byDefault: true,
  },
  { name: 'start', args: () => [...TSX, 'bench/server-start.ts'], extract: extractStart, byDefault: true },
  {
    name: 'cli',
    // Run in each checkout (its bin/windhover.js and dist/ are what is timed), from head's script.
    args: ({ headDir }) => [...TSX, join(headDir, 'bench/cli-start.ts'), '--runs', '5'],
    extract: extractCli,
    byDefault: true,
    note: "bench:cli did not exist at the base: head's bench/cli-start.ts times each checkout's own build",
  },
  {
    name: 'cluster',
    args: () => ['bench/out/js/bench/cluster.js', '--only', 'chain', '--runs', '5', '--executions', '500'],
    extract: extractCluster,
    byDefault: true,
  },
  { name: 'ui-home', args: () => [...TSX, 'bench/ui-home.ts'], extract: extractUi, byDefault: true },
  { name: 'ui-logs', args: () => [...TSX, 'bench/ui-logs-page.ts'], extract: extractUi, byDefault: false },
  {
    name: 'ui-big-execution',
    args: () => [...TSX, 'bench/ui-big-execution.ts'],
    extract: extractUi,
    byDefault: true,
  },
];

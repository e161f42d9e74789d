/**
 * Windhover against a real peer, n8n 1.123 on SQLite, both servers running at once on this
 * machine and every measurement alternating between them: per-task overhead, executions/s with
 * 10 clients, RSS after the load and after idling, ready time, and a mixed flow both express.
 * n8n is installed on demand into ~/.cache/windhover-bench (see n8n.ts), never into the repository.
 *
 * Run: npm run bench:peers [-- --rounds 40 --warmup 10 --seconds 5 --throughput-rounds 2 --idle 30]
 *      npm run bench:peers -- --soak [--rate 500 --minutes 10]   (Windhover alone)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare } from './compare.js';
import type { Row } from './compare.js';
import { soak } from './soak.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;

function formatValue(value: number, unit: string): string {
  const digits = unit === 'ms' && value < 10 ? 3 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/** The table as Markdown: Windhover's advantage (how many times better) and whether the goal is met. */
function table(rows: Row[]): string {
  const lines = [
    '| | Windhover | n8n | Windhover better by | goal | met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const advantage = row.better === 'lower' ? row.n8n / row.windhover : row.windhover / row.n8n;
    const goal = row.goal === undefined ? '' : `≥ ${row.goal}×`;
    const met = row.goal === undefined ? '' : advantage >= row.goal ? 'yes' : 'no';
    lines.push(
      `| ${row.label} | ${formatValue(row.windhover, row.unit)} | ${formatValue(row.n8n, row.unit)} | ${advantage.toFixed(2)}× | ${goal} | ${met} |`,
    );
  }
  return lines.join('\n');
}

const root = mkdtempSync(join(tmpdir(), 'wh-bench-peers-'));
const keep = process.argv.includes('--keep');
console.log(`machine: ${machine}; load average before: ${load()}`);
try {
  if (process.argv.includes('--soak')) {
    const rate = Number(arg('rate', '500'));
    const seconds = Number(arg('minutes', '10')) * 60;
    console.log(`soak: ${rate} webhook executions/s for ${seconds} s on Windhover server local…`);
    const r = await soak(root, rate, seconds);
    const firstMinute = r.rss.find(([at]) => at >= 60) ?? r.rss[0]!;
    const end = r.rss.at(-1)!;
    const growth = ((end[1] - firstMinute[1]) / firstMinute[1]) * 100;
    console.log(
      `\nsent ${r.sent} in ${r.elapsedSeconds.toFixed(0)} s to the last answer (${(r.sent / r.elapsedSeconds).toFixed(0)}/s achieved, ${r.rate}/s asked), 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}${r.errors > 0 ? ` (${JSON.stringify(r.errorCodes)})` : ''}; ` +
        `answer p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
    );
    console.log(
      `executions in the store ${r.executions}, SUCCESS ${r.success} (${r.executions - r.success} not SUCCESS), all ended ${r.drainMs.toFixed(0)} ms after the load`,
    );
    // The ready probe made one execution: any more than the 2xx answers were accepted but unanswered.
    console.log(
      `executions beyond the 2xx answers and the ready probe: ${r.executions - 1 - r.ok} (a failed request that made none never reached the server's flow)`,
    );
    console.log(
      `RSS after ${firstMinute[0]} s: ${firstMinute[1].toFixed(0)} MB; at the end (${end[0]} s): ${end[1].toFixed(0)} MB; growth ${growth.toFixed(1)} % (goal ≤ 20 %)`,
    );
    console.log(`RSS samples (s:MB): ${r.rss.map(([at, mb]) => `${at}:${mb.toFixed(0)}`).join(' ')}`);
  } else {
    const result = await compare({
      root,
      rounds: Number(arg('rounds', '40')),
      warmup: Number(arg('warmup', '10')),
      clients: Number(arg('clients', '10')),
      seconds: Number(arg('seconds', '5')),
      throughputRounds: Number(arg('throughput-rounds', '2')),
      idleSeconds: Number(arg('idle', '30')),
    });
    console.log(
      `\nWindhover (this checkout, server local, SQLite) vs n8n ${result.n8nVersion} (SQLite); ${machine}\n`,
    );
    console.log(table(result.rows));
    for (const note of result.notes) console.log(`\n${note}`);
  }
} finally {
  console.log(`\nload average after: ${load()}`);
  if (keep) console.log(`folders kept in ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

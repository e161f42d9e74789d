/**
 * `npm run fuzz [-- --seed N] [--runs M]`: the fuzz suite of test/security/fuzz.test.ts with
 * requests other than CI's (which always draws seed 19). Without `--seed`, a random one, printed
 * first so that a failure can be replayed with it.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const seed = option('seed') ?? String(randomInt(1, 2 ** 31 - 1));
const runs = option('runs') ?? '2500';
if (!/^\d+$/.test(seed) || !/^\d+$/.test(runs)) {
  console.error('usage: npm run fuzz -- [--seed N] [--runs M] (whole numbers)');
  process.exit(2);
}
console.log(
  `fuzz: seed ${seed}, ${runs} requests (replay with: npm run fuzz -- --seed ${seed} --runs ${runs})`,
);
const run = spawnSync('npx', ['vitest', 'run', 'test/security/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, WINDHOVER_FUZZ_SEED: seed, WINDHOVER_FUZZ_RUNS: runs },
});
process.exit(run.status ?? 1);

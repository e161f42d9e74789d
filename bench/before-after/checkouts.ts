/**
 * The two checkouts compared: clones of this repository at a commit, in folders outside it,
 * installed (npm ci) and built once; a folder that is already ready for its commit is reused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Written last, so a folder interrupted while installing or building is prepared again. */
const READY_MARKER = '.before-after-ready';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** The full commit id of a commit-ish of the repository at `repo`. */
export function resolveCommit(repo: string, commitish: string): string {
  return git(repo, 'rev-parse', '--verify', `${commitish}^{commit}`);
}

/** The default folder for a commit: in the temporary folder, named by the commit so a second run finds it. */
export function defaultCheckoutDir(commit: string): string {
  return join(tmpdir(), `windhover-before-after-${commit.slice(0, 12)}`);
}

function step(log: (line: string) => void, cwd: string, command: string, args: string[]): void {
  log(`  ${cwd}: ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Makes `dir` a built checkout of `commit`: cloned from `repo` when missing (else fetched from it),
 * `npm ci` when it has no node_modules or its lock file changed since the commit it was last ready
 * at, then `npm run build` (dist/ and the UI) and the compiled benchmarks.
 */
export function prepareCheckout(
  repo: string,
  commit: string,
  dir: string,
  log: (line: string) => void,
): void {
  const marker = join(dir, READY_MARKER);
  const readyAt = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
  if (readyAt === commit) {
    log(`  ${dir}: ready at ${commit.slice(0, 12)}, reused`);
    return;
  }
  if (!existsSync(dir)) step(log, tmpdir(), 'git', ['clone', '--quiet', '--no-checkout', repo, dir]);
  // A folder cloned earlier lacks the commits made since.
  else step(log, dir, 'git', ['fetch', '--quiet', repo, '+refs/heads/*:refs/remotes/origin/*']);
  step(log, dir, 'git', ['checkout', '--quiet', '--detach', commit]);
  // Installed again when the lock file moved since the commit the folder was last ready at.
  const lockMoved =
    readyAt !== undefined &&
    git(dir, 'diff', '--name-only', readyAt, commit, '--', 'package-lock.json') !== '';
  if (!existsSync(join(dir, 'node_modules')) || lockMoved)
    step(log, dir, 'npm', ['ci', '--no-audit', '--no-fund']);
  step(log, dir, 'npm', ['run', 'build']);
  step(log, dir, 'npx', ['tsc', '-p', 'tsconfig.bench.json']);
  writeFileSync(marker, `${commit}\n`);
}

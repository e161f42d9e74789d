/**
 * Cloning as the Git tasks do it: a branch or tag (`--branch`), optionally a commit checked out
 * afterwards, shallow to `depth` commits. Shared by Clone and the Sync/Push tasks.
 */
import { readdir } from 'node:fs/promises';
import { ErrorCodes } from '../api.js';
import type { GitSession } from './git-command.js';
import { gitFailure } from './git-errors.js';

export interface CloneRequest {
  /** A branch or a tag; the remote's default branch when not given. */
  branch?: string;
  /** A commit to check out (full or abbreviated SHA-1). */
  commit?: string;
  /** Commits of history to fetch; everything when not given. */
  depth?: number;
  cloneSubmodules?: boolean;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

/** Clones the session's remote into `directory` (missing or empty). Answers the commit checked out. */
export async function cloneRepository(
  git: GitSession,
  directory: string,
  request: CloneRequest,
): Promise<string> {
  const entries = await readdir(directory).catch(() => []);
  if (entries.length > 0)
    throw gitFailure(
      ErrorCodes.GIT_FAILED,
      `Cannot clone into \`${directory}\`: the folder is not empty; set \`directory\` to a new folder name`,
    );
  const { branch, commit, depth } = request;
  const what = `Cloning ${git.shownUrl}${branch ? ` (${branch})` : ''}`;
  const args = ['clone', '--quiet'];
  if (commit) args.push('--no-checkout');
  if (depth !== undefined && !(commit && !FULL_SHA.test(commit))) args.push(`--depth=${depth}`);
  if (branch) args.push('--branch', branch);
  if (request.cloneSubmodules && !commit) args.push('--recurse-submodules');
  args.push('--', git.remote.url, directory);
  await git.run(args, process.cwd(), what);
  if (commit) await checkoutCommit(git, directory, commit, depth, request.cloneSubmodules === true);
  return (await git.run(['rev-parse', 'HEAD'], directory, 'Reading the cloned commit')).stdout.trim();
}

/**
 * Checks out `commit` in a clone. A full SHA is fetched by itself (servers speaking protocol v2
 * allow it); when that fails, or for an abbreviated SHA, the whole history is fetched.
 */
async function checkoutCommit(
  git: GitSession,
  directory: string,
  commit: string,
  depth: number | undefined,
  submodules: boolean,
): Promise<void> {
  const what = `Fetching commit ${commit} from ${git.shownUrl}`;
  let fetched = false;
  if (FULL_SHA.test(commit)) {
    const args = ['fetch', '--quiet', ...(depth !== undefined ? [`--depth=${depth}`] : []), 'origin', commit];
    fetched = (await git.attempt(args, directory)).exitCode === 0;
  }
  if (!fetched) {
    const shallow = (await git.run(['rev-parse', '--is-shallow-repository'], directory, what)).stdout.trim();
    const args = ['fetch', '--quiet', ...(shallow === 'true' ? ['--unshallow'] : []), '--tags', 'origin'];
    await git.run(args, directory, what);
  }
  const checkout = await git.attempt(['checkout', '--quiet', '--detach', commit], directory);
  if (checkout.exitCode !== 0)
    throw gitFailure(
      ErrorCodes.GIT_REF_NOT_FOUND,
      `The commit \`${commit}\` is not in ${git.shownUrl}${fetched ? '' : ' (its whole history was fetched)'}: check \`commit\``,
    );
  if (submodules)
    await git.run(
      ['submodule', 'update', '--init', '--recursive', '--quiet'],
      directory,
      'Cloning submodules',
    );
}

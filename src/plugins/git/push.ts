/**
 * What PushFlows and PushNamespaceFiles share (Kestra's `AbstractPushTask`): clone the branch
 * (created from the default branch, or as the first branch of an empty repository, when it
 * does not exist), write the files under `gitDirectory`, remove the ones the task owns that are
 * no longer there, commit with the author and message, and push. The diff is an ION file.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCodes, TaskFailure, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { localFiles } from '../core/namespace/paths.js';
import { cloneRepository } from './clone-repository.js';
import { withGitSession } from './git-command.js';
import type { GitSession } from './git-command.js';
import { putIonRows } from './repository-files.js';

export interface PushRequest {
  branch: string;
  gitDirectory: string;
  commitMessage: string;
  /** Files to commit: path relative to `gitDirectory` → content. */
  files: ReadonlyMap<string, Buffer | string>;
  /** Existing files under `gitDirectory` (relative paths) this push may remove; none when `delete` is false. */
  owns: (path: string) => boolean;
  /** Name of the diff file output. */
  diffName: string;
}

export interface PushResult {
  commitId?: string;
  commitURL?: string;
  /** URI of the ION diff: `{changes, file, deletions, additions}` per file. */
  diff: string;
}

/** Clones, writes, commits and pushes as `request` says; `dryRun` stops before the commit. */
export async function pushToGit(
  ctx: TaskContext,
  props: Record<string, unknown>,
  request: PushRequest,
): Promise<PushResult> {
  const work = await mkdtemp(join(tmpdir(), 'wh-git-push-'));
  try {
    return await withGitSession(ctx, props, async (git) => {
      const clone = await checkoutBranch(git, work, request.branch, props.cloneSubmodules === true);
      const folderParts = request.gitDirectory.split('/').filter((s) => s !== '' && s !== '.');
      if (folderParts.includes('..'))
        throw new TaskFailure(
          `${ErrorCodes.GIT_FAILED}: Property \`gitDirectory\`: \`${request.gitDirectory}\` leaves the repository`,
        );
      const folder = join(clone, ...folderParts);
      await mkdir(folder, { recursive: true });
      for (const path of await localFiles(folder)) {
        if (path === '.git' || path.startsWith('.git/')) continue;
        if (!request.files.has(path) && request.owns(path)) await rm(join(folder, path), { force: true });
      }
      for (const [path, content] of request.files) {
        const target = join(folder, path);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      const scope = folderParts.length > 0 ? folderParts.join('/') : '.';
      await git.run(['add', '--all', '--', scope], clone, 'Staging the files');
      const diff = await putIonRows(ctx, request.diffName, await stagedDiff(git, clone));
      const staged = await git.attempt(['diff', '--cached', '--quiet'], clone);
      if (staged.exitCode === 0) {
        ctx.logger.info('No changes to commit. Skipping push.');
        return { diff };
      }
      if (props.dryRun === true) {
        ctx.logger.info(
          `Dry run: nothing is committed or pushed to ${git.shownUrl} until \`dryRun\` is false; the diff output lists the changes`,
        );
        return { diff };
      }
      const author = authorOf(props, git);
      await git.run(
        [
          '-c',
          `user.name=${author.name}`,
          '-c',
          `user.email=${author.email}`,
          'commit',
          '--quiet',
          '-m',
          request.commitMessage,
        ],
        clone,
        'Committing',
      );
      const commitId = (await git.run(['rev-parse', 'HEAD'], clone, 'Reading the commit')).stdout.trim();
      ctx.logger.info(`Pushing to ${git.shownUrl} on branch ${request.branch}`);
      await git.run(
        ['push', '--quiet', 'origin', `HEAD:refs/heads/${request.branch}`],
        clone,
        `Pushing to ${git.shownUrl}`,
      );
      const commitURL = commitUrl(git.remote.url, request.branch, commitId);
      ctx.logger.info(`Pushed commit ${commitId}${commitURL ? `: ${commitURL}` : ''}`);
      return { commitId, ...(commitURL ? { commitURL } : {}), diff };
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A clone of `branch` in a folder of `work`: the branch itself when the remote has it, else a
 * new branch from the default branch, else (an empty repository) the first branch.
 */
async function checkoutBranch(
  git: GitSession,
  work: string,
  branch: string,
  submodules: boolean,
): Promise<string> {
  const clone = join(work, 'repo');
  const heads = await git.run(
    ['ls-remote', '--heads', '--', git.remote.url],
    work,
    `Reading the branches of ${git.shownUrl}`,
  );
  const exists = heads.stdout.split('\n').some((line) => line.endsWith(`\trefs/heads/${branch}`));
  const empty = heads.stdout.trim() === '';
  if (empty) {
    await git.run(['init', '--quiet', clone], work, 'Preparing an empty repository');
    await git.run(['remote', 'add', 'origin', git.remote.url], clone, 'Preparing an empty repository');
    await git.run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], clone, 'Preparing an empty repository');
    return clone;
  }
  await cloneRepository(git, clone, { ...(exists ? { branch } : {}), depth: 1, cloneSubmodules: submodules });
  if (!exists) await git.run(['checkout', '--quiet', '-b', branch], clone, `Creating the branch ${branch}`);
  return clone;
}

/** One row per staged file, as Kestra writes them; counts of lines as `git diff --numstat` gives them. */
async function stagedDiff(git: GitSession, clone: string): Promise<Array<Record<string, string>>> {
  const { stdout } = await git.run(
    ['diff', '--cached', '--numstat', '--no-renames'],
    clone,
    'Computing the diff',
  );
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [added = '0', removed = '0', ...rest] = line.split('\t');
      const additions = added === '-' ? 0 : Number(added);
      const deletions = removed === '-' ? 0 : Number(removed);
      return {
        changes: String(Math.min(additions, deletions)),
        file: rest.join('\t'),
        deletions: `-${deletions}`,
        additions: `+${additions}`,
      };
    });
}

/** The commit's author (and committer): `authorName`/`authorEmail`, else `username`, else Windhover. */
function authorOf(props: Record<string, unknown>, git: GitSession): { name: string; email: string } {
  const given = (key: string) =>
    props[key] === undefined || props[key] === null ? '' : toText(props[key]).trim();
  return {
    name: given('authorName') || git.remote.username || 'Windhover',
    email: given('authorEmail') || 'windhover@localhost',
  };
}

/**
 * The web page of a commit, as Kestra builds it from the remote's URL (an SSH URL becomes its
 * `https://` form); none for `file://` and `git://` remotes, which have no web page.
 */
export function commitUrl(url: string, branch: string, commitId: string): string | undefined {
  let web: string | undefined;
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(url);
  if (/^https?:\/\//i.test(url)) web = url;
  else if (scp) web = `https://${scp[1]}/${scp[2]}`;
  else if (/^ssh:\/\//i.test(url)) {
    const parsed = new URL(url);
    web = `https://${parsed.hostname}${parsed.pathname}`;
  }
  if (!web) return undefined;
  web = web.replace(/\/+$/, '').replace(/\.git$/, '');
  const commitUrl = `${web}/${web.includes('bitbucket.org') ? 'commits' : 'commit'}/${commitId}`;
  return commitUrl.includes('azure.com')
    ? `${commitUrl}?refName=refs%2Fheads%2F${encodeURIComponent(branch)}`
    : commitUrl;
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, p, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { namespaceOf } from '../core/namespace/paths.js';
import { cloneRepository } from './clone-repository.js';
import { withGitSession } from './git-command.js';
import { remoteProps } from './props.js';
import { putIonRows, repositoryFiles, repositoryFolder } from './repository-files.js';
import type { SyncState } from './repository-files.js';

/** One line of the `files` diff: Kestra's row (`gitPath`, `syncState`, `kestraPath`). */
type FileSync = {
  gitPath?: string;
  syncState: SyncState;
  kestraPath: string;
};

export default defineTask({
  type: 'io.kestra.plugin.git.SyncNamespaceFiles',
  title: 'Sync namespace files from a Git repository',
  description:
    "Mirrors a folder of a Git branch (`gitDirectory`) into a namespace's files: files of the folder are added or updated, and with `delete: true` namespace files the folder no longer has are deleted, so that Git is the source of truth. A `.kestraignore` at the folder's root lists files to leave out (as a `.gitignore`). With `dryRun` nothing changes and the outputs say what would. The `files` output lists every file with its state.",
  properties: {
    ...remoteProps(),
    branch: p.string().default('main').describe('The branch to sync from.'),
    namespace: p.string().default('{{ flow.namespace }}').describe('The namespace whose files are synced.'),
    gitDirectory: p
      .string()
      .default('_files')
      .describe(
        'The folder of the repository whose files become the namespace files (`.` for the whole repository).',
      ),
    delete: p
      .boolean()
      .default(false)
      .describe(
        'Delete namespace files that are not in `gitDirectory`. `false` by default, as in Kestra, to avoid destroying files by mistake.',
      ),
    dryRun: p.boolean().default(false).describe('Only report what would change, changing nothing.'),
    failOnMissingDirectory: p
      .boolean()
      .default(true)
      .describe('Fail when `gitDirectory` is not in the branch (otherwise it counts as an empty folder).'),
  },
  outputs: {
    files: {
      type: 'string',
      description:
        'URI of an ION file with one row per file: `{gitPath:"_files/a.py",syncState:"ADDED",kestraPath:"/a.py"}` (`ADDED`, `UPDATED`, `UNCHANGED`, `DELETED`).',
    },
    added: { type: 'array', description: 'Namespace paths added (Windhover only).' },
    updated: { type: 'array', description: 'Namespace paths whose content changed (Windhover only).' },
    deleted: { type: 'array', description: 'Namespace paths deleted (Windhover only).' },
    unchanged: { type: 'array', description: 'Namespace paths already equal to Git (Windhover only).' },
  },
  examples: [
    {
      title: "Mirror a repository folder into the flow's namespace (the course's dbt project)",
      code: `id: sync_dbt_project
namespace: zoomcamp
tasks:
  - id: sync
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: https://github.com/DataTalksClub/data-engineering-zoomcamp
    branch: main
    namespace: "{{ flow.namespace }}"
    gitDirectory: 04-analytics-engineering/taxi_rides_ny
    dryRun: false`,
    },
    {
      title: 'Make Git the source of truth of a namespace: delete what the repository no longer has',
      code: `- id: git
  type: io.kestra.plugin.git.SyncNamespaceFiles
  url: https://github.com/my-org/scripts
  branch: main
  username: git_username
  password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
  namespace: prod
  gitDirectory: _files
  delete: true`,
    },
  ],
  run: (ctx, props) => syncNamespaceFiles(ctx, props),
});

async function syncNamespaceFiles(ctx: TaskContext, props: Record<string, unknown>) {
  const namespace = namespaceOf(props.namespace ?? ctx.run.namespace);
  const branch = toText(props.branch ?? 'main');
  const gitDirectory = toText(props.gitDirectory ?? '_files');
  const dryRun = props.dryRun === true;
  const clone = await mkdtemp(join(tmpdir(), 'wh-git-sync-'));
  try {
    return await withGitSession(ctx, props, async (git) => {
      ctx.logger.info(
        `Syncing ${git.shownUrl} (${branch}) folder \`${gitDirectory}\` into namespace \`${namespace}\``,
      );
      await cloneRepository(git, clone, {
        branch,
        depth: 1,
        cloneSubmodules: props.cloneSubmodules === true,
      });
      const folder = await repositoryFolder(
        clone,
        gitDirectory,
        props.failOnMissingDirectory !== false,
        git.shownUrl,
      );
      const files = await repositoryFiles(ctx, folder, { recursive: true });
      const existing = new Set(await ctx.namespaceFiles.list({ namespace }));
      const prefix = gitDirectory.replace(/^\.?\/*|\/+$/g, '');
      const rows: FileSync[] = [];
      for (const file of files) {
        ctx.signal.throwIfAborted();
        const content = await readFile(file.absolute);
        let state: SyncState = 'ADDED';
        if (existing.has(file.path))
          state = (await ctx.namespaceFiles.read(file.path, namespace)).equals(content)
            ? 'UNCHANGED'
            : 'UPDATED';
        if (!dryRun && state !== 'UNCHANGED') await ctx.namespaceFiles.write(file.path, content, namespace);
        rows.push({
          gitPath: prefix ? `${prefix}/${file.path}` : file.path,
          syncState: state,
          kestraPath: `/${file.path}`,
        });
      }
      if (props.delete === true) {
        const inGit = new Set(files.map((f) => f.path));
        for (const path of [...existing].sort()) {
          if (inGit.has(path)) continue;
          if (!dryRun) await ctx.namespaceFiles.delete(path, namespace);
          rows.push({ syncState: 'DELETED', kestraPath: `/${path}` });
        }
      }
      const paths = (state: SyncState) => rows.filter((r) => r.syncState === state).map((r) => r.kestraPath);
      const outputs = {
        files: await putIonRows(ctx, 'files.ion', deletedFirst(rows)),
        added: paths('ADDED'),
        updated: paths('UPDATED'),
        deleted: paths('DELETED'),
        unchanged: paths('UNCHANGED'),
      };
      ctx.logger.info(
        `${dryRun ? 'Dry run, nothing changed: would have ' : ''}${outputs.added.length} added, ${outputs.updated.length} updated, ${outputs.deleted.length} deleted, ${outputs.unchanged.length} unchanged in namespace \`${namespace}\``,
      );
      return { outputs };
    });
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

/** Kestra's order of the diff file: deletions (no Git path) first, then by Git path. */
function deletedFirst(rows: FileSync[]): FileSync[] {
  return [...rows.filter((r) => !r.gitPath), ...rows.filter((r) => r.gitPath)];
}

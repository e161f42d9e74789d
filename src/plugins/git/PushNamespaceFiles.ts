import { defineTask, p, TaskFailure, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { namespaceOf, pathMatcher, patternList } from '../core/namespace/paths.js';
import { pushToGit } from './push.js';
import { pushProps, remoteProps } from './props.js';

export default defineTask({
  type: 'io.kestra.plugin.git.PushNamespaceFiles',
  title: 'Commit and push namespace files to Git',
  description:
    'Commits the files of a namespace (all, or those `files` matches) under `gitDirectory` of a branch and pushes it. Files of that folder the namespace no longer has (among those `files` matches) are removed, so the folder mirrors the namespace. The branch is created when it does not exist. With `dryRun`, only the diff is computed.',
  properties: {
    ...remoteProps(),
    ...pushProps('`Add files from <namespace> namespace`'),
    branch: p.string().default('main').describe('The branch to commit to; created when missing.'),
    namespace: p.string().default('{{ flow.namespace }}').describe('The namespace whose files are pushed.'),
    gitDirectory: p.string().default('_files').describe('The folder of the repository the files go to.'),
    files: p
      .union(p.string(), p.list(p.string()))
      .describe(
        'Glob patterns of the namespace files to push (`**.py`, `scripts/**`); a name pattern matches at any depth. Default: every file.',
      ),
    delete: p
      .boolean()
      .default(true)
      .describe(
        'Remove files of `gitDirectory` (among those `files` matches) that the namespace no longer has.',
      ),
    errorOnMissing: p.boolean().default(false).describe('Fail when `files` matches no namespace file.'),
  },
  outputs: {
    commitId: {
      type: 'string',
      description: 'The SHA-1 of the commit pushed (absent when nothing changed or in a dry run).',
    },
    commitURL: { type: 'string', description: "The commit's web page, for HTTP(S) and SSH remotes." },
    files: {
      type: 'string',
      description:
        'URI of an ION diff, one row per file: `{changes:"0",file:"_files/a.py",deletions:"-0",additions:"+10"}`.',
    },
  },
  examples: [
    {
      title: 'Push the scripts of a namespace to Git every evening',
      code: `id: push_scripts
namespace: company.ops
tasks:
  - id: push
    type: io.kestra.plugin.git.PushNamespaceFiles
    namespace: company.team
    files: "**.py"
    gitDirectory: _files
    url: https://github.com/my-org/scripts
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    branch: main
    commitMessage: "scripts of {{ now() | date('yyyy-MM-dd') }}"
triggers:
  - id: evening
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 19 * * *"`,
    },
  ],
  run: (ctx, props) => pushNamespaceFiles(ctx, props),
});

async function pushNamespaceFiles(ctx: TaskContext, props: Record<string, unknown>) {
  const namespace = namespaceOf(props.namespace ?? ctx.run.namespace);
  const matches =
    props.files === undefined || props.files === null
      ? undefined
      : pathMatcher(patternList(props.files), 'files');
  const paths = (await ctx.namespaceFiles.list({ namespace })).filter(
    (path) => !matches || matches(`/${path}`),
  );
  if (paths.length === 0 && props.errorOnMissing === true)
    throw new TaskFailure(`No file of namespace \`${namespace}\` matches \`files\`; nothing to commit`);
  const files = new Map<string, Buffer>();
  for (const path of paths) files.set(path, await ctx.namespaceFiles.read(path, namespace));
  const message = props.commitMessage ? toText(props.commitMessage) : `Add files from ${namespace} namespace`;
  const result = await pushToGit(ctx, props, {
    branch: toText(props.branch ?? 'main'),
    gitDirectory: toText(props.gitDirectory ?? '_files'),
    commitMessage: message,
    files,
    owns: (path) => props.delete !== false && (!matches || matches(`/${path}`)),
    diffName: 'files.ion',
  });
  return {
    outputs: {
      ...(result.commitId ? { commitId: result.commitId } : {}),
      ...(result.commitURL ? { commitURL: result.commitURL } : {}),
      files: result.diff,
    },
  };
}

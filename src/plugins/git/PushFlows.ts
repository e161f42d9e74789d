import { defineTask, p, TaskFailure, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { globRegex, namespaceOf, patternList } from '../core/namespace/paths.js';
import { pushToGit } from './push.js';
import { pushProps, remoteProps } from './props.js';

export default defineTask({
  type: 'io.kestra.plugin.git.PushFlows',
  title: 'Commit and push flows to Git',
  description:
    "Commits the saved flows of `sourceNamespace` (and of its child namespaces with `includeChildNamespaces`, in sub-folders) as `<id>.yml` files under `gitDirectory` of a branch, and pushes it. With `targetNamespace`, the flows' `namespace:` lines are rewritten to it first (for a branch merged into production). Flow files of that folder whose flow no longer exists are removed. The branch is created when it does not exist. With `dryRun`, only the diff is computed.",
  properties: {
    ...remoteProps(),
    ...pushProps('`Add flows from <sourceNamespace> namespace`'),
    branch: p.string().default('main').describe('The branch to commit to; created when missing.'),
    gitDirectory: p.string().default('_flows').describe('The folder of the repository the flows go to.'),
    sourceNamespace: p
      .string()
      .default('{{ flow.namespace }}')
      .describe('The namespace whose flows are pushed.'),
    targetNamespace: p
      .string()
      .describe(
        'A namespace written in place of `sourceNamespace` in the pushed flows (child namespaces follow).',
      ),
    flows: p
      .union(p.string(), p.list(p.string()))
      .describe('Glob patterns of the flow ids to push (`my_flow`, `etl_*`). Default: every flow.'),
    includeChildNamespaces: p
      .boolean()
      .default(false)
      .describe('Also push the flows of child namespaces, in sub-folders (`dev.marketing` → `marketing/`).'),
    delete: p
      .boolean()
      .default(true)
      .describe(
        'Remove flow files of `gitDirectory` (among those `flows` matches) whose flow no longer exists.',
      ),
  },
  outputs: {
    commitId: {
      type: 'string',
      description: 'The SHA-1 of the commit pushed (absent when nothing changed or in a dry run).',
    },
    commitURL: { type: 'string', description: "The commit's web page, for HTTP(S) and SSH remotes." },
    flows: {
      type: 'string',
      description:
        'URI of an ION diff, one row per file: `{changes:"0",file:"_flows/my_flow.yml",deletions:"-0",additions:"+12"}`.',
    },
  },
  examples: [
    {
      title: 'Push the flows of dev (and its children) to Git as prod flows',
      code: `id: push_to_git
namespace: company.ops
tasks:
  - id: commit_and_push
    type: io.kestra.plugin.git.PushFlows
    sourceNamespace: dev
    targetNamespace: prod
    includeChildNamespaces: true
    gitDirectory: _flows
    url: https://github.com/my-org/flows
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    branch: main
    commitMessage: "add flows {{ now() }}"
    authorName: Release Bot
    authorEmail: release-bot@example.com`,
    },
  ],
  run: (ctx, props) => pushFlows(ctx, props),
});

async function pushFlows(ctx: TaskContext, props: Record<string, unknown>) {
  if (!ctx.flows)
    throw new TaskFailure('PushFlows needs access to the flows, which this worker does not have');
  const source = namespaceOf(props.sourceNamespace ?? ctx.run.namespace);
  const target =
    props.targetNamespace === undefined || props.targetNamespace === null || props.targetNamespace === ''
      ? undefined
      : namespaceOf(props.targetNamespace);
  const children = props.includeChildNamespaces === true;
  const patterns =
    props.flows === undefined || props.flows === null ? undefined : patternList(props.flows, 'flows');
  const idMatches = patterns ? idMatcher(patterns) : () => true;
  const files = new Map<string, string>();
  for (const flow of await ctx.flows.list(source, { children })) {
    if (!idMatches(flow.id)) continue;
    const folder =
      flow.namespace === source ? '' : `${flow.namespace.slice(source.length + 1).replaceAll('.', '/')}/`;
    files.set(
      `${folder}${flow.id}.yml`,
      target ? replaceNamespace(flow.source, source, target) : flow.source,
    );
  }
  const result = await pushToGit(ctx, props, {
    branch: toText(props.branch ?? 'main'),
    gitDirectory: toText(props.gitDirectory ?? '_flows'),
    commitMessage: props.commitMessage ? toText(props.commitMessage) : `Add flows from ${source} namespace`,
    files,
    owns: (path) => {
      if (props.delete === false || !/\.ya?ml$/.test(path)) return false;
      if (!children && path.includes('/')) return false;
      return idMatches(path.slice(path.lastIndexOf('/') + 1).replace(/\.ya?ml$/, ''));
    },
    diffName: 'flows.ion',
  });
  return {
    outputs: {
      ...(result.commitId ? { commitId: result.commitId } : {}),
      ...(result.commitURL ? { commitURL: result.commitURL } : {}),
      flows: result.diff,
    },
  };
}

/** A test of flow ids against glob patterns (Kestra matches each against the id as a path). */
function idMatcher(patterns: readonly string[]): (id: string) => boolean {
  const regexes = patterns.map((pattern) => {
    try {
      return globRegex(pattern.replace(/^glob:/, ''));
    } catch (error) {
      throw new TaskFailure(
        `Property \`flows\`: \`${pattern}\` is not a valid pattern (${(error as Error).message})`,
      );
    }
  });
  return (id) => regexes.some((regex) => regex.test(id));
}

/** `namespace: <source>…` lines rewritten to `target` (child namespaces keep their suffix), as Kestra does. */
function replaceNamespace(text: string, source: string, target: string): string {
  const escaped = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`^(\\s*namespace:\\s*)${escaped}(?=[.\\s"']|$)`, 'gm'), `$1${target}`);
}

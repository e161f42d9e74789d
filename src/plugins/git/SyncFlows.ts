import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, ErrorCodes, p, TaskFailure, toText } from '../api.js';
import type { TaskContext, TaskFlows } from '../api.js';
import { namespaceOf } from '../core/namespace/paths.js';
import { cloneRepository } from './clone-repository.js';
import { withGitSession } from './git-command.js';
import { gitFailure } from './git-errors.js';
import { remoteProps } from './props.js';
import { putIonRows, repositoryFiles, repositoryFolder } from './repository-files.js';
import type { SyncState } from './repository-files.js';

/** One line of the `flows` diff: Kestra's row. */
type FlowSync = {
  gitPath?: string;
  syncState: SyncState;
  flowId: string;
  namespace: string;
  revision: number;
};

/** A flow file of the repository, its namespace rewritten to where it is synced. */
interface GitFlow {
  gitPath: string;
  source: string;
  namespace: string;
  id: string;
}

export default defineTask({
  type: 'io.kestra.plugin.git.SyncFlows',
  title: 'Sync flows from a Git repository',
  description:
    "Saves the flows (`.yml`/`.yaml` files) of a folder of a Git branch (`gitDirectory`) into `targetNamespace`: each flow's `namespace:` is rewritten to it, and with `includeChildNamespaces` sub-folders become child namespaces (`marketing/crm/` → `<targetNamespace>.marketing.crm`). Every flow is validated before any is saved. With `delete: true`, flows of those namespaces that Git no longer has are deleted (never the flow running this task). With `dryRun` nothing changes and the outputs say what would.",
  properties: {
    ...remoteProps(),
    branch: p.string().default('main').describe('The branch to sync from.'),
    targetNamespace: p.string().required().describe('The namespace the flows are saved in.'),
    gitDirectory: p.string().default('_flows').describe('The folder of the repository holding the flows.'),
    includeChildNamespaces: p
      .boolean()
      .default(false)
      .describe('Also sync the flows of sub-folders, into child namespaces of `targetNamespace`.'),
    delete: p
      .boolean()
      .default(false)
      .describe(
        'Delete flows of the synced namespaces that are not in Git (`false` by default, as in Kestra).',
      ),
    dryRun: p.boolean().default(false).describe('Only report what would change, changing nothing.'),
    ignoreInvalidFlows: p
      .boolean()
      .default(false)
      .describe('Skip flows that do not validate (with a warning) instead of failing before saving any.'),
    failOnMissingDirectory: p
      .boolean()
      .default(true)
      .describe('Fail when `gitDirectory` is not in the branch (otherwise it counts as an empty folder).'),
  },
  outputs: {
    flows: {
      type: 'string',
      description:
        'URI of an ION file with one row per flow: `{gitPath:"_flows/etl.yml",syncState:"ADDED",flowId:"etl",namespace:"prod",revision:1}`.',
    },
    added: { type: 'array', description: 'Flows added, as `namespace.id` (Windhover only).' },
    updated: { type: 'array', description: 'Flows given a new revision (Windhover only).' },
    deleted: { type: 'array', description: 'Flows deleted (Windhover only).' },
    unchanged: { type: 'array', description: 'Flows already equal to Git (Windhover only).' },
  },
  examples: [
    {
      title: 'Deploy the flows of a Git branch every hour, Git as the source of truth',
      code: `id: sync_flows_from_git
namespace: system
tasks:
  - id: git
    type: io.kestra.plugin.git.SyncFlows
    url: https://github.com/my-org/flows
    branch: main
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    gitDirectory: _flows
    targetNamespace: prod
    includeChildNamespaces: true
    delete: true
triggers:
  - id: every_hour
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 * * * *"`,
    },
  ],
  run: (ctx, props) => syncFlows(ctx, props),
});

async function syncFlows(ctx: TaskContext, props: Record<string, unknown>) {
  const flows = ctx.flows;
  if (!flows) throw new TaskFailure('SyncFlows needs access to the flows, which this worker does not have');
  const target = namespaceOf(props.targetNamespace);
  const branch = toText(props.branch ?? 'main');
  const gitDirectory = toText(props.gitDirectory ?? '_flows');
  const children = props.includeChildNamespaces === true;
  const dryRun = props.dryRun === true;
  const clone = await mkdtemp(join(tmpdir(), 'wh-git-flows-'));
  try {
    const gitFlows = await withGitSession(ctx, props, async (git) => {
      ctx.logger.info(
        `Syncing flows of ${git.shownUrl} (${branch}) folder \`${gitDirectory}\` into \`${target}\``,
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
      return readGitFlows(ctx, flows, await repositoryFiles(ctx, folder, { recursive: children }), {
        target,
        gitDirectory,
        ignoreInvalid: props.ignoreInvalidFlows === true,
      });
    });
    const before = new Map(
      (await flows.list(target, { children })).map((f) => [`${f.namespace}\u0000${f.id}`, f]),
    );
    const rows: FlowSync[] = [];
    for (const flow of gitFlows) {
      ctx.signal.throwIfAborted();
      const existing = before.get(`${flow.namespace}\u0000${flow.id}`);
      let state: SyncState = existing ? (existing.source === flow.source ? 'UNCHANGED' : 'UPDATED') : 'ADDED';
      let revision = existing ? existing.revision + (state === 'UPDATED' ? 1 : 0) : 1;
      if (!dryRun && state !== 'UNCHANGED') {
        const saved = await flows.save(flow.source);
        revision = saved.revision;
        if (!saved.changed) state = 'UNCHANGED';
      }
      rows.push({
        gitPath: flow.gitPath,
        syncState: state,
        flowId: flow.id,
        namespace: flow.namespace,
        revision,
      });
    }
    if (props.delete === true) {
      const inGit = new Set(gitFlows.map((f) => `${f.namespace}\u0000${f.id}`));
      for (const [key, flow] of before) {
        if (inGit.has(key)) continue;
        // The flow running this task stays: deleting it would stop its own sync.
        if (flow.namespace === ctx.run.namespace && flow.id === ctx.run.flowId) continue;
        if (!dryRun) await flows.delete(flow.namespace, flow.id);
        rows.push({
          syncState: 'DELETED',
          flowId: flow.id,
          namespace: flow.namespace,
          revision: flow.revision,
        });
      }
    }
    const names = (state: SyncState) =>
      rows.filter((r) => r.syncState === state).map((r) => `${r.namespace}.${r.flowId}`);
    const outputs = {
      flows: await putIonRows(ctx, 'flows.ion', [
        ...rows.filter((r) => !r.gitPath),
        ...rows.filter((r) => r.gitPath),
      ]),
      added: names('ADDED'),
      updated: names('UPDATED'),
      deleted: names('DELETED'),
      unchanged: names('UNCHANGED'),
    };
    ctx.logger.info(
      `${dryRun ? 'Dry run, nothing changed: would have ' : ''}${outputs.added.length} added, ${outputs.updated.length} updated, ${outputs.deleted.length} deleted, ${outputs.unchanged.length} unchanged flow(s) in \`${target}\`${children ? ' and its child namespaces' : ''}`,
    );
    return { outputs };
  } finally {
    await rm(clone, { recursive: true, force: true });
  }
}

/**
 * The flows of the files, namespaces rewritten, each validated: an invalid one fails the task
 * before anything is saved (listing every problem), or is skipped with `ignoreInvalid`.
 */
async function readGitFlows(
  ctx: TaskContext,
  flows: TaskFlows,
  files: ReadonlyArray<{ path: string; absolute: string }>,
  options: { target: string; gitDirectory: string; ignoreInvalid: boolean },
): Promise<GitFlow[]> {
  const prefix = options.gitDirectory.replace(/^\.?\/*|\/+$/g, '');
  const found: GitFlow[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (!/\.ya?ml$/.test(file.path)) continue;
    const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
    const namespace = folder ? `${options.target}.${folder.replaceAll('/', '.')}` : options.target;
    const text = (await readFile(file.absolute, 'utf8')).replace(/\s+$/, '\n');
    // Kestra rewrites the first top-level `namespace:` line to where the file is synced.
    const source = text.replace(/^namespace:.*$/m, `namespace: ${namespace}`);
    const gitPath = prefix ? `${prefix}/${file.path}` : file.path;
    const checked = await flows.check(source);
    if ('errors' in checked) {
      const message = `\`${gitPath}\`: ${checked.errors.join('; ')}`;
      if (options.ignoreInvalid) ctx.logger.warn(`Skipped the invalid flow ${message}`);
      else problems.push(message);
      continue;
    }
    found.push({ gitPath, source, namespace: checked.namespace, id: checked.id });
  }
  if (problems.length > 0)
    throw gitFailure(
      ErrorCodes.GIT_FAILED,
      `No flow was synced: ${problems.length} flow file(s) do not validate (set \`ignoreInvalidFlows: true\` to skip them):\n  ${problems.join('\n  ')}`,
    );
  return found;
}

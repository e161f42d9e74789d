import { mkdir } from 'node:fs/promises';
import { defineTask, p, toText } from '../api.js';
import { pathInside } from '../shared/working-files.js';
import { cloneRepository } from './clone-repository.js';
import { withGitSession } from './git-command.js';
import { remoteProps } from './props.js';

export default defineTask({
  type: 'io.kestra.plugin.git.Clone',
  title: 'Clone a Git repository',
  description:
    "Clones a repository over HTTP(S), SSH, the git protocol or `file://` into the task's working directory (or `directory` inside it): a branch or tag (`branch`), a commit (`commit`), shallow to `depth` commits. Put it in a `WorkingDirectory` so that the next tasks see the files. Runs the worker's `git` command; credentials never appear in logs, outputs or process listings.",
  properties: {
    ...remoteProps(),
    branch: p.string().describe("The branch or tag to check out; default: the remote's default branch."),
    commit: p
      .string()
      .describe(
        'A commit to check out (a full SHA-1 is fetched alone; an abbreviated one fetches the whole history).',
      ),
    depth: p
      .integer({ min: 1 })
      .default(1)
      .describe('How many commits of history to fetch (a shallow clone); `commit` may need more.'),
    directory: p
      .string()
      .describe(
        'The folder inside the working directory to clone into; default: the working directory itself.',
      ),
  },
  outputs: {
    directory: { type: 'string', description: 'The absolute path of the clone.' },
    commit: { type: 'string', description: 'The SHA-1 of the commit checked out (Windhover only).' },
  },
  examples: [
    {
      title: 'Clone a branch and run a script from it',
      code: `id: git_clone
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: clone
        type: io.kestra.plugin.git.Clone
        url: https://github.com/kestra-io/examples
        branch: main
      - id: list
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - ls -la`,
    },
    {
      title: 'Clone a private repository with a token',
      code: `- id: clone
  type: io.kestra.plugin.git.Clone
  url: https://github.com/my-org/private-repo
  branch: main
  username: git_username
  password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"`,
    },
    {
      title: 'Clone over SSH into a folder',
      code: `- id: clone
  type: io.kestra.plugin.git.Clone
  url: git@github.com:kestra-io/kestra.git
  directory: kestra
  privateKey: "{{ secret('SSH_PRIVATE_KEY') }}"
  passphrase: "{{ secret('SSH_PASSPHRASE') }}"`,
    },
  ],
  async run(ctx, props) {
    const workingDirectory = await ctx.workingDirectory();
    const given = props.directory === undefined || props.directory === null ? '' : toText(props.directory);
    const directory = given === '' ? workingDirectory : pathInside(workingDirectory, given, 'directory');
    await mkdir(directory, { recursive: true });
    return withGitSession(ctx, props, async (git) => {
      const branch = props.branch === undefined || props.branch === null ? undefined : toText(props.branch);
      const commit = props.commit === undefined || props.commit === null ? undefined : toText(props.commit);
      ctx.logger.info(
        `Cloning ${git.shownUrl}${branch ? ` (branch or tag ${branch})` : ''}${commit ? ` at commit ${commit}` : ''}`,
      );
      const head = await cloneRepository(git, directory, {
        ...(branch ? { branch } : {}),
        ...(commit ? { commit } : {}),
        depth: Number(props.depth ?? 1),
        cloneSubmodules: props.cloneSubmodules === true,
      });
      ctx.logger.info(`Cloned commit ${head} into ${directory}`);
      return { outputs: { directory, commit: head } };
    });
  },
});

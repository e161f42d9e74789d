/** Properties every Git task has (Kestra's `AbstractGitTask`): the remote and its credentials. */
import { p } from '../api.js';
import type { Prop } from '../api.js';

/** `url`, credentials, `gitConfig`, `connectTimeout`, `cloneSubmodules`. */
export function remoteProps(): Record<string, Prop> {
  return {
    url: p
      .string()
      .required()
      .describe(
        'The repository: `https://host/org/repo(.git)`, `ssh://git@host/org/repo.git` or `git@host:org/repo.git`, `git://host/repo`, or `file:///path/to/repo`.',
      ),
    username: p
      .string()
      .describe('The user name for an HTTP(S) remote (any non-empty name works with most tokens).'),
    password: p
      .string()
      .describe(
        "The password or access token for an HTTP(S) remote, usually `{{ secret('GITHUB_ACCESS_TOKEN') }}`. Never logged.",
      ),
    privateKey: p
      .string()
      .describe(
        "The SSH private key (PEM or OpenSSH text) for an SSH remote, usually `{{ secret('SSH_KEY') }}`; written to a file only the worker can read, removed when the task ends.",
      ),
    passphrase: p.string().describe('The passphrase of `privateKey`.'),
    gitConfig: p
      .map(p.any())
      .describe(
        'Git settings applied to every git command of the task (`core.autocrlf: false`, `http.sslCAInfo: /path/ca.pem`…).',
      ),
    connectTimeout: p
      .integer()
      .default(10000)
      .describe('How long to wait for an SSH connection, in milliseconds.'),
    cloneSubmodules: p.boolean().default(false).describe('Whether to clone the submodules too.'),
  };
}

/** `commitMessage`, `authorName`, `authorEmail`, `dryRun` of the Push tasks (Kestra's `AbstractPushTask`). */
export function pushProps(defaultMessage: string): Record<string, Prop> {
  return {
    commitMessage: p.string().describe(`The commit message; default: ${defaultMessage}.`),
    authorName: p.string().describe('The commit author name; default: `username`, else `Windhover`.'),
    authorEmail: p.string().describe('The commit author email; default: `windhover@localhost`.'),
    dryRun: p
      .boolean()
      .default(false)
      .describe('Only compute what would be committed (the diff output), without committing or pushing.'),
  };
}

/**
 * Runs the `git` command for the Git tasks with credentials kept out of command lines, logs,
 * outputs and errors: an HTTP username and password reach git through GIT_ASKPASS (a script
 * that prints them from its environment, which `ps` does not show), an SSH key goes to a 0600
 * file in a private temporary folder removed afterwards, and every message is scrubbed. Git
 * runs with a private HOME and no system config, so no credential helper or user setting of
 * the worker is read or written. Aborting the task (kill, timeout) stops the git process group.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactUrl } from '../../redact-url.js';
import { ErrorCodes, toText } from '../api.js';
import type { TaskContext } from '../api.js';
import { runProcess, SpawnError } from '../scripts/run/process.js';
import { classifyGitError, gitFailure } from './git-errors.js';

/** The remote and how to authenticate to it, from the task's properties. */
export interface GitRemote {
  /** The URL without credentials (those given in it moved to `username`/`password`). */
  url: string;
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  /** `git -c` settings (Kestra's `gitConfig`), given to every command through the environment. */
  config: ReadonlyArray<[string, string]>;
  /** SSH connect timeout. */
  connectTimeoutMs?: number;
}

/** Transports git may use: `ext::` and other helpers run commands, so they are never allowed. */
const ALLOWED_PROTOCOLS = 'http:https:ssh:git:file';

/** Proxy settings of the worker passed on to git. */
const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

/** Prints the username, password or SSH passphrase git or ssh asks for, from the environment. */
const ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$WH_GIT_USERNAME" ;;
  *passphrase*) printf '%s\\n' "$WH_GIT_PASSPHRASE" ;;
  *) printf '%s\\n' "$WH_GIT_PASSWORD" ;;
esac
`;

/** Reads the remote of a Git task from its rendered properties, masking its secrets in logs. */
export function gitRemote(ctx: TaskContext, props: Record<string, unknown>): GitRemote {
  const text = (key: string): string | undefined => {
    const value = props[key];
    if (value === undefined || value === null) return undefined;
    const s = toText(value);
    return s === '' ? undefined : s;
  };
  let url = (text('url') ?? '').trim();
  if (url === '')
    throw gitFailure(ErrorCodes.GIT_FAILED, 'Property `url`: give the URL of the repository to use');
  let username = text('username');
  let password = text('password');
  // Credentials written into an http(s) URL are taken out of it: a URL shows in logs and in `ps`.
  if (/^https?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (parsed.username || parsed.password) {
        username ??= decodeURIComponent(parsed.username) || undefined;
        password ??= decodeURIComponent(parsed.password) || undefined;
        if (parsed.password) ctx.maskSecret(decodeURIComponent(parsed.password));
        parsed.username = '';
        parsed.password = '';
        url = parsed.toString();
      }
    } catch {
      throw gitFailure(ErrorCodes.GIT_FAILED, `Property \`url\`: \`${redactUrl(url)}\` is not a valid URL`);
    }
  }
  const privateKey = text('privateKey');
  const passphrase = text('passphrase');
  for (const secret of [password, passphrase]) if (secret) ctx.maskSecret(secret);
  if (privateKey)
    for (const line of privateKey.split('\n'))
      if (line.trim().length >= 16 && !line.startsWith('-----')) ctx.maskSecret(line.trim());
  const config: Array<[string, string]> = [];
  const gitConfig = props.gitConfig;
  if (gitConfig && typeof gitConfig === 'object' && !Array.isArray(gitConfig))
    for (const [key, value] of Object.entries(gitConfig as Record<string, unknown>))
      config.push([key, value === null || value === undefined ? '' : toText(value)]);
  const timeout = Number(props.connectTimeout);
  return {
    url,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(passphrase ? { passphrase } : {}),
    config,
    ...(Number.isFinite(timeout) && timeout > 0 ? { connectTimeoutMs: timeout } : {}),
  };
}

/** What a git command printed. */
export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A place to run git commands against one remote; `close` removes its temporary files. */
export interface GitSession {
  readonly remote: GitRemote;
  /** The URL for messages: without any password. */
  readonly shownUrl: string;
  /** Runs `git args` in `cwd`; a non-zero exit throws a classified failure naming `what`. */
  run(args: readonly string[], cwd: string, what: string): Promise<GitOutput>;
  /** Runs `git args` in `cwd` and returns what happened, whatever the exit code. */
  attempt(args: readonly string[], cwd: string): Promise<GitOutput>;
  /** Removes the session's key file, askpass script and HOME. */
  close(): Promise<void>;
}

/** Opens a session: the private folder with the askpass script, the key file and a HOME. */
export async function openGitSession(ctx: TaskContext, remote: GitRemote): Promise<GitSession> {
  const folder = await mkdtemp(join(tmpdir(), 'wh-git-'));
  await chmod(folder, 0o700);
  try {
    const home = join(folder, 'home');
    await mkdir(home, { mode: 0o700 });
    const askpass = join(folder, 'askpass.sh');
    await writeFile(askpass, ASKPASS_SCRIPT, { mode: 0o700 });
    const env = await gitEnvironment(ctx, remote, folder, home, askpass);
    return session(ctx, remote, folder, env);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

async function gitEnvironment(
  ctx: TaskContext,
  remote: GitRemote,
  folder: string,
  home: string,
  askpass: string,
): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    PATH: ctx.workerEnv.PATH ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    // Messages in English, so failures can be classified.
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS,
    GIT_ASKPASS: askpass,
    SSH_ASKPASS: askpass,
    SSH_ASKPASS_REQUIRE: 'force',
    WH_GIT_USERNAME: remote.username ?? (remote.password ? 'git' : ''),
    WH_GIT_PASSWORD: remote.password ?? '',
    WH_GIT_PASSPHRASE: remote.passphrase ?? '',
  };
  for (const name of PROXY_VARIABLES) {
    const value = ctx.workerEnv[name];
    if (value) env[name] = value;
  }
  const ssh = [
    'ssh',
    '-o StrictHostKeyChecking=accept-new',
    `-o UserKnownHostsFile='${join(folder, 'known_hosts')}'`,
    `-o ConnectTimeout=${Math.max(1, Math.ceil((remote.connectTimeoutMs ?? 10_000) / 1000))}`,
  ];
  if (remote.privateKey) {
    const keyFile = join(folder, 'key');
    const key = remote.privateKey.endsWith('\n') ? remote.privateKey : `${remote.privateKey}\n`;
    await writeFile(keyFile, key, { mode: 0o600 });
    ssh.push(`-i '${keyFile}'`, '-o IdentitiesOnly=yes');
  }
  // Without a passphrase nothing may prompt: a wrong key then fails at once instead of waiting.
  if (!remote.passphrase) ssh.push('-o BatchMode=yes');
  env.GIT_SSH_COMMAND = ssh.join(' ');
  // Settings through the environment (git ≥ 2.31), never `-c` on the command line. An empty
  // credential.helper clears any helper, so credentials are neither looked up nor stored.
  const config: Array<[string, string]> = [['credential.helper', ''], ...remote.config];
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

function session(ctx: TaskContext, remote: GitRemote, folder: string, env: NodeJS.ProcessEnv): GitSession {
  const secrets = [remote.password, remote.passphrase].filter((s): s is string => !!s);
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out
      .split('\n')
      .map((line) => line.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => redactUrl(url)))
      .join('\n');
  };
  const attempt = async (args: readonly string[], cwd: string): Promise<GitOutput> => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    try {
      const result = await runProcess({
        argv: ['git', ...args],
        cwd,
        env,
        signal: ctx.signal,
        onStdout: (line) => stdout.push(line),
        onStderr: (line) => {
          stderr.push(line);
          ctx.logger.debug(scrub(line));
        },
      });
      return { stdout: stdout.join('\n'), stderr: scrub(stderr.join('\n')), exitCode: result.exitCode };
    } catch (error) {
      if (error instanceof SpawnError)
        throw gitFailure(
          ErrorCodes.GIT_FAILED,
          `The \`git\` command could not be started (${error.code ?? 'unknown error'}): install git on the worker (e.g. \`apt-get install git\`)`,
        );
      throw error;
    }
  };
  return {
    remote,
    shownUrl: redactUrl(remote.url),
    attempt,
    async run(args, cwd, what) {
      const output = await attempt(args, cwd);
      ctx.signal.throwIfAborted();
      if (output.exitCode !== 0) throw classifyGitError(what, output.stderr);
      return output;
    },
    close: () => rm(folder, { recursive: true, force: true }),
  };
}

/** Runs `work` with a session on the task's remote, removing its temporary files afterwards. */
export async function withGitSession<T>(
  ctx: TaskContext,
  props: Record<string, unknown>,
  work: (git: GitSession) => Promise<T>,
): Promise<T> {
  const git = await openGitSession(ctx, gitRemote(ctx, props));
  try {
    return await work(git);
  } finally {
    await git.close();
  }
}

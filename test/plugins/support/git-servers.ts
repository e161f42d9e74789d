/**
 * Real Git servers on 127.0.0.1 for the Git plugin tests (never the internet): bare repositories
 * in a temp folder served by `git daemon` (the git protocol, push enabled), by `git http-backend`
 * behind a Node HTTP server that asks for Basic credentials (smart HTTP, as GitHub serves it),
 * and as `file://` URLs.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

/** Runs git in `cwd` and answers its output (trimmed). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...IDENTITY, HOME: cwd },
    encoding: 'utf8',
  }).trim();
}

/** A folder of bare repositories, and a scratch clone to commit to them. */
export class GitRepositories {
  readonly root = mkdtempSync(join(tmpdir(), 'wh-git-repos-'));

  /** Creates the bare repository `name.git` with `main` holding `files`; answers its folder. */
  create(name: string, files: Record<string, string>): string {
    const bare = join(this.root, `${name}.git`);
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    this.commit(name, files, 'initial commit');
    return bare;
  }

  /**
   * Commits to `branch` of `name.git`: `files` written (a null content deletes the file), with
   * `message`; answers the new commit's SHA-1. With `tag`, tags it too.
   */
  commit(
    name: string,
    files: Record<string, string | null>,
    message: string,
    options: { branch?: string; tag?: string } = {},
  ): string {
    const branch = options.branch ?? 'main';
    const work = mkdtempSync(join(tmpdir(), 'wh-git-work-'));
    try {
      const bare = join(this.root, `${name}.git`);
      git(work, 'init', '--quiet', '--initial-branch', branch);
      git(work, 'remote', 'add', 'origin', bare);
      const remoteBranches = git(work, 'ls-remote', '--heads', 'origin');
      if (remoteBranches.includes(`refs/heads/${branch}`)) {
        git(work, 'fetch', '--quiet', 'origin', branch);
        git(work, 'checkout', '--quiet', '-B', branch, 'FETCH_HEAD');
      }
      for (const [path, content] of Object.entries(files)) {
        const full = join(work, path);
        if (content === null) rmSync(full);
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
      git(work, 'add', '-A');
      git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
      if (options.tag) git(work, 'tag', options.tag);
      git(
        work,
        'push',
        '--quiet',
        'origin',
        `HEAD:refs/heads/${branch}`,
        ...(options.tag ? [options.tag] : []),
      );
      return git(work, 'rev-parse', 'HEAD');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** `git log` of a branch of `name.git`, one `format` line per commit. */
  log(name: string, format: string, branch = 'main'): string[] {
    return git(join(this.root, `${name}.git`), 'log', `--format=${format}`, branch).split('\n');
  }

  /** A file of a branch of `name.git`. */
  show(name: string, path: string, branch = 'main'): string {
    return git(join(this.root, `${name}.git`), 'show', `${branch}:${path}`);
  }

  fileUrl(name: string): string {
    return `file://${join(this.root, `${name}.git`)}`;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A port nobody listens on at this moment (for servers, and for "unreachable" remotes). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** `git daemon` serving the repositories (push allowed) on a free port of 127.0.0.1. */
export async function startGitDaemon(
  repos: GitRepositories,
): Promise<{ url: (name: string) => string; stop: () => void }> {
  const port = await freePort();
  const daemon: ChildProcess = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--export-all',
      '--enable=receive-pack',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${repos.root}`,
      repos.root,
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port);
  return { url: (name) => `git://127.0.0.1:${port}/${name}.git`, stop: () => daemon.kill() };
}

/**
 * `git http-backend` (smart HTTP) behind a Node server that wants Basic `username:password`;
 * `requests` records the Authorization headers it saw.
 */
export async function startHttpGitServer(
  repos: GitRepositories,
  credentials: { username: string; password: string },
): Promise<{ url: (name: string) => string; stop: () => Promise<void>; server: Server }> {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server = createHttpServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      response.end('Unauthorized');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: repos.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        REMOTE_USER: credentials.username,
        REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
      },
    });
    request.pipe(backend.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else response.setHeader(name, value);
      }
      response.statusCode = status;
      response.write(head.subarray(end + 4));
    });
    backend.stdout.on('end', () => response.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: (name) => `http://127.0.0.1:${port}/${name}.git`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The Git plugins against real repositories served on 127.0.0.1 (test/plugins/support/git-servers.ts):
 * `git daemon`, `git http-backend` behind Basic auth, and `file://`. Credentials must never show
 * in logs or outputs; failures carry stable codes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFlowSource } from '../../src/flow/index.js';
import { classifyGitError } from '../../src/plugins/git/git-errors.js';
import { commitUrl } from '../../src/plugins/git/push.js';
import { catalog } from '../../src/plugins/registry.js';
import type { InternalStorage } from '../../src/storage/contract.js';
import { outputsOf, startTestRuntime } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';
import { freePort, git, GitRepositories, startGitDaemon, startHttpGitServer } from './support/git-servers.js';

const TOKEN = 'ghp_s3cretT0kenForTests';
let rt: TestRuntime;
let storage: InternalStorage;
let repos: GitRepositories;
let daemon: Awaited<ReturnType<typeof startGitDaemon>>;
let http: Awaited<ReturnType<typeof startHttpGitServer>>;
let firstCommit: string;

beforeAll(async () => {
  repos = new GitRepositories();
  repos.create('project', {
    'README.md': 'version one\n',
    '_files/scripts/etl.py': 'print("etl v1")\n',
    '_files/queries/orders.sql': 'select 1\n',
    'dbt/models/stg.sql': 'select * from raw\n',
  });
  firstCommit = repos.log('project', '%H')[0]!;
  repos.commit('project', { 'README.md': 'version two\n' }, 'second commit', { tag: 'v2' });
  repos.commit('project', { 'README.md': 'version three\n' }, 'third commit');
  repos.commit('project', { 'feature.txt': 'on a branch\n' }, 'feature work', { branch: 'feature' });
  daemon = await startGitDaemon(repos);
  http = await startHttpGitServer(repos, { username: 'robot', password: TOKEN });
  rt = await startTestRuntime({
    workerConcurrency: 4,
    env: { ...process.env, SECRET_GIT_TOKEN: Buffer.from(TOKEN).toString('base64') },
  });
  storage = rt.runtime.storage;
});

afterAll(async () => {
  await rt?.dispose();
  daemon?.stop();
  await http?.stop();
  repos?.dispose();
});

function flow(id: string, tasks: string, namespace = 'test.git'): string {
  return `id: ${id}\nnamespace: ${namespace}\ntasks:\n${tasks}`;
}

/** A WorkingDirectory that clones with `cloneProps` then prints what the clone holds. */
function cloneAndShow(id: string, cloneProps: string, show: string): string {
  return flow(
    id,
    `  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: clone
        type: io.kestra.plugin.git.Clone
${cloneProps
  .split('\n')
  .map((line) => `        ${line}`)
  .join('\n')}
      - id: show
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - ${show}
`,
  );
}

async function nsFiles(namespace: string): Promise<Record<string, string>> {
  const root = storage.namespaceFilesRoot(namespace);
  const out: Record<string, string> = {};
  for (const uri of await storage.list(root))
    out[decodeURIComponent(uri.slice(root.length))] = (await storage.readBuffer(uri)).toString('utf8');
  return out;
}

async function ionRows(uri: unknown): Promise<string[]> {
  const text = (await storage.readBuffer(String(uri))).toString('utf8');
  return text.split('\n').filter((line) => line !== '');
}

describe('Clone', () => {
  it('clones the default branch shallow (depth 1) from git daemon', async () => {
    const execution = await rt.run(
      cloneAndShow(
        'clone_daemon',
        `url: ${daemon.url('project')}`,
        'echo "$(cat README.md)|$(git rev-list --count HEAD)"',
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const logs = await rt.logs(execution.id);
    expect(logs).toContain('INFO show version three|1');
    expect(outputsOf(execution, 'clone')?.commit).toBe(repos.log('project', '%H')[0]);
  });

  it('clones a branch, a tag and a commit, each into its directory, with depth', async () => {
    const execution = await rt.run(
      flow(
        'clone_refs',
        `  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: branch
        type: io.kestra.plugin.git.Clone
        url: ${repos.fileUrl('project')}
        branch: feature
        directory: b
      - id: tag
        type: io.kestra.plugin.git.Clone
        url: ${daemon.url('project')}
        branch: v2
        directory: t
      - id: commit
        type: io.kestra.plugin.git.Clone
        url: ${daemon.url('project')}
        commit: ${firstCommit}
        depth: 2
        directory: c
      - id: show
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo "branch=$(cat b/feature.txt) tag=$(cat t/README.md) commit=$(cat c/README.md)|$(git -C c rev-parse HEAD)"
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await rt.logs(execution.id)).toContain(
      `INFO show branch=on a branch tag=version two commit=version one|${firstCommit}`,
    );
    expect(outputsOf(execution, 'commit')?.directory).toMatch(/\/c$/);
  });

  it('clones over HTTP with Basic credentials from a secret, which never shows in logs or outputs', async () => {
    const execution = await rt.run(
      cloneAndShow(
        'clone_http',
        `url: ${http.url('project')}\nusername: robot\npassword: "{{ secret('GIT_TOKEN') }}"`,
        'cat README.md',
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const logs = await rt.logs(execution.id);
    expect(logs).toContain('INFO show version three');
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(execution)).not.toContain(TOKEN);
  });

  it('takes credentials out of an http URL: they show neither in logs nor in the error', async () => {
    const url = http.url('project').replace('http://', `http://robot:${TOKEN}@`);
    const execution = await rt.run(
      cloneAndShow('clone_url_creds', `url: ${url}`, 'echo "$(cat README.md) $(git remote get-url origin)"'),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const logs = await rt.logs(execution.id);
    // Nor in the clone's own config, which later tasks of the WorkingDirectory can read.
    expect(logs).toContain(`INFO show version three ${http.url('project')}`);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('wrong credentials fail with WH_GIT_AUTH_FAILED and the password is never shown', async () => {
    const execution = await rt.run(
      cloneAndShow(
        'clone_bad_creds',
        `url: ${http.url('project')}\nusername: robot\npassword: wrong-Pa55word`,
        'true',
      ),
    );
    expect(execution.state.current).toBe('FAILED');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toMatch(
      /ERROR clone WH_GIT_AUTH_FAILED: Cloning http:\/\/127\.0\.0\.1:\d+\/project\.git failed/,
    );
    expect(logs).not.toContain('wrong-Pa55word');
    expect(JSON.stringify(execution)).not.toContain('wrong-Pa55word');
  });

  it('no credentials for a server that wants them fail with WH_GIT_AUTH_FAILED, without waiting for a prompt', async () => {
    const execution = await rt.run(cloneAndShow('clone_no_creds', `url: ${http.url('project')}`, 'true'));
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain('WH_GIT_AUTH_FAILED');
  });

  it('an unreachable remote fails with WH_GIT_UNREACHABLE', async () => {
    const port = await freePort();
    const execution = await rt.run(
      cloneAndShow('clone_unreachable', `url: git://127.0.0.1:${port}/nothing.git`, 'true'),
    );
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toMatch(
      /ERROR clone WH_GIT_UNREACHABLE: Cloning git:\/\/127\.0\.0\.1:\d+\/nothing\.git failed: .*is the server running/,
    );
  });

  it('an SSH key goes to a private file removed afterwards; an unreachable SSH remote fails with WH_GIT_UNREACHABLE', async () => {
    const port = await freePort();
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU'.repeat(3)}\n-----END OPENSSH PRIVATE KEY-----`;
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('wh-git-'));
    const execution = await rt.run(
      flow(
        'clone_ssh',
        `  - id: clone
    type: io.kestra.plugin.git.Clone
    url: ssh://git@127.0.0.1:${port}/repo.git
    privateKey: |
${key
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
    passphrase: open-Sesame-42
`,
      ),
    );
    expect(execution.state.current).toBe('FAILED');
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toMatch(
      /ERROR clone WH_GIT_UNREACHABLE: Cloning ssh:\/\/git@127\.0\.0\.1:\d+\/repo\.git failed: .*Connection refused/,
    );
    expect(logs).not.toContain('open-Sesame-42');
    expect(logs).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmU');
    // The private folder with the key file and the askpass script is gone.
    expect(
      readdirSync(tmpdir()).filter((name) => name.startsWith('wh-git-') && !before.includes(name)),
    ).toEqual([]);
  });

  it('credentials are in no command line while git runs (what `ps` shows every user)', async () => {
    // A server that accepts the connection and never answers keeps git running while we look.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const deployed = await rt.deploy(
        flow(
          'clone_ps',
          `  - id: clone
    type: io.kestra.plugin.git.Clone
    url: http://robot:${TOKEN}@127.0.0.1:${port}/slow.git
    timeout: PT10S
`,
        ),
      );
      const execution = await rt.runtime.submit(deployed, { inputs: {} });
      await expect.poll(() => sockets.length, { timeout: 5000 }).toBe(1);
      const commandLines = readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          } catch {
            return '';
          }
        });
      const gitLines = commandLines.filter((line) => line.includes('slow.git'));
      expect(gitLines.length).toBeGreaterThan(0);
      expect(commandLines.filter((line) => line.includes(TOKEN))).toEqual([]);
      await rt.runtime.command(execution.id, { kind: 'kill' });
      expect((await rt.runtime.waitForEnd(execution.id)).state.current).toBe('KILLED');
      // The kill stopped git: its connection is closed.
      await expect
        .poll(() => sockets[0]!.readableEnded || sockets[0]!.destroyed, { timeout: 5000 })
        .toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('a missing repository, branch or commit each fail with their code', async () => {
    const execution = await rt.run(
      flow(
        'clone_missing',
        `  - id: repo
    type: io.kestra.plugin.git.Clone
    url: ${repos.fileUrl('nope')}
    allowFailure: true
  - id: branch
    type: io.kestra.plugin.git.Clone
    url: ${daemon.url('project')}
    branch: no-such-branch
    allowFailure: true
  - id: commit
    type: io.kestra.plugin.git.Clone
    url: ${daemon.url('project')}
    commit: ${'0'.repeat(40)}
    allowFailure: true
`,
      ),
    );
    const logs = (await rt.logs(execution.id)).join('\n');
    expect(logs).toMatch(/ERROR repo WH_GIT_REPOSITORY_NOT_FOUND: /);
    expect(logs).toMatch(/ERROR branch WH_GIT_REF_NOT_FOUND: /);
    expect(logs).toMatch(/ERROR commit WH_GIT_REF_NOT_FOUND: /);
  });

  it('a timeout stops the git process at once (the abort signal reaches it)', async () => {
    // A server that accepts the connection and never answers: git waits until it is stopped.
    const sockets: Socket[] = [];
    let closed = 0;
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const execution = await rt.run(
        flow(
          'clone_timeout',
          `  - id: clone
    type: io.kestra.plugin.git.Clone
    url: git://127.0.0.1:${port}/slow.git
    timeout: PT1S
`,
        ),
      );
      expect(execution.state.current).toBe('FAILED');
      expect((await rt.logs(execution.id)).join('\n')).toContain('Timeout');
      // The git process is gone: its connection was closed.
      expect(sockets.length).toBe(1);
      await expect.poll(() => closed, { timeout: 5000 }).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe('SyncNamespaceFiles', () => {
  it('mirrors a folder into namespace files; a second run changes nothing; deletions follow; dryRun changes nothing', async () => {
    repos.create('mirror', {
      '_files/scripts/etl.py': 'print("v1")\n',
      '_files/queries/orders.sql': 'select 1\n',
      '_files/old.txt': 'to be removed\n',
      'other/ignored.txt': 'not synced\n',
    });
    const sync = (id: string, extra = '') =>
      flow(
        id,
        `  - id: sync
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: ${daemon.url('mirror')}
    branch: main
    namespace: test.git.mirror
    gitDirectory: _files
    delete: true
${extra}`,
      );
    const first = await rt.run(sync('sync_first'));
    expect(first.state.current).toBe('SUCCESS');
    expect(outputsOf(first, 'sync')).toMatchObject({
      added: ['/old.txt', '/queries/orders.sql', '/scripts/etl.py'],
      updated: [],
      deleted: [],
      unchanged: [],
    });
    expect(await nsFiles('test.git.mirror')).toEqual({
      '/old.txt': 'to be removed\n',
      '/queries/orders.sql': 'select 1\n',
      '/scripts/etl.py': 'print("v1")\n',
    });
    expect(await ionRows(outputsOf(first, 'sync')?.files)).toEqual([
      '{gitPath:"_files/old.txt",syncState:"ADDED",kestraPath:"/old.txt"}',
      '{gitPath:"_files/queries/orders.sql",syncState:"ADDED",kestraPath:"/queries/orders.sql"}',
      '{gitPath:"_files/scripts/etl.py",syncState:"ADDED",kestraPath:"/scripts/etl.py"}',
    ]);

    const second = await rt.run(sync('sync_second'));
    expect(outputsOf(second, 'sync')).toMatchObject({
      added: [],
      updated: [],
      deleted: [],
      unchanged: ['/old.txt', '/queries/orders.sql', '/scripts/etl.py'],
    });
    expect(await rt.logs(second.id)).toContain(
      'INFO sync 0 added, 0 updated, 0 deleted, 3 unchanged in namespace `test.git.mirror`',
    );

    repos.commit(
      'mirror',
      { '_files/scripts/etl.py': 'print("v2")\n', '_files/old.txt': null, '_files/new.md': '# new\n' },
      'change files',
    );
    // A file made in the namespace (not in Git) goes too, since `delete` is true.
    await storage.put(storage.namespaceFileUri('test.git.mirror', 'made/in/ui.txt'), 'ui');

    const dry = await rt.run(sync('sync_dry', '    dryRun: true\n'));
    expect(outputsOf(dry, 'sync')).toMatchObject({
      added: ['/new.md'],
      updated: ['/scripts/etl.py'],
      deleted: ['/made/in/ui.txt', '/old.txt'],
      unchanged: ['/queries/orders.sql'],
    });
    expect(Object.keys(await nsFiles('test.git.mirror'))).toEqual([
      '/made/in/ui.txt',
      '/old.txt',
      '/queries/orders.sql',
      '/scripts/etl.py',
    ]);
    expect((await nsFiles('test.git.mirror'))['/scripts/etl.py']).toBe('print("v1")\n');

    const third = await rt.run(sync('sync_third'));
    expect(outputsOf(third, 'sync')).toMatchObject({
      added: ['/new.md'],
      updated: ['/scripts/etl.py'],
      deleted: ['/made/in/ui.txt', '/old.txt'],
      unchanged: ['/queries/orders.sql'],
    });
    expect(await nsFiles('test.git.mirror')).toEqual({
      '/new.md': '# new\n',
      '/queries/orders.sql': 'select 1\n',
      '/scripts/etl.py': 'print("v2")\n',
    });
    expect((await ionRows(outputsOf(third, 'sync')?.files))[0]).toBe(
      '{syncState:"DELETED",kestraPath:"/made/in/ui.txt"}',
    );
  });

  it('keeps namespace files Git does not have unless delete is true (Kestra default), and honours .kestraignore', async () => {
    repos.create('keep', {
      'src/a.py': 'a\n',
      'src/b.log': 'log\n',
      'src/.kestraignore': '*.log\n',
    });
    await storage.put(storage.namespaceFileUri('test.git.keep', 'local.txt'), 'mine');
    const execution = await rt.run(
      flow(
        'sync_keep',
        `  - id: sync
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: ${repos.fileUrl('keep')}
    namespace: test.git.keep
    gitDirectory: src
`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await nsFiles('test.git.keep')).toEqual({ '/a.py': 'a\n', '/local.txt': 'mine' });
  });

  it('a folder missing from the branch fails clearly', async () => {
    const execution = await rt.run(
      flow(
        'sync_missing_dir',
        `  - id: sync
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: ${repos.fileUrl('project')}
    gitDirectory: nowhere
`,
      ),
    );
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'WH_GIT_FAILED: The folder `nowhere` is not in file://',
    );
  });
});

describe('SyncFlows', () => {
  const logFlow = (id: string, namespace: string, message: string) =>
    `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

  it('saves the flows of a folder into the target namespace and its children; deletions and dryRun follow Git', async () => {
    repos.create('gitflows', {
      '_flows/etl.yml': logFlow('etl', 'dev', 'v1'),
      '_flows/marketing/crm.yaml': logFlow('crm', 'dev.marketing', 'crm'),
      '_flows/notes.txt': 'not a flow\n',
    });
    // The syncing flow lives in the target namespace: `delete` must never remove it.
    const sync = (id: string, extra = '') =>
      flow(
        id,
        `  - id: sync
    type: io.kestra.plugin.git.SyncFlows
    url: ${http.url('gitflows')}
    username: robot
    password: "{{ secret('GIT_TOKEN') }}"
    targetNamespace: test.sync
    includeChildNamespaces: true
    delete: true
${extra}`,
        'test.sync',
      );
    const first = await rt.run(sync('syncer'));
    expect(first.state.current).toBe('SUCCESS');
    expect(outputsOf(first, 'sync')).toMatchObject({
      added: ['test.sync.etl', 'test.sync.marketing.crm'],
      updated: [],
      deleted: [],
      unchanged: [],
    });
    const etl = await rt.store.getFlow('test.sync', 'etl');
    expect(etl?.source).toBe(logFlow('etl', 'test.sync', 'v1'));
    expect((await rt.store.getFlow('test.sync.marketing', 'crm'))?.revision).toBe(1);
    expect(await ionRows(outputsOf(first, 'sync')?.flows)).toEqual([
      '{gitPath:"_flows/etl.yml",syncState:"ADDED",flowId:"etl",namespace:"test.sync",revision:1}',
      '{gitPath:"_flows/marketing/crm.yaml",syncState:"ADDED",flowId:"crm",namespace:"test.sync.marketing",revision:1}',
    ]);
    expect((await rt.logs(first.id)).join('\n')).not.toContain(TOKEN);

    const second = await rt.run(sync('syncer'));
    expect(outputsOf(second, 'sync')).toMatchObject({
      added: [],
      updated: [],
      deleted: [],
      unchanged: ['test.sync.etl', 'test.sync.marketing.crm'],
    });

    repos.commit(
      'gitflows',
      { '_flows/etl.yml': logFlow('etl', 'dev', 'v2'), '_flows/marketing/crm.yaml': null },
      'v2',
    );
    await rt.deploy(logFlow('made_in_ui', 'test.sync.marketing', 'local'));
    const dry = await rt.run(sync('syncer', '    dryRun: true\n'));
    expect(outputsOf(dry, 'sync')).toMatchObject({
      added: [],
      updated: ['test.sync.etl'],
      deleted: ['test.sync.marketing.crm', 'test.sync.marketing.made_in_ui'],
      unchanged: [],
    });
    expect((await rt.store.getFlow('test.sync', 'etl'))?.revision).toBe(1);
    expect(await rt.store.getFlow('test.sync.marketing', 'crm')).toBeDefined();

    const third = await rt.run(sync('syncer'));
    expect(outputsOf(third, 'sync')).toMatchObject({
      updated: ['test.sync.etl'],
      deleted: ['test.sync.marketing.crm', 'test.sync.marketing.made_in_ui'],
    });
    expect((await rt.store.getFlow('test.sync', 'etl'))?.source).toContain('message: v2');
    expect((await rt.store.getFlow('test.sync', 'etl'))?.revision).toBe(2);
    expect(await rt.store.getFlow('test.sync.marketing', 'crm')).toBeUndefined();
    expect(await rt.store.getFlow('test.sync', 'syncer')).toBeDefined();
  });

  it('an invalid flow fails the sync before any flow is saved, or is skipped with ignoreInvalidFlows', async () => {
    repos.create('badflows', {
      '_flows/good.yml': logFlow('good', 'dev', 'ok'),
      '_flows/bad.yml':
        'id: bad\nnamespace: dev\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Nope\n',
    });
    const sync = (id: string, extra = '') =>
      flow(
        id,
        `  - id: sync
    type: io.kestra.plugin.git.SyncFlows
    url: ${repos.fileUrl('badflows')}
    targetNamespace: test.badsync
${extra}`,
      );
    const failed = await rt.run(sync('sync_bad'));
    expect(failed.state.current).toBe('FAILED');
    expect((await rt.logs(failed.id)).join('\n')).toMatch(
      /WH_GIT_FAILED: No flow was synced: 1 flow file\(s\) do not validate .*\n.*`_flows\/bad\.yml`: .*Nope/,
    );
    expect(await rt.store.getFlow('test.badsync', 'good')).toBeUndefined();

    const skipped = await rt.run(sync('sync_skip', '    ignoreInvalidFlows: true\n'));
    expect(skipped.state.current).toBe('SUCCESS');
    expect(outputsOf(skipped, 'sync')?.added).toEqual(['test.badsync.good']);
  });
});

describe('PushFlows', () => {
  it('pushes the namespace flows over HTTP with a token: git log shows the author and message; a second run commits nothing', async () => {
    repos.create('flows', { 'README.md': 'flows\n' });
    await rt.deploy(
      flow(
        'first_flow',
        '  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
        'test.push',
      ),
    );
    await rt.deploy(
      flow(
        'child_flow',
        '  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: child\n',
        'test.push.team',
      ),
    );
    const push = (id: string) =>
      flow(
        id,
        `  - id: push
    type: io.kestra.plugin.git.PushFlows
    url: ${http.url('flows')}
    username: robot
    password: "{{ secret('GIT_TOKEN') }}"
    branch: main
    sourceNamespace: test.push
    targetNamespace: prod
    includeChildNamespaces: true
    flows: "*_flow"
    commitMessage: "release {{ flow.id }}"
    authorName: Release Bot
    authorEmail: release@example.com
`,
        'test.ops',
      );
    const execution = await rt.run(push('push_flows'));
    expect(execution.state.current).toBe('SUCCESS');
    const outputs = outputsOf(execution, 'push')!;
    const head = repos.log('flows', '%H')[0]!;
    expect(outputs.commitId).toBe(head);
    expect(outputs.commitURL).toBe(`${http.url('flows').replace(/\.git$/, '')}/commit/${head}`);
    expect(repos.log('flows', '%an <%ae>|%s')[0]).toBe(
      'Release Bot <release@example.com>|release push_flows',
    );
    expect(repos.show('flows', '_flows/first_flow.yml')).toContain('namespace: prod\n');
    expect(repos.show('flows', '_flows/team/child_flow.yml')).toContain('namespace: prod.team\n');
    expect(await ionRows(outputs.flows)).toEqual([
      '{changes:"0",file:"_flows/first_flow.yml",deletions:"-0",additions:"+6"}',
      '{changes:"0",file:"_flows/team/child_flow.yml",deletions:"-0",additions:"+6"}',
    ]);
    const logs = await rt.logs(execution.id);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(execution)).not.toContain(TOKEN);

    const again = await rt.run(push('push_flows_again'));
    expect(again.state.current).toBe('SUCCESS');
    expect(outputsOf(again, 'push')?.commitId).toBeUndefined();
    expect(await rt.logs(again.id)).toContain('INFO push No changes to commit. Skipping push.');
    expect(repos.log('flows', '%s')).toHaveLength(2);
  });

  it('creates a missing branch, and a dry run pushes nothing', async () => {
    repos.create('flows2', { 'README.md': 'x\n' });
    await rt.deploy(
      flow('solo', '  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n', 'test.push2'),
    );
    const push = (id: string, extra: string) =>
      flow(
        id,
        `  - id: push
    type: io.kestra.plugin.git.PushFlows
    url: ${daemon.url('flows2')}
    branch: kestra
    sourceNamespace: test.push2
${extra}`,
        'test.ops',
      );
    const dry = await rt.run(push('push_dry', '    dryRun: true\n'));
    expect(dry.state.current).toBe('SUCCESS');
    expect(outputsOf(dry, 'push')?.commitId).toBeUndefined();
    expect(await ionRows(outputsOf(dry, 'push')?.flows)).toEqual([
      '{changes:"0",file:"_flows/solo.yml",deletions:"-0",additions:"+6"}',
    ]);
    expect(git(repos.root, 'ls-remote', '--heads', repos.fileUrl('flows2'))).not.toContain('kestra');

    const real = await rt.run(push('push_branch', ''));
    expect(real.state.current).toBe('SUCCESS');
    expect(repos.log('flows2', '%an|%s', 'kestra')[0]).toBe('Windhover|Add flows from test.push2 namespace');
    expect(repos.show('flows2', '_flows/solo.yml', 'kestra')).toContain('id: solo');
    expect(outputsOf(real, 'push')?.commitURL).toBeUndefined();
  });
});

describe('PushNamespaceFiles', () => {
  it('pushes namespace files into an empty repository, then mirrors deletions', async () => {
    git(repos.root, 'init', '--quiet', '--bare', '--initial-branch=main', 'empty.git');
    await storage.put(storage.namespaceFileUri('test.pushfiles', 'scripts/etl.py'), 'print(1)\n');
    await storage.put(storage.namespaceFileUri('test.pushfiles', 'queries/q.sql'), 'select 1\n');
    const push = (id: string) =>
      flow(
        id,
        `  - id: push
    type: io.kestra.plugin.git.PushNamespaceFiles
    url: ${repos.fileUrl('empty')}
    namespace: test.pushfiles
    commitMessage: scripts
`,
        'test.ops',
      );
    const first = await rt.run(push('push_files'));
    expect(first.state.current).toBe('SUCCESS');
    expect(repos.show('empty', '_files/scripts/etl.py')).toBe('print(1)');
    expect(repos.show('empty', '_files/queries/q.sql')).toBe('select 1');

    await storage.delete(storage.namespaceFileUri('test.pushfiles', 'queries/q.sql'));
    const second = await rt.run(push('push_files_again'));
    expect(second.state.current).toBe('SUCCESS');
    expect(await ionRows(outputsOf(second, 'push')?.files)).toEqual([
      '{changes:"0",file:"_files/queries/q.sql",deletions:"-1",additions:"+0"}',
    ]);
    expect(
      git(repos.root, '--git-dir=empty.git', 'ls-tree', '-r', '--name-only', 'main').split('\n'),
    ).toEqual(['_files/scripts/etl.py']);
  });

  it('a push the remote refuses fails with WH_GIT_PUSH_REJECTED', async () => {
    repos.create('guarded', { 'a.txt': 'a\n' });
    git(join(repos.root, 'guarded.git'), 'config', 'receive.denyCurrentBranch', 'refuse');
    writeFileSync(
      join(repos.root, 'guarded.git', 'hooks', 'pre-receive'),
      '#!/bin/sh\necho protected branch >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    await storage.put(storage.namespaceFileUri('test.guarded', 'x.txt'), 'x');
    const execution = await rt.run(
      flow(
        'push_rejected',
        `  - id: push
    type: io.kestra.plugin.git.PushNamespaceFiles
    url: ${repos.fileUrl('guarded')}
    namespace: test.guarded
`,
        'test.ops',
      ),
    );
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain('WH_GIT_PUSH_REJECTED: Pushing to file://');
  });
});

describe('validation', () => {
  it("accepts the course's SyncNamespaceFiles task as written (a URL without .git, namespace from an expression)", () => {
    const result = validateFlowSource(
      `id: postgres_dbt
namespace: zoomcamp
tasks:
  - id: sync
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: https://github.com/DataTalksClub/data-engineering-zoomcamp
    branch: main
    namespace: "{{ flow.namespace }}"
    gitDirectory: 04-analytics-engineering/taxi_rides_ny
    dryRun: false
`,
      { catalog },
    );
    expect([...result.problems, ...result.flows.flatMap((f) => f.problems)]).toEqual([]);
  });

  it('refuses a Clone without url and a depth below 1', () => {
    const result = validateFlowSource(
      `id: bad_clone
namespace: test.git
tasks:
  - id: clone
    type: io.kestra.plugin.git.Clone
    depth: 0
`,
      { catalog },
    );
    const messages = result.flows.flatMap((f) => f.problems).map((p) => `${p.code} ${p.path.join('.')}`);
    expect(messages).toEqual(
      expect.arrayContaining(['WH_REQUIRED tasks.0', 'WH_INVALID_VALUE tasks.0.depth']),
    );
  });
});

describe('messages', () => {
  it('classifies git and ssh failures into stable codes with advice', () => {
    const code = (output: string) => classifyGitError('Cloning x', output).message.split(':')[0];
    expect(code('error: cannot run ssh: No such file or directory\nfatal: unable to fork')).toBe(
      'WH_GIT_FAILED',
    );
    expect(
      classifyGitError('Cloning x', 'error: cannot run ssh: No such file or directory').message,
    ).toContain('openssh-client');
    expect(
      code('git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.'),
    ).toBe('WH_GIT_AUTH_FAILED');
    expect(code("fatal: unable to access 'https://x/': Could not resolve host: x")).toBe(
      'WH_GIT_UNREACHABLE',
    );
    expect(code('ERROR: Repository not found.\nfatal: Could not read from remote repository.')).toBe(
      'WH_GIT_REPOSITORY_NOT_FOUND',
    );
    expect(code(' ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs')).toBe(
      'WH_GIT_PUSH_REJECTED',
    );
  });

  it('builds commit URLs as Kestra does, none for file:// and git://', () => {
    expect(commitUrl('https://github.com/org/repo.git', 'main', 'abc')).toBe(
      'https://github.com/org/repo/commit/abc',
    );
    expect(commitUrl('git@github.com:org/repo.git', 'main', 'abc')).toBe(
      'https://github.com/org/repo/commit/abc',
    );
    expect(commitUrl('ssh://git@gitlab.com/org/repo.git', 'main', 'abc')).toBe(
      'https://gitlab.com/org/repo/commit/abc',
    );
    expect(commitUrl('https://bitbucket.org/org/repo', 'main', 'abc')).toBe(
      'https://bitbucket.org/org/repo/commits/abc',
    );
    expect(commitUrl('https://dev.azure.com/org/p/_git/repo', 'dev', 'abc')).toBe(
      'https://dev.azure.com/org/p/_git/repo/commit/abc?refName=refs%2Fheads%2Fdev',
    );
    expect(commitUrl('file:///srv/repo.git', 'main', 'abc')).toBeUndefined();
    expect(commitUrl('git://host/repo.git', 'main', 'abc')).toBeUndefined();
  });
});

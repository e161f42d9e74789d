/**
 * n8n, the peer: installed on demand into a cache folder outside the repository (never a
 * dependency of ours), its workflows imported and activated through its own CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { N8nWorkflow } from './flows.js';

/** The n8n release line compared with (npm resolves the newest 1.123.x). */
export const N8N_RANGE = '1.123';

/** Where n8n is installed: `WINDHOVER_BENCH_N8N_DIR`, else a per-user cache folder. */
export function n8nInstallDir(): string {
  return (
    process.env.WINDHOVER_BENCH_N8N_DIR ?? join(homedir(), '.cache', 'windhover-bench', `n8n-${N8N_RANGE}`)
  );
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${result.status ?? result.signal}`);
}

/**
 * n8n's entry script, installed first if the cache folder does not hold a finished install:
 * `npm install --ignore-scripts` (its install scripts fetch from hosts unreachable here), xlsx
 * pinned to the npm registry's 0.18.5 (n8n's own comes from cdn.sheetjs.com), then sqlite3's
 * native module built from source, the one install script n8n needs for its SQLite database.
 */
export function ensureN8n(): { entry: string; version: string } {
  const dir = n8nInstallDir();
  const marker = join(dir, '.windhover-bench-installed');
  const entry = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
  if (!existsSync(marker) || !existsSync(entry)) {
    console.log(`installing n8n@${N8N_RANGE} into ${dir} (a few minutes, once)…`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'windhover-bench-n8n', private: true, overrides: { xlsx: '0.18.5' } }, null, 2),
    );
    run(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `n8n@${N8N_RANGE}`],
      dir,
    );
    run('npx', ['--yes', 'node-gyp', 'rebuild'], join(dir, 'node_modules', 'sqlite3'));
    writeFileSync(marker, new Date().toISOString());
  }
  const { version } = JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { entry, version };
}

/** The environment n8n runs with: its own user folder, the legacy expression engine, no task runners, no phoning home. */
export function n8nEnv(userFolder: string, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    N8N_USER_FOLDER: userFolder,
    N8N_EXPRESSION_ENGINE: 'legacy',
    N8N_RUNNERS_ENABLED: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_LOG_LEVEL: 'warn',
    DB_TYPE: 'sqlite',
  };
}

/** Imports the workflows into the user folder's database and activates them, through n8n's CLI. */
export function importWorkflows(entry: string, userFolder: string, workflows: N8nWorkflow[]): void {
  const file = join(userFolder, 'workflows.json');
  writeFileSync(file, JSON.stringify(workflows));
  const env = n8nEnv(userFolder, 0);
  run(process.execPath, [entry, 'import:workflow', `--input=${file}`], userFolder, env);
  for (const workflow of workflows)
    run(
      process.execPath,
      [entry, 'update:workflow', `--id=${workflow.id}`, '--active=true'],
      userFolder,
      env,
    );
}

/**
 * Why an n8n webhook answer is not the last node's item; undefined when it is. n8n answers a
 * failed execution with a 500, but 200 "n8n is starting up" before its webhooks are registered.
 */
export function n8nFailure(body: string): string | undefined {
  return body.includes('"value"') ? undefined : "not the last node's item";
}

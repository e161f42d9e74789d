/**
 * A command imports only what it uses: `--version` and `--help` load no flow model, plugin,
 * store or server; `flow validate` and `run` load the plugins their flow names and no others.
 * Read from the module URLs the built command loads (test/fixtures/module-log-hooks.mjs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'windhover-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

/** Paths under dist/ (or npm package names) of module URLs. */
function modulePaths(urls: readonly string[]): string[] {
  const modules = urls.map((url) => {
    const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (npm) return `npm:${npm[1]}`;
    return /\/dist\/(.*)$/.exec(url)?.[1] ?? url;
  });
  return [...new Set(modules)];
}

/** The plugin families (plugins/<family>/…) among modules; jdbc/run/pools.js is the registry of open pools, not a plugin. */
function pluginFamilies(modules: readonly string[]): string[] {
  const families = modules
    .filter((m) => m !== 'plugins/jdbc/run/pools.js')
    .flatMap((m) => /^plugins\/([a-z]+)\/[^/]+\//.exec(m)?.slice(1) ?? []);
  return [...new Set(families)];
}

/** The modules (paths under dist/, or npm package names) the built command loads for `args`. */
function modulesLoadedBy(...args: string[]): { code: number | null; modules: string[] } {
  const log = join(dir, `modules-${++runs}.txt`);
  const result = spawnSync(
    process.execPath,
    ['--import', './test/fixtures/module-log-hooks.mjs', 'bin/windhover.js', ...args],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', WINDHOVER_TEST_MODULE_LOG: log } },
  );
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { code: result.status, modules: modulePaths(urls) };
}

/** The flow model, plugins, stores, server, engine and expression library, and their big packages. */
const HEAVY =
  /^(flow|plugins|store|server|engine)\/|^expr\/(?!errors\.js)|^npm:(zod|fastify|pg|yaml|better-sqlite3)$/;

describe('windhover loads only what a command uses', () => {
  it('--version and --help load no flow model, plugin, store or server', () => {
    for (const args of [['--version'], ['--help'], ['flow', 'validate', '--help']]) {
      const { code, modules } = modulesLoadedBy(...args);
      expect(code).toBe(0);
      expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
    }
  });

  it('flow validate loads the plugins the flow names, and no store or server', () => {
    const { code, modules } = modulesLoadedBy('flow', 'validate', 'examples/flows/01_hello_world.yaml');
    expect(code).toBe(0);
    expect(modules.filter((m) => m.startsWith('plugins/core/') || /^plugins\/[a-z]+\//.test(m))).toEqual([
      'plugins/core/log/Log.js',
      'plugins/core/debug/Return.js',
    ]);
    expect(modules.filter((m) => /^(store|server|engine)\//.test(m))).toEqual([]);
  });

  it('run loads the plugins the flow names, not every family', () => {
    const data = join(dir, 'data');
    const { code, modules } = modulesLoadedBy(
      'run',
      'examples/flows/01_hello_world.yaml',
      '--data',
      data,
      '--input',
      'name=Ada',
    );
    expect(code).toBe(0);
    expect(pluginFamilies(modules)).toEqual(['core']);
    expect(modules).not.toContain('plugins/registry.js');
    expect(modules).not.toContain('npm:fastify');
  });
});

describe('windhover server loads plugins on demand', () => {
  it('server local imports no plugin at start but those of its flows, and every one for the plugin list', async () => {
    const log = join(dir, `modules-${++runs}.txt`);
    const hooks = join(process.cwd(), 'test/fixtures/module-log-hooks.mjs');
    const flows = join(dir, 'server-flows');
    mkdirSync(flows);
    copyFileSync('examples/flows/01_hello_world.yaml', join(flows, 'hello.yaml'));
    const server = await startServerProcess(
      ['server', 'local', '--data', join(dir, 'server-data'), '-f', flows, '--port', '0'],
      { NODE_OPTIONS: `--import ${hooks}`, WINDHOVER_TEST_MODULE_LOG: log },
    );
    try {
      const ready = modulePaths(readFileSync(log, 'utf8').split('\n').filter(Boolean));
      expect(ready).toContain('server/start.js');
      expect(ready).not.toContain('plugins/registry.js');
      expect(ready).not.toContain('plugins/all.js');
      // ai/providers/endpoints.js is not a plugin: the configuration reads its provider endpoints.
      expect(pluginFamilies(ready.filter((m) => m !== 'plugins/ai/providers/endpoints.js'))).toEqual([
        'core',
      ]);
      // Nor the HTTP client of the plugins that call out (undici, ~5 MB of heap).
      expect(ready).not.toContain('npm:undici');
      expect(ready.filter((m) => /^plugins\/core\/(?!trigger\/)[a-z]+\//.test(m))).toEqual([
        'plugins/core/log/Log.js',
        'plugins/core/debug/Return.js',
      ]);
      // The plugin list imports each plugin on its own, not through the registry.
      expect((await fetch(`${server.url}/api/v1/main/plugins`)).status).toBe(200);
      const listed = modulePaths(readFileSync(log, 'utf8').split('\n').filter(Boolean));
      expect(pluginFamilies(listed)).toEqual(
        expect.arrayContaining(['core', 'scripts', 'jdbc', 'gcp', 'notifications', 'dbt', 'ai']),
      );
      expect(listed).toContain('plugins/git/Clone.js');
      expect(listed).not.toContain('plugins/registry.js');
    } finally {
      await server.stop();
    }
  });
});

describe('the yaml package', () => {
  /** Whether validating `file` with the built validator loaded `yaml` (a CommonJS package). */
  function validationLoadsYaml(file: string): boolean {
    const script = `
      const { validateFlowFiles } = await import('./dist/cli/commands/flow-validate-local.js');
      await validateFlowFiles([${JSON.stringify(file)}], {});
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      console.error(Object.keys(cache).some((path) => path.includes('/node_modules/yaml/')));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return result.stderr.trim() === 'true';
  }

  it('is loaded only when a problem needs a position', () => {
    expect(validationLoadsYaml('examples/flows/01_hello_world.yaml')).toBe(false);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: x\nnamespace: a.b\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n');
    expect(validationLoadsYaml(bad)).toBe(true);
  });
});

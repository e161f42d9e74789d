import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WindhoverError } from '../../src/errors.js';
import {
  checkExposure,
  describeConfig,
  isLoopbackHost,
  resolveServerConfig,
} from '../../src/server/config.js';
import type { ServerConfig } from '../../src/server/config.js';
import { parseSize } from '../../src/server/config-schema.js';
import { parseStoreUrl } from '../../src/server/open-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configError(run: () => unknown): WindhoverError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WindhoverError);
    expect((error as WindhoverError).code).toBe('WH_CONFIG_INVALID');
    return error as WindhoverError;
  }
  throw new Error('expected a WH_CONFIG_INVALID error');
}

describe('server configuration', () => {
  it('has defaults: 127.0.0.1:8080, ./data, 32 workers, no credentials, no flow paths', () => {
    const config = resolveServerConfig({ env: {}, cwd: dir });
    expect(config).toEqual({
      server: {
        host: '127.0.0.1',
        port: 8080,
        maxBodySize: 10 * 1024 * 1024,
        maxUploadSize: 1024 ** 3,
        memory: 'lean',
      },
      data: join(dir, 'data'),
      store: { poolSize: 10 },
      storage: {},
      worker: { concurrency: 32 },
      cluster: { heartbeatIntervalMs: 2_000, memberTimeoutMs: 30_000 },
      flows: { paths: [] },
    });
  });

  it('reads the cluster timings as ISO-8601 durations or milliseconds, and refuses nonsense', () => {
    const env = { WINDHOVER_HEARTBEAT_INTERVAL: 'PT0.5S', WINDHOVER_MEMBER_TIMEOUT: '4000' };
    expect(resolveServerConfig({ env, cwd: dir }).cluster).toEqual({
      heartbeatIntervalMs: 500,
      memberTimeoutMs: 4000,
    });
    expect(() => resolveServerConfig({ env: { WINDHOVER_MEMBER_TIMEOUT: 'soon' }, cwd: dir })).toThrow(
      /member timeout/,
    );
  });

  it('reads the PostgreSQL pool size from the file or the environment, and refuses one out of range', () => {
    writeFileSync(join(dir, 'windhover.yml'), 'store:\n  poolSize: 4\n');
    expect(resolveServerConfig({ env: {}, cwd: dir }).store.poolSize).toBe(4);
    expect(resolveServerConfig({ env: { WINDHOVER_STORE_POOL_SIZE: '25' }, cwd: dir }).store.poolSize).toBe(
      25,
    );
    expect(() => resolveServerConfig({ env: { WINDHOVER_STORE_POOL_SIZE: '0' }, cwd: dir })).toThrow(
      /poolSize/,
    );
  });

  it('takes an option over the environment, the environment over the file, the file over the default', () => {
    writeFileSync(
      join(dir, 'windhover.yml'),
      'server:\n  port: 1111\n  host: 127.0.0.2\nworker:\n  concurrency: 3\ntimezone: Europe/Paris\n',
    );
    const env = { WINDHOVER_PORT: '2222', WINDHOVER_WORKER_CONCURRENCY: '4' };
    const all = resolveServerConfig({ env, cwd: dir, cli: { server: { port: '3333' } } });
    expect(all.server.port).toBe(3333); // option
    expect(all.worker.concurrency).toBe(4); // environment
    expect(all.server.host).toBe('127.0.0.2'); // file
    expect(all.timezone).toBe('Europe/Paris'); // file
    expect(all.data).toBe(join(dir, 'data')); // default
    expect(all.file).toBe(join(dir, 'windhover.yml'));
    expect(resolveServerConfig({ env, cwd: dir }).server.port).toBe(2222);
    expect(resolveServerConfig({ env: {}, cwd: dir }).server.port).toBe(1111);
  });

  it('reads the file named by --config, else WINDHOVER_CONFIG, and reads its relative paths from its folder', () => {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'a.yml'), 'data: ../var/data\nflows:\n  paths: [flows, /abs/flows]\n');
    writeFileSync(join(dir, 'etc', 'b.yml'), 'server:\n  port: 9999\n');
    const fromOption = resolveServerConfig({
      env: { WINDHOVER_CONFIG: 'etc/b.yml' },
      cwd: dir,
      configFile: 'etc/a.yml',
    });
    expect(fromOption.data).toBe(join(dir, 'var', 'data'));
    expect(fromOption.flows.paths).toEqual([join(dir, 'etc', 'flows'), '/abs/flows']);
    expect(fromOption.server.port).toBe(8080);
    expect(resolveServerConfig({ env: { WINDHOVER_CONFIG: 'etc/b.yml' }, cwd: dir }).server.port).toBe(9999);
    // Environment and options are read from the working folder.
    const env = resolveServerConfig({ env: { WINDHOVER_DATA: 'd', WINDHOVER_FLOW_PATH: 'f1:f2' }, cwd: dir });
    expect(env.data).toBe(join(dir, 'd'));
    expect(env.flows.paths).toEqual([join(dir, 'f1'), join(dir, 'f2')]);
  });

  it('names every wrong setting with where it came from, all at once', () => {
    writeFileSync(join(dir, 'windhover.yml'), 'server:\n  prot: 8080\n  maxBodySize: lots\nworkers: 3\n');
    const error = configError(() =>
      resolveServerConfig({
        env: { WINDHOVER_PORT: 'eighty', WINDHOVER_URL: 'localhost:8080' },
        cwd: dir,
        cli: { timezone: 'Mars/Olympus', worker: { concurrency: '0' } },
      }),
    );
    const file = join(dir, 'windhover.yml');
    expect(error.message).toContain(`${file}: server.prot: unknown setting`);
    expect(error.message).toContain(`${file}: server.maxBodySize: expected a size`);
    expect(error.message).toContain(`${file}: workers: unknown setting`);
    expect(error.message).toContain(
      'environment: WINDHOVER_PORT (server.port): expected an integer from 0 to 65535, got `eighty`',
    );
    expect(error.message).toContain('environment: WINDHOVER_URL (server.publicUrl): expected an http(s) URL');
    expect(error.message).toContain('command line: --timezone (timezone): unknown time zone `Mars/Olympus`');
    expect(error.message).toContain(
      'command line: --worker-concurrency (worker.concurrency): expected an integer from 1',
    );
    expect((error.details as unknown[]).length).toBe(7);
  });

  it('refuses a file that is not YAML, or cannot be read', () => {
    writeFileSync(join(dir, 'bad.yml'), 'server: [\n');
    expect(
      configError(() => resolveServerConfig({ env: {}, cwd: dir, configFile: 'bad.yml' })).message,
    ).toMatch(/bad\.yml is not valid YAML/);
    expect(
      configError(() => resolveServerConfig({ env: {}, cwd: dir, configFile: 'none.yml' })).message,
    ).toMatch(/Cannot read the config file .*none\.yml/);
  });

  it('takes credentials from the environment or the file, both parts or neither', () => {
    writeFileSync(
      join(dir, 'windhover.yml'),
      'server:\n  auth:\n    username: admin\n    password: from-file\n',
    );
    const fromFile = resolveServerConfig({ env: {}, cwd: dir });
    expect(fromFile.server.auth).toEqual({ username: 'admin', password: 'from-file' });
    const fromEnv = resolveServerConfig({ env: { WINDHOVER_PASSWORD: 'from-env' }, cwd: dir });
    expect(fromEnv.server.auth).toEqual({ username: 'admin', password: 'from-env' });
    rmSync(join(dir, 'windhover.yml'));
    expect(
      configError(() => resolveServerConfig({ env: { WINDHOVER_USERNAME: 'admin' }, cwd: dir })).message,
    ).toContain('server.auth.username is set but server.auth.password is not');
    // Basic auth cannot carry a colon in the name: refused at start, not a login that never works.
    expect(
      configError(() =>
        resolveServerConfig({ env: { WINDHOVER_USERNAME: 'ad:min', WINDHOVER_PASSWORD: 'pw' }, cwd: dir }),
      ).message,
    ).toContain('must not contain `:`');
  });

  it('never shows the password: not in the summary, not in errors', () => {
    const config = resolveServerConfig({
      env: {
        WINDHOVER_USERNAME: 'admin',
        WINDHOVER_PASSWORD: 's3cret-pw',
        WINDHOVER_STORE_URL: 'sqlite:///x.db',
      },
      cwd: dir,
    });
    expect(describeConfig(config)).toContain('basic auth as admin');
    expect(describeConfig(config)).not.toContain('s3cret-pw');
    writeFileSync(join(dir, 'windhover.yml'), 'server:\n  auth:\n    password: [s3cret-pw]\n');
    const error = configError(() => resolveServerConfig({ env: {}, cwd: dir }));
    expect(error.message).toContain('server.auth.password');
    expect(error.message + JSON.stringify(error.details)).not.toContain('s3cret-pw');
    const withStore = { ...config, store: { url: 'postgres://u:s3cret-pw@db:5432/wh', poolSize: 10 } };
    expect(describeConfig(withStore)).toContain('postgres://u:***@db:5432/wh');
  });

  it('reads sizes with units', () => {
    expect(parseSize('10MB')).toBe(10_000_000);
    expect(parseSize('512 KiB')).toBe(512 * 1024);
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('10 parsecs')).toBeUndefined();
    expect(parseSize(0)).toBeUndefined();
    const config = resolveServerConfig({
      env: { WINDHOVER_MAX_UPLOAD_SIZE: '2GB' },
      cwd: dir,
      cli: { server: { maxBodySize: '1MiB' } },
    });
    expect(config.server.maxBodySize).toBe(1024 * 1024);
    expect(config.server.maxUploadSize).toBe(2_000_000_000);
  });

  it('reads the memory mode, lean by default, and refuses another', () => {
    expect(resolveServerConfig({ env: { WINDHOVER_MEMORY: 'fast' }, cwd: dir }).server.memory).toBe('fast');
    const error = configError(() =>
      resolveServerConfig({ env: {}, cwd: dir, cli: { server: { memory: 'huge' as 'fast' } } }),
    );
    expect(error.message).toContain('--memory (server.memory): expected lean or fast, got `huge`');
  });

  it('refuses an open server on an address other machines reach', () => {
    const open = (host: string): ServerConfig =>
      resolveServerConfig({ env: {}, cwd: dir, cli: { server: { host } } });
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() => checkExposure(open(host))).not.toThrow();
    }
    // `[::1]`, written as in a URL, is the address a socket listens on: `::1`.
    expect(open('[::1]').server.host).toBe('::1');
    expect(open('[::]').server.host).toBe('::');
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(isLoopbackHost(host)).toBe(false);
      const error = configError(() => checkExposure(open(host)));
      expect(error.message).toContain(`Refusing to listen on ${host} without credentials`);
      expect(error.message).toContain('WINDHOVER_USERNAME');
    }
    const guarded = resolveServerConfig({
      env: { WINDHOVER_USERNAME: 'a', WINDHOVER_PASSWORD: 'b' },
      cwd: dir,
      cli: { server: { host: '0.0.0.0' } },
    });
    expect(() => checkExposure(guarded)).not.toThrow();
  });

  it('reads store URLs: SQLite files and PostgreSQL; others refused without echoing a password', () => {
    expect(parseStoreUrl('sqlite:///var/lib/wh/windhover.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/wh/windhover.db',
    });
    expect(parseStoreUrl('sqlite://db/wh.db', dir)).toEqual({
      kind: 'sqlite',
      path: join(dir, 'db', 'wh.db'),
    });
    expect(parseStoreUrl('postgres://wh:pw123@db:5432/windhover')).toEqual({
      kind: 'postgres',
      url: 'postgres://wh:pw123@db:5432/windhover',
    });
    const error = configError(() => parseStoreUrl('mongodb://wh:pw123@db:27017/windhover'));
    expect(error.message).toContain('unknown store URL');
    expect(error.message).not.toContain('pw123');
    expect(
      configError(() => resolveServerConfig({ env: { WINDHOVER_STORE_URL: 'mysql://x' }, cwd: dir })).message,
    ).toContain('WINDHOVER_STORE_URL (store.url): expected a store URL');
  });
});

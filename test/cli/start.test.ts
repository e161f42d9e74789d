/**
 * The README's start, `npm ci && npx windhover server local -f examples/flows`, with no surprise:
 * no EBADENGINE warning on the Node versions package.json admits, and no silent rebuild when npx
 * links the clone into its cache.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

// semver is what npm checks `engines` with; fastify depends on it, so it is always installed.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

describe('npm ci', () => {
  it('installs only packages whose engines admit the oldest Node package.json admits, and this one', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (!path || !range) continue;
      for (const node of [oldest, process.versions.node])
        if (!semver.satisfies(node, range))
          refused.push(`${path}@${entry.version} needs node ${range}, not ${node}`);
    }
    expect(refused).toEqual([]);
  });
});

describe('the prepare script', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the clone's package.json and scripts, with an `npm` on PATH that only notes its calls. */
  function clone(built: boolean): { dir: string; prepare: (command: string) => string } {
    const dir = mkdtempSync(join(tmpdir(), 'wh-prepare-'));
    made.push(dir);
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
    if (built) {
      mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
      mkdirSync(join(dir, 'dist', 'ui'), { recursive: true });
      writeFileSync(join(dir, 'dist', 'cli', 'main.js'), '');
      writeFileSync(join(dir, 'dist', 'ui', 'index.html'), '');
    }
    const bin = join(dir, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${join(dir, 'npm-calls')}"\n`);
    chmodSync(join(bin, 'npm'), 0o755);
    const prepare = (command: string) => {
      // As npm runs a lifecycle script: through sh, in the package's folder, npm_command set.
      const run = spawnSync('sh', ['-c', pkg.scripts.prepare!], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, npm_command: command },
      });
      expect(run.status).toBe(0);
      const calls = join(dir, 'npm-calls');
      return existsSync(calls) ? readFileSync(calls, 'utf8').trim() : '';
    };
    return { dir, prepare };
  }

  it('keeps the build npm ci made when npx links the clone (npm_command=exec)', () => {
    expect(clone(true).prepare('exec')).toBe('');
  });

  it('builds after npm ci or npm install, and under npx when nothing is built yet', () => {
    expect(clone(true).prepare('ci')).toBe('npm run build');
    expect(clone(true).prepare('install')).toBe('npm run build');
    expect(clone(false).prepare('exec')).toBe('npm run build');
  });
});

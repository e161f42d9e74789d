/**
 * The database drivers load when a database task first runs, not at start: a process that
 * imports every plugin (as `windhover server` does) must not have resolved pg, mysql2 or DuckDB.
 * Checked in a child process of the built package (dist/, see `pretest`) with a module resolve
 * hook that prints every package it resolves.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const DRIVERS = ['pg', 'pg-copy-streams', 'mysql2', '@duckdb/node-api'];

const HOOK = `
const seen = new Set();
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(result.url);
  if (match && !seen.has(match[1])) { seen.add(match[1]); process._rawDebug('PACKAGE ' + match[1]); }
  return result;
}`;
const REGISTER = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));`;

/** The packages a module script resolves, run in a child node process from the project root. */
function packagesResolvedBy(script: string): string[] {
  const child = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
  expect(child.status, child.stderr).toBe(0);
  return [...child.stderr.matchAll(/^PACKAGE (\S+)$/gm)].map((match) => match[1]!);
}

describe('database drivers', () => {
  it('are not loaded by importing every plugin', () => {
    const packages = packagesResolvedBy(
      "const { catalog } = await import('./dist/plugins/registry.js');" +
        "if (!catalog.lookup('task', 'io.kestra.plugin.jdbc.duckdb.Query')) process.exit(3);",
    );
    expect(packages).toContain('zod');
    expect(packages.filter((name) => DRIVERS.includes(name))).toEqual([]);
  });

  it('are loaded by a task’s run module (the hook sees them)', () => {
    const packages = packagesResolvedBy("await import('./dist/plugins/jdbc/duckdb/run/query.js');");
    expect(packages).toContain('@duckdb/node-api');
  });
});

/**
 * Tests never stop, restart or reconfigure the machine's shared database servers: on a
 * developer's machine that cuts every other client off (issue 19: a test ran `pg_ctlcluster …
 * restart` on the shared PostgreSQL). A test that takes the database away does it on a private
 * cluster (test/support/private-postgres.ts, the one file allowed to run pg_ctl), and a test
 * that ends sessions ends only its own database's. This checks the code for the commands that
 * would do otherwise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SCANNED = ['src', 'test', 'bench', 'scripts'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'out', 'dist', '.git']);
const THIS_FILE = 'test/support/shared-servers.test.ts';
const PRIVATE_CLUSTER = 'test/support/private-postgres.ts';

/** What stops, restarts or reconfigures a whole server, with why it is refused. */
const FORBIDDEN: [RegExp, string][] = [
  [/\bpg_ctlcluster\b/, "controls the machine's PostgreSQL cluster"],
  [/\bsystemctl\b/, 'controls system services'],
  [/\bservice\s+(postgresql|mariadb|mysql)/i, 'controls a system database service'],
  [/\/etc\/init\.d\//, 'controls a system service'],
  [/\bmysqladmin\b/, 'can shut down or reconfigure the MariaDB server'],
  [/\bALTER\s+SYSTEM\b/i, "changes the PostgreSQL server's configuration"],
  [/\bpg_reload_conf\b/, "reloads the PostgreSQL server's configuration"],
  [
    /\bpg_ctl\b/,
    'controls a PostgreSQL server: only test/support/private-postgres.ts may, on its own cluster',
  ],
];

/** Every source file under the scanned folders, as [path from the root, text]. */
function sources(): [string, string][] {
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (/\.(ts|tsx|js|mjs|cjs|sh|py)$/.test(entry.name)) {
        found.push([relative(ROOT, path), readFileSync(path, 'utf8')]);
      }
    }
  };
  for (const folder of SCANNED) walk(join(ROOT, folder));
  return found;
}

describe("the machine's shared database servers", () => {
  const files = sources();

  it('are never stopped, restarted or reconfigured by code or tests', () => {
    expect(files.length).toBeGreaterThan(100);
    const offences: string[] = [];
    for (const [path, text] of files) {
      if (path === THIS_FILE) continue;
      for (const [pattern, why] of FORBIDDEN) {
        if (path === PRIVATE_CLUSTER && pattern.source.includes('pg_ctl\\b')) continue;
        text.split('\n').forEach((line, i) => {
          if (pattern.test(line)) offences.push(`${path}:${i + 1}: ${why}: ${line.trim()}`);
        });
      }
    }
    expect(offences).toEqual([]);
  });

  it("lose only the test's own sessions: pg_terminate_backend names its database or a pid", () => {
    const offences: string[] = [];
    for (const [path, text] of files) {
      if (path === THIS_FILE || !path.startsWith('test/')) continue;
      for (const match of text.matchAll(/pg_terminate_backend/g)) {
        // The statement around the call: its WHERE must confine it to the test's own sessions.
        const statement = text.slice(match.index, match.index + 300).split(/[`'"]\s*[,)]/)[0]!;
        const confined =
          /^pg_terminate_backend\(\$\d+\)/.test(statement) ||
          /datname\s*=\s*(current_database\(\)|\$\d+)/.test(statement);
        if (!confined) {
          const line = text.slice(0, match.index).split('\n').length;
          offences.push(`${path}:${line}: ${statement.replace(/\s+/g, ' ').slice(0, 120)}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windhover } from './windhover.js';

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'windhover-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const VALID =
  'id: ok\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const INVALID =
  'id: bad\nnamespace: company.team\ntasks:\n  - id: load\n    type: io.kestra.plugin.jdbc.postgresql.Queries\n    url: jdbc:postgresql://localhost/db\n    sqll: SELECT 1\n';
const WARNING =
  'id: warn\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.core.tasks.log.Log\n    message: hi\n';

describe('windhover flow validate', () => {
  it('passes the examples', () => {
    const run = windhover('flow', 'validate', 'examples/flows');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('✓ 14 flows valid in 14 files');
  });

  it('prints file:line:col  message per problem and exits 1', () => {
    const dir = tempDir({ 'ok.yaml': VALID, 'bad.yml': INVALID, 'notes.txt': 'not a flow' });
    const run = windhover('flow', 'validate', dir);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `${dir}/bad.yml:4:5  missing required property \`sql\` on io.kestra.plugin.jdbc.postgresql.Queries`,
      `${dir}/bad.yml:7:5  unknown property \`sqll\` on io.kestra.plugin.jdbc.postgresql.Queries (did you mean \`sql\`?)`,
      '✗ 1 of 2 flows valid in 2 files (2 errors, 0 warnings)',
    ]);
  });

  it('prints warnings, exits 0 for them, and 1 with --strict', () => {
    const dir = tempDir({ 'warn.yaml': WARNING });
    const run = windhover('flow', 'validate', join(dir, 'warn.yaml'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${dir}/warn.yaml:5:11  warning: \`io.kestra.core.tasks.log.Log\` is a deprecated name of \`io.kestra.plugin.core.log.Log\``,
    );
    expect(windhover('flow', 'validate', '--strict', dir).code).toBe(1);
  });

  it('says why --strict failed: the warnings it counted as errors, and no flow left valid', () => {
    const dir = tempDir({ 'warn.yaml': WARNING, 'ok.yaml': VALID });
    const lenient = windhover('flow', 'validate', join(dir, 'warn.yaml'));
    expect(lenient.stdout.trim().split('\n').at(-1)).toBe('✓ 1 flow valid in 1 file (0 errors, 1 warning)');
    const strict = windhover('flow', 'validate', '--strict', dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout.trim().split('\n').at(-1)).toBe(
      '✗ 1 of 2 flows valid in 2 files with --strict (0 errors, 1 warning, counted as an error)',
    );
  });

  it('prints one JSON document with --json', () => {
    const dir = tempDir({ 'bad.yaml': INVALID });
    const run = windhover('flow', 'validate', '--json', dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      summary: { errors: number };
      files: Array<{
        flows: Array<{ id: string; problems: Array<{ code: string; line: number; column: number }> }>;
      }>;
    };
    expect(report.valid).toBe(false);
    expect(report.summary.errors).toBe(2);
    expect(report.files[0]?.flows[0]?.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['WH_REQUIRED', 4, 5],
      ['WH_UNKNOWN_PROPERTY', 7, 5],
    ]);
  });

  it('exits 2 with a clear message for a path that does not exist', () => {
    const run = windhover('flow', 'validate', '/no/such/dir');
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('windhover: no such file or directory: /no/such/dir [WH_FILE_UNREADABLE]');
  });

  it('reports a binary file instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windhover-cli-'));
    writeFileSync(join(dir, 'garbage.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x12, 0x80]));
    const run = windhover('flow', 'validate', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${dir}/garbage.yaml:1:1  not a YAML text file: invalid UTF-8`);
  });
});

describe('windhover schema flow', () => {
  it('prints the flow JSON Schema, or writes it to a file', () => {
    const run = windhover('schema', 'flow');
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { definitions: Record<string, unknown> };
    expect(schema.definitions['io.kestra.plugin.jdbc.postgresql.CopyIn']).toBeDefined();
    const out = join(mkdtempSync(join(tmpdir(), 'windhover-cli-')), 'flow.schema.json');
    expect(windhover('schema', 'flow', '-o', out).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(schema);
  });
});

describe('windhover', () => {
  it('prints its version and exits 2 on an unknown command', () => {
    expect(windhover('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = windhover('flwo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'flwo'");
  });
});

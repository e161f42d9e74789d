/**
 * Issue 18, item 9: `windhover … | head` exits quietly. When the reader of its output closes
 * early (`head` has its lines, a pager quits), the command stops without an `EPIPE` stack trace
 * and without a failure status. Needs dist/ (npm test builds it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Runs the built command with its stdout read by a reader that closes after `keepBytes`. */
function runIntoClosingReader(
  args: string[],
  keepBytes: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/windhover.js', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (keepBytes === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (d: Buffer) => {
        read += d.length;
        if (read >= keepBytes) child.stdout.destroy();
      });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('output into a reader that closes early', () => {
  const data = mkdtempSync(join(tmpdir(), 'wh-pipe-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it.each([
    ['--help', ['--help']],
    ['executions --help', ['executions', '--help']],
    ['executions list', ['executions', 'list', '--data', data]],
  ])('%s exits 0 without an EPIPE trace', async (_name, args) => {
    for (const keepBytes of [0, 1]) {
      const result = await runIntoClosingReader(args, keepBytes);
      expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(result.code).toBe(0);
    }
  });
});

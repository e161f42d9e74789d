import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** A `windhover server …` child process, started by the built CLI (dist/, see `pretest`). */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** The URL from the ready line. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves when a line matching `pattern` was written to stdout or stderr. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Starts `windhover <args>` and resolves once it printed its ready line (rejects if it exits first). */
export function startServerProcess(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/windhover.js', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForOutput = (pattern: RegExp, waitMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stdout + stderr)) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        resolve();
      };
      const timer = setTimeout(
        () => reject(new Error(`no output matching ${pattern} within ${waitMs} ms:\n${stdout}\n${stderr}`)),
        waitMs,
      );
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
    });
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server was not ready within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`the server exited (${code}):\n${stdout}\n${stderr}`), {
          code,
          stdout,
          stderr,
        }),
      );
    });
    child.stdout.on('data', () => {
      const match = /Windhover is running at (\S+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
        waitForOutput,
      });
    });
  });
}

/** Runs one benchmark command in a checkout and keeps everything it printed. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** What one run printed, how long it took and how it ended. */
export interface RunOutput {
  output: string;
  seconds: number;
  exitCode: number | null;
}

/**
 * Runs `node ...args` in `cwd`, stdout and stderr together into `outputFile` (written even when it
 * fails, so a broken run can be read), killed after `timeoutMs`.
 */
export function runCaptured(
  args: string[],
  cwd: string,
  outputFile: string,
  timeoutMs: number,
): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Its own process group, so a timeout also ends the servers and browsers the benchmark started.
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[before-after: killed after ${timeoutMs / 1000} s]\n`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      writeFileSync(outputFile, output);
      resolve({ output, seconds: (performance.now() - started) / 1000, exitCode });
    });
  });
}

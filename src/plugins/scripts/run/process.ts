/**
 * Runs one command as a local process in its own process group, streaming its output line by
 * line, and stops the whole group (children and grandchildren) on abort or when it ends.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { ScriptIdentity } from './identity.js';
import { LineSplitter } from './lines.js';

/** How long a process group has to stop after SIGTERM before it gets SIGKILL. */
export const KILL_GRACE_MS = 2000;

export interface ProcessSpec {
  /** The program and its arguments. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The user and group to run as (a worker running as root); the worker's own when not given. */
  user?: ScriptIdentity | undefined;
  /** Aborting stops the process group. */
  signal: AbortSignal;
  onStdout: (line: string) => void;
  onStderr: (line: string) => void;
}

export interface ProcessResult {
  /** The exit code; 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  /** The signal that ended it, if one did. */
  signal?: string;
}

/** The program could not be started (not found, not executable). */
export class SpawnError extends Error {
  constructor(
    readonly program: string,
    readonly code: string | undefined,
  ) {
    super(`${program} could not be started (${code ?? 'unknown error'})`);
    this.name = 'SpawnError';
  }
}

/** Runs the command to its end; rejects with SpawnError when it cannot start. */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  const [program, ...args] = spec.argv;
  if (program === undefined) return Promise.reject(new Error('no command to run'));
  return new Promise<ProcessResult>((resolve, reject) => {
    // `detached` makes the child a process group leader: the group is what gets stopped.
    const child = spawn(program, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      // Set in the child between fork and exec (setgroups, setgid, setuid): no extra process.
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new LineSplitter(spec.onStdout);
    const err = new LineSplitter(spec.onStderr);
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.write(chunk));

    let drainTimer: NodeJS.Timeout | undefined;
    let result: ProcessResult | undefined;
    let settled = false;
    /** Sends a signal to the group; false when no process is left in it. */
    const killGroup = (signal: NodeJS.Signals): boolean => {
      if (child.pid === undefined) return false;
      try {
        process.kill(-child.pid, signal);
        return true;
      } catch {
        return false; // ESRCH: nothing is left in the group.
      }
    };
    /** SIGTERM to the group now, SIGKILL to what is left after the grace period. */
    const stopGroup = () => {
      // The SIGKILL outlives the run: a process that ignores SIGTERM and closed its
      // output would otherwise survive the task.
      if (killGroup('SIGTERM')) setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      spec.signal.removeEventListener('abort', stopGroup);
      if (drainTimer) clearTimeout(drainTimer);
      if (error) return reject(error);
      out.end();
      err.end();
      resolve(result!);
    };

    spec.signal.addEventListener('abort', stopGroup, { once: true });
    if (spec.signal.aborted) stopGroup();
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) settle(new SpawnError(program, error.code));
    });
    child.on('exit', (code, signal) => {
      result =
        signal !== null
          ? { exitCode: 128 + (constants.signals[signal] ?? 0), signal }
          : { exitCode: code ?? 0 };
      // Processes it left in the background end with it, as in a container; their output
      // pipes then close. One that escaped the group but holds the pipes is not waited for.
      if (!spec.signal.aborted) stopGroup();
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, KILL_GRACE_MS + 500);
    });
    child.on('close', () => {
      if (result) settle();
    });
  });
}

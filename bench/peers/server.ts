/** A benchmarked server process: spawned, timed to its first useful answer, measured, stopped. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { rssMbOfTree } from '../process-rss.js';

/** A server under benchmark, listening on 127.0.0.1. */
export interface RunningServer {
  name: string;
  port: number;
  child: ChildProcess;
  /** Spawn → first 2xx of the health path. */
  healthMs: number;
  /** Spawn → first 2xx of the chain-1 webhook: the server can run a flow. */
  readyMs: number;
  /** Resident memory of the process tree, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** How to start a server and what to ask it to know it is ready. */
export interface ServerSpec {
  name: string;
  port: number;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  healthPath: string;
  readyPath: string;
  readyBody: string;
  /** Why a 2xx answer of the ready path is not yet a real one (n8n answers 200 "starting up"); undefined when it is. */
  readyFailure: (body: string) => string | undefined;
  timeoutMs: number;
}

async function answersOk(
  port: number,
  path: string,
  body?: string,
  failure?: (text: string) => string | undefined,
): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    return res.ok && failure?.(text) === undefined;
  } catch {
    return false;
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Spawns the server (output to its log file) and polls every 5 ms until the health path answers 2xx, then the ready path a real answer. */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const log = openSync(spec.logFile, 'a');
  const started = performance.now();
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const waitFor = async (
    path: string,
    body?: string,
    failure?: (text: string) => string | undefined,
  ): Promise<number> => {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`${spec.name} exited with ${child.exitCode}:\n${logTail(spec.logFile)}`);
      if (performance.now() - started > spec.timeoutMs) {
        await stop();
        throw new Error(
          `${spec.name}: no 2xx from ${path} within ${spec.timeoutMs} ms:\n${logTail(spec.logFile)}`,
        );
      }
      if (await answersOk(spec.port, path, body, failure)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const healthMs = await waitFor(spec.healthPath);
  const readyMs = await waitFor(spec.readyPath, spec.readyBody, spec.readyFailure);
  return {
    name: spec.name,
    port: spec.port,
    child,
    healthMs,
    readyMs,
    rssMb: () => rssMbOfTree(child.pid!),
    stop,
  };
}

/**
 * Runs one command in a container of the Docker engine, as Kestra's Docker task runner does:
 * the image is pulled by the pull policy, the container created with the runner's limits and
 * mounts, started, its output streamed line by line, and waited for. On kill or timeout the
 * container is stopped (SIGKILL after `killGracePeriod`); it is removed when it ends, however
 * it ends (unless `delete: false`).
 */
import { randomBytes } from 'node:crypto';
import type { TaskLogger } from '../../api.js';
import { DockerApiError, DockerErrorCodes, dockerFailure, LogDemuxer } from './docker-engine.js';
import type { DockerEngine } from './docker-engine.js';
import type { DockerRunSpec } from './docker-spec.js';
import { LineSplitter } from './lines.js';
import type { ProcessResult } from './process.js';

/** The label every container of a task run carries: its task run id (to find leftovers). */
export const TASK_RUN_LABEL = 'io.windhover.task-run';

export interface ContainerRun {
  engine: DockerEngine;
  spec: DockerRunSpec;
  /** The program and its arguments (`Cmd`). */
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  /** The working directory, mounted at the same path in the container and its `WorkingDir`. */
  workingDir: string;
  /** Further `host:container[:ro]` mounts Windhover adds (the `kestra` Python module). */
  mounts: readonly string[];
  taskRunId: string;
  logger: TaskLogger;
  /** Aborting stops the container. */
  signal: AbortSignal;
  onStdout: (line: string) => void;
  onStderr: (line: string) => void;
}

/** What the container ended with; `oomKilled` when the kernel killed it for its memory limit. */
export interface ContainerResult extends ProcessResult {
  oomKilled: boolean;
}

/** Runs the container to its end; throws a TaskFailure with a DockerErrorCodes code when it cannot. */
export async function runContainer(run: ContainerRun): Promise<ContainerResult> {
  const { engine, spec } = run;
  await ensureImage(engine, spec, run.logger, run.signal);
  await removeLeftovers(engine, run.taskRunId, run.logger);
  run.signal.throwIfAborted();
  const id = await createContainer(run);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopContainer(engine, id, spec.killGraceSeconds);
  };
  try {
    run.signal.addEventListener('abort', stop, { once: true });
    if (run.signal.aborted) stop();
    else await startContainer(engine, id, spec.image);
    const out = new LineSplitter(run.onStdout);
    const err = new LineSplitter(run.onStderr);
    let delivered = 0;
    const deliver = (stream: 'stdout' | 'stderr', data: Buffer) =>
      (stream === 'stdout' ? out : err).write(data);
    const demux = new LogDemuxer((stream, data) => {
      delivered += 1;
      deliver(stream, data);
    });
    // Logs with `follow` start from the container's beginning and stream while it runs.
    const logs = engine.stream(
      { method: 'GET', path: `/containers/${id}/logs?follow=1&stdout=1&stderr=1` },
      (chunk) => demux.write(chunk),
    );
    const waited = engine.json<{ StatusCode: number }>({ method: 'POST', path: `/containers/${id}/wait` });
    const [, status] = await Promise.all([logs, waited]);
    // A container that ends at once can end the followed stream before the engine has written
    // its last lines to the log (seen: `cat` of a file, SUCCESS, no line). Once `wait` has
    // answered, the log is complete: read it again and pass on the frames the stream missed.
    let seen = 0;
    const rest = new LogDemuxer((stream, data) => {
      seen += 1;
      if (seen > delivered) deliver(stream, data);
    });
    await engine
      .stream({ method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1` }, (chunk) =>
        rest.write(chunk),
      )
      .catch(() => undefined);
    out.end();
    err.end();
    await stopping;
    const state = await engine
      .json<{ State?: { OOMKilled?: boolean } }>({ method: 'GET', path: `/containers/${id}/json` })
      .catch(() => undefined);
    const exitCode = status.StatusCode;
    return {
      exitCode,
      ...(exitCode === 137 ? { signal: 'SIGKILL' } : exitCode === 143 ? { signal: 'SIGTERM' } : {}),
      oomKilled: state?.State?.OOMKilled === true,
    };
  } finally {
    run.signal.removeEventListener('abort', stop);
    await stopping?.catch(() => undefined);
    if (spec.remove) await removeContainer(engine, id);
  }
}

/**
 * Removes the containers of an earlier attempt of this task run that are still there: a worker
 * that died (or was stopped hard) could not remove them, and one may still be running.
 */
export async function removeLeftovers(
  engine: DockerEngine,
  taskRunId: string,
  logger: TaskLogger,
): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${TASK_RUN_LABEL}=${taskRunId}`] }));
  const left = await engine.json<Array<{ Id: string; State: string }>>({
    method: 'GET',
    path: `/containers/json?all=1&filters=${filters}`,
  });
  for (const container of left) {
    await removeContainer(engine, container.Id);
    logger.warn(
      `Removed the container ${container.Id.slice(0, 12)} (${container.State}) left by an earlier attempt of this task run`,
    );
  }
}

/** Makes sure the image is on the engine, pulling it as the pull policy says. */
async function ensureImage(
  engine: DockerEngine,
  spec: DockerRunSpec,
  logger: TaskLogger,
  signal: AbortSignal,
): Promise<void> {
  if (spec.pullPolicy !== 'ALWAYS') {
    const present = await engine
      .json({ method: 'GET', path: `/images/${encodeURI(spec.image)}/json`, signal })
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof DockerApiError && error.status === 404) return false;
          throw error;
        },
      );
    if (present) return;
    if (spec.pullPolicy === 'NEVER')
      throw dockerFailure(
        DockerErrorCodes.IMAGE_NOT_FOUND,
        `The image \`${spec.image}\` is not on the Docker engine, and \`pullPolicy\` is NEVER: build, load or import it there first (\`docker build\`, \`docker load\`, \`docker import\`), or set \`pullPolicy: IF_NOT_PRESENT\``,
      );
  }
  logger.info(`Pulling the image ${spec.image}`);
  try {
    await pullImage(engine, spec, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw dockerFailure(
      DockerErrorCodes.IMAGE_NOT_FOUND,
      `The image \`${spec.image}\` ${spec.pullPolicy === 'ALWAYS' ? 'could not be pulled' : 'is not on the Docker engine and could not be pulled'} (${reason}): check its name and tag and the registry's credentials, or build, load or import it on the engine and set \`pullPolicy: NEVER\``,
    );
  }
}

/** Pulls an image; the engine reports a failure inside the stream as `{"error": …}`. */
async function pullImage(engine: DockerEngine, spec: DockerRunSpec, signal: AbortSignal): Promise<void> {
  const name = spec.image;
  // Without a tag the API would pull every tag of the repository: `latest`, as `docker pull` does.
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') || name.includes('@') ? '' : '&tag=latest';
  let failure: string | undefined;
  let pending = '';
  await engine.stream(
    {
      method: 'POST',
      path: `/images/create?fromImage=${encodeURIComponent(name)}${tag}`,
      ...(spec.registryAuth ? { headers: { 'x-registry-auth': spec.registryAuth } } : {}),
      signal,
    },
    (chunk) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) failure ??= pullError(line);
    },
  );
  failure ??= pullError(pending);
  if (failure) throw new Error(failure);
}

function pullError(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  try {
    const message = JSON.parse(line) as { error?: unknown };
    return typeof message.error === 'string' ? message.error : undefined;
  } catch {
    return undefined;
  }
}

async function createContainer(run: ContainerRun): Promise<string> {
  const { spec } = run;
  const binds = [
    `${run.workingDir}:${run.workingDir}`,
    ...run.mounts,
    ...((spec.hostConfig.Binds as string[] | undefined) ?? []),
  ];
  const name = `windhover-${randomBytes(6).toString('hex')}`;
  try {
    const created = await run.engine.json<{ Id: string }>({
      method: 'POST',
      path: `/containers/create?name=${name}`,
      body: {
        Image: spec.image,
        Cmd: run.argv,
        Entrypoint: spec.entrypoint,
        Env: Object.entries(run.env).map(([key, value]) => `${key}=${value}`),
        WorkingDir: run.workingDir,
        ...(spec.user ? { User: spec.user } : {}),
        Labels: { [TASK_RUN_LABEL]: run.taskRunId },
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        OpenStdin: false,
        ExposedPorts: spec.exposedPorts,
        HostConfig: { ...spec.hostConfig, Binds: binds },
      },
    });
    return created.Id;
  } catch (error) {
    if (!(error instanceof DockerApiError)) throw error;
    if (error.status === 404)
      throw dockerFailure(
        DockerErrorCodes.IMAGE_NOT_FOUND,
        `The image \`${spec.image}\` is not on the Docker engine (${error.message})`,
      );
    throw dockerFailure(
      DockerErrorCodes.ENGINE_ERROR,
      `The Docker engine could not create the container: ${error.message}`,
    );
  }
}

async function startContainer(engine: DockerEngine, id: string, image: string): Promise<void> {
  try {
    await engine.json({ method: 'POST', path: `/containers/${id}/start` });
  } catch (error) {
    if (!(error instanceof DockerApiError)) throw error;
    // The runtime reports a command missing from the image at start: exit code 127, as a shell would.
    const missing = /exec: "([^"]+)": (?:executable file not found|stat [^:]+: no such file)/.exec(
      error.message,
    );
    if (missing)
      throw dockerFailure(
        DockerErrorCodes.ENGINE_ERROR,
        `\`${missing[1]}\` was not found in the image \`${image}\`: use an image that has it, or change the command or \`interpreter\``,
        { exitCode: 127 },
      );
    throw dockerFailure(DockerErrorCodes.ENGINE_ERROR, `The container could not start: ${error.message}`);
  }
}

/** SIGKILL at once (no grace period, Kestra's default), or SIGTERM and SIGKILL after the grace period. */
async function stopContainer(engine: DockerEngine, id: string, graceSeconds: number): Promise<void> {
  const path = graceSeconds > 0 ? `/containers/${id}/stop?t=${graceSeconds}` : `/containers/${id}/kill`;
  // 304/404/409: it has stopped already, or is gone.
  await engine.json({ method: 'POST', path }).catch(() => undefined);
}

async function removeContainer(engine: DockerEngine, id: string): Promise<void> {
  await engine.json({ method: 'DELETE', path: `/containers/${id}?force=1&v=1` }).catch(() => undefined);
}

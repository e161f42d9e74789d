/**
 * Which task runner a script task asks for (`taskRunner`, or the deprecated `runner`), and
 * what Windhover does about it: it runs commands as local processes (Kestra's `Process`
 * runner); the Docker runner needs a Docker engine and fails clearly without one.
 */
import { existsSync } from 'node:fs';
import { isRecord, TaskFailure } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { findOnPath } from './environment.js';

export const PROCESS_RUNNER = 'io.kestra.plugin.core.runner.Process';
export const DOCKER_RUNNER = 'io.kestra.plugin.scripts.runner.docker.Docker';
const DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Checks the task runner and logs once per task run when `containerImage` is not used.
 * Throws a TaskFailure for a runner Windhover cannot use on this worker.
 */
export function checkRunner(ctx: TaskContext, props: Record<string, unknown>, defaultImage: string): void {
  const taskRunner = isRecord(props.taskRunner) ? props.taskRunner : undefined;
  const type = typeof taskRunner?.type === 'string' ? taskRunner.type : undefined;
  const image = typeof props.containerImage === 'string' ? props.containerImage : defaultImage;
  if (type === DOCKER_RUNNER || (type === undefined && props.runner === 'DOCKER')) failDocker();
  if (type !== undefined && type !== PROCESS_RUNNER)
    throw new TaskFailure(
      `Property \`taskRunner\`: the task runner \`${type}\` is not available in Windhover; use \`type: ${PROCESS_RUNNER}\``,
    );
  if (type === undefined && props.runner !== 'PROCESS')
    ctx.logger.info(
      `No \`taskRunner\` is set: Kestra would run this task in a Docker container of \`${image}\`; Windhover runs it as a local process (the \`${PROCESS_RUNNER}\` runner), with the tools installed on this worker. Set \`taskRunner\` to say so and silence this message.`,
    );
  else if (image !== defaultImage)
    ctx.logger.info(
      `\`containerImage\` (${image}) is ignored: the Process task runner runs commands on this worker`,
    );
}

/** Whether a Docker engine looks reachable: its socket (or DOCKER_HOST) and the `docker` CLI. */
export function dockerReachable(): boolean {
  return (
    (existsSync(DOCKER_SOCKET) || Boolean(process.env.DOCKER_HOST)) &&
    !!findOnPath('docker', process.env.PATH)
  );
}

function failDocker(): never {
  if (!dockerReachable())
    throw new TaskFailure(
      `The Docker task runner needs a Docker engine, and none is reachable on this worker (${DOCKER_SOCKET}): use \`taskRunner\` type ${PROCESS_RUNNER} to run the commands as a local process, or install Docker on the worker`,
    );
  throw new TaskFailure(
    `Windhover does not run the Docker task runner yet, even with a Docker engine on this worker: use \`taskRunner\` type ${PROCESS_RUNNER} to run the commands as a local process`,
  );
}

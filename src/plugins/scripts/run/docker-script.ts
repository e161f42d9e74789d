/**
 * A script task under the Docker task runner: the commands run in a container of the task's
 * `containerImage`, with the working directory bind-mounted at the same path (so that
 * `{{ workingDir }}`, the script file and `WORKING_DIR`/`OUTPUT_DIR` mean the same inside and
 * out), and the `kestra` Python module mounted read-only. The engine must therefore be on the
 * worker's machine.
 */
import type { TaskContext } from '../../api.js';
import { TaskFailure } from '../../api.js';
import { shellQuote } from './commands.js';
import { runContainer } from './docker-container.js';
import { describeEndpoint, DockerEngine, dockerEndpoint } from './docker-engine.js';
import { dockerRunSpec } from './docker-spec.js';
import { kestraPythonDir, prependPath } from './environment.js';
import { scriptCommandLine, streamOutput, stringList, stringMap } from './execute.js';
import type { ScriptKind, ScriptRunResult } from './execute.js';
import { handOver, takeBack } from './ownership.js';
import type { ScriptHooks } from './run-script.js';
import type { ChosenRunner } from './runner.js';

/** Where the `kestra` Python module is mounted in containers. */
export const CONTAINER_KESTRA_DIR = '/windhover/python';

/** Runs the task's commands in a container; fails the task on a non-zero exit code. */
export async function runInDocker(
  ctx: TaskContext,
  props: Record<string, unknown>,
  at: {
    kind: ScriptKind;
    runner: Extract<ChosenRunner, { kind: 'docker' }>;
    workingDir: string;
    outputDir: string;
    hooks: ScriptHooks;
  },
): Promise<ScriptRunResult> {
  const { kind, runner, workingDir, outputDir, hooks } = at;
  const spec = dockerRunSpec(runner.options, runner.image, ctx.workerEnv, runner.property);
  const engine = new DockerEngine(
    dockerEndpoint(
      typeof runner.options.host === 'string' ? runner.options.host : undefined,
      ctx.workerEnv.DOCKER_HOST,
    ),
  );
  if (runner.options.config !== undefined && runner.options.config !== null)
    ctx.logger.warn(
      `\`${runner.property}.config\` is not read by Windhover: give registry credentials in \`${runner.property}.credentials\``,
    );

  const mounts: string[] = [];
  const env: Record<string, string> = { ...ctx.env, WORKING_DIR: workingDir, OUTPUT_DIR: outputDir };
  const before: string[] = [];
  if (kind.family === 'python') {
    const kestraDir = kestraPythonDir();
    if (kestraDir) {
      mounts.push(`${kestraDir}:${CONTAINER_KESTRA_DIR}:ro`);
      env.PYTHONPATH = CONTAINER_KESTRA_DIR;
    }
    // Kestra installs them in the container too (with uv); the image needs pip. Most images run
    // as root, which pip would warn about on standard error (logged as ERROR) for every run.
    const dependencies = stringList(props.dependencies);
    if (dependencies.length > 0)
      before.push(
        `PIP_ROOT_USER_ACTION=ignore python -m pip install --quiet --disable-pip-version-check ${dependencies.map(shellQuote).join(' ')}`,
      );
  }
  const taskEnv = { ...hooks.env, ...stringMap(props.env) };
  if (taskEnv.PYTHONPATH !== undefined && env.PYTHONPATH !== undefined)
    taskEnv.PYTHONPATH = prependPath([taskEnv.PYTHONPATH], env.PYTHONPATH);
  Object.assign(env, taskEnv);

  const argv = await scriptCommandLine(props, kind, workingDir, {
    extraBeforeCommands: before,
    commandsHook: hooks.commands,
  });
  await hooks.prepare?.(workingDir);
  // A numeric `user` cannot write a directory only the worker may: it is handed over, as to a
  // local script's user, and taken back before the worker reads it.
  const owner = process.getuid?.() === 0 ? numericUser(spec.user) : undefined;
  if (owner) handOver(workingDir, owner);
  try {
    return await streamOutput(
      ctx,
      { where: `in the image \`${spec.image}\``, onLine: hooks.onLine },
      async (onStdout, onStderr) => {
        const result = await runContainer({
          engine,
          spec,
          argv,
          env,
          workingDir,
          mounts,
          taskRunId: ctx.run.taskRunId,
          logger: ctx.logger,
          signal: ctx.signal,
          onStdout,
          onStderr,
        });
        const memory = spec.hostConfig.Memory;
        return result.oomKilled
          ? {
              ...result,
              hint: ` (the container ran out of memory${typeof memory === 'number' ? `: its limit is ${memory} bytes` : ''}; raise \`memory.memory\`)`,
            }
          : result;
      },
    );
  } catch (error) {
    if (error instanceof TaskFailure || ctx.signal.aborted) throw error;
    throw new TaskFailure(
      `The Docker task runner failed at ${describeEndpoint(engine.endpoint)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (owner) takeBack(workingDir, { files: true });
  }
}

/** `uid` or `uid:gid`; undefined for a user name (resolved in the image, unknown here). */
function numericUser(user: string | undefined): { uid: number; gid: number } | undefined {
  const match = user ? /^(\d+)(?::(\d+))?$/.exec(user) : null;
  if (!match) return undefined;
  return { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
}

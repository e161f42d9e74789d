/**
 * Which task runner a script task asks for (`taskRunner`, or the deprecated `runner`): a local
 * process (Kestra's `Process` runner, what Windhover uses when none is set) or a container of the
 * Docker runner (docker-script.ts). Another type fails, naming it.
 */
import { isExpression, isRecord, TaskFailure } from '../../api.js';
import type { TaskContext } from '../../api.js';

export const PROCESS_RUNNER = 'io.kestra.plugin.core.runner.Process';
export const DOCKER_RUNNER = 'io.kestra.plugin.scripts.runner.docker.Docker';

/** The runner a task run uses; for Docker, its rendered properties and the image. */
export type ChosenRunner =
  | { kind: 'process' }
  | {
      kind: 'docker';
      options: Record<string, unknown>;
      image: string;
      /** The property the options came from, for messages: `taskRunner` or `docker`. */
      property: 'taskRunner' | 'docker';
    };

/**
 * Chooses the runner and logs once per task run when `containerImage` is not used. Throws a
 * TaskFailure for a runner type Windhover does not have.
 */
export async function chooseRunner(
  ctx: TaskContext,
  props: Record<string, unknown>,
  defaultImage: string,
): Promise<ChosenRunner> {
  const taskRunner = isRecord(props.taskRunner) ? props.taskRunner : undefined;
  const type = typeof taskRunner?.type === 'string' ? taskRunner.type : undefined;
  const containerImage = typeof props.containerImage === 'string' ? props.containerImage : undefined;
  if (type === DOCKER_RUNNER) {
    // A runner is a plugin slot, which the worker leaves unrendered: its values are rendered here.
    const options = (await renderStrings(ctx, taskRunner)) as Record<string, unknown>;
    const image = containerImage ?? (typeof options.image === 'string' ? options.image : defaultImage);
    return { kind: 'docker', options, image, property: 'taskRunner' };
  }
  if (type === undefined && props.runner === 'DOCKER') {
    // `docker` is a property of the task: the worker rendered it already.
    const options = isRecord(props.docker) ? props.docker : {};
    const image = typeof options.image === 'string' ? options.image : (containerImage ?? defaultImage);
    return { kind: 'docker', options, image, property: 'docker' };
  }
  if (type !== undefined && type !== PROCESS_RUNNER)
    throw new TaskFailure(
      `Property \`taskRunner\`: the task runner \`${type}\` is not available in Windhover; use \`type: ${PROCESS_RUNNER}\` or \`type: ${DOCKER_RUNNER}\``,
    );
  const image = containerImage ?? defaultImage;
  if (type === undefined && props.runner !== 'PROCESS')
    ctx.logger.info(
      `No \`taskRunner\` is set: Kestra would run this task in a Docker container of \`${image}\`; Windhover runs it as a local process (the \`${PROCESS_RUNNER}\` runner), with the tools installed on this worker. Set \`taskRunner\` to say so and silence this message.`,
    );
  else if (image !== defaultImage)
    ctx.logger.info(
      `\`containerImage\` (${image}) is ignored: the Process task runner runs commands on this worker`,
    );
  return { kind: 'process' };
}

/** Every text inside a value rendered as a template (when it is one). */
async function renderStrings(ctx: TaskContext, value: unknown): Promise<unknown> {
  if (typeof value === 'string') return isExpression(value) ? ctx.render(value) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => renderStrings(ctx, item)));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await renderStrings(ctx, item);
    return out;
  }
  return value;
}

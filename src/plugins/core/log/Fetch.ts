import { defineTask, p, toIonText, toText } from '../../api.js';
import type { LogLevel, TaskLogLine } from '../../api.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** One log line as an Ion line, its timestamp an Ion timestamp as Kestra writes it. */
function ionLine(line: TaskLogLine): string {
  const { timestamp, ...rest } = line;
  const fields = toIonText(rest).slice(1, -1);
  return `{${fields},timestamp:${timestamp}}\n`;
}

export default defineTask({
  type: 'io.kestra.plugin.core.log.Fetch',
  legacyNames: ['io.kestra.core.tasks.log.Fetch'],
  title: 'Fetch the logs of an execution into a file',
  description:
    'Writes the log lines of an execution (this one by default) to an Ion file of internal storage, one line per log line, oldest first: those at `level` and above, of the tasks in `tasksId` when given. Another execution is looked for in this flow unless `namespace` and `flowId` name its flow. Lines of tasks still running may be missing.',
  properties: {
    executionId: p.string().describe('The execution whose logs to fetch; the current one by default.'),
    namespace: p.string().describe("Namespace of the flow of `executionId`; this flow's by default."),
    flowId: p.string().describe("Id of the flow of `executionId`; this flow's by default."),
    tasksId: p.list(p.string()).describe('Only the lines of these tasks (in this order).'),
    level: p
      .enum([...LEVELS])
      .default('INFO')
      .describe('The lowest level fetched.'),
  },
  outputs: {
    uri: { type: 'string', description: 'URI of the Ion file, one log line per line.' },
    size: { type: 'integer', description: 'Number of log lines fetched.' },
  },
  async run(ctx, props) {
    const executionId = props.executionId ? toText(props.executionId) : ctx.run.executionId;
    const namespace = props.namespace ? toText(props.namespace) : ctx.run.namespace;
    const flowId = props.flowId ? toText(props.flowId) : ctx.run.flowId;
    const minLevel = props.level as LogLevel;
    const taskIds = Array.isArray(props.tasksId) ? props.tasksId.map((t) => toText(t)) : [];
    // As Kestra, the execution is looked for in one flow: another flow's gives no line.
    const inFlow = (line: TaskLogLine) => line.namespace === namespace && line.flowId === flowId;
    const lines: TaskLogLine[] = [];
    if (taskIds.length === 0) lines.push(...(await ctx.logs(executionId, { minLevel })).filter(inFlow));
    for (const taskId of taskIds)
      lines.push(...(await ctx.logs(executionId, { taskId, minLevel })).filter(inFlow));
    if (lines.length === 0 && executionId !== ctx.run.executionId)
      ctx.logger.warn(
        `No log line of execution ${executionId} in flow ${namespace}.${flowId} at ${minLevel} or above (set \`namespace\` and \`flowId\` to the flow of another execution)`,
      );
    const uri = await ctx.storage.putFile('logs.ion', lines.map(ionLine).join(''));
    return { outputs: { uri, size: lines.length } };
  },
  examples: [
    {
      title: 'Fetch the ERROR lines of this execution',
      code: `id: fetch_logs
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello World!
  - id: error_message
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: This is an error message
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    executionId: "{{ execution.id }}"
    level: ERROR`,
    },
    {
      title: 'Fetch the lines of one task',
      code: `- id: fetch
  type: io.kestra.plugin.core.log.Fetch
  level: INFO
  tasksId:
    - hello`,
    },
  ],
});

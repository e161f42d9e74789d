import { defineTask, p, toText } from '../../api.js';
import type { LogLevel } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.log.Log',
  legacyNames: ['io.kestra.core.tasks.log.Log'],
  title: 'Log a message',
  description: 'Writes a message (or several) to the execution logs.',
  properties: {
    message: p
      .union(p.string(), p.list(p.string()))
      .required()
      .describe('The message, or a list of messages, to log. Expressions are rendered.'),
    level: p.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO').describe('The log level.'),
  },
  run(ctx, props) {
    const level = props.level as LogLevel;
    const messages = Array.isArray(props.message) ? props.message : [props.message];
    for (const message of messages) ctx.logger.log(level, toText(message));
  },
  examples: [
    {
      title: 'Log a greeting',
      code: `id: hello
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name ?? 'world' }}"`,
    },
  ],
});

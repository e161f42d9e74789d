import { defineTask, p } from '../../api.js';
import Log from '../log/Log.js';

/** Kestra's Echo (deprecated): a Log of its `format`, so the flow model turns it into one. */
export default defineTask({
  type: 'io.kestra.plugin.core.debug.Echo',
  legacyNames: ['io.kestra.core.tasks.debugs.Echo'],
  deprecated: Log.type,
  title: 'Log a message (deprecated)',
  description: 'Runs as a Log whose `message` is `format`.',
  properties: {
    format: p.string().required().describe('The message to log. Expressions are rendered.'),
    level: p.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO').describe('The log level.'),
  },
  outputs: {},
  normalize({ format, ...rest }) {
    return { ...rest, type: Log.type, message: format };
  },
  examples: [
    {
      title: 'Log a line',
      code: `- id: echo
  type: io.kestra.plugin.core.debug.Echo
  format: "{{ task.id }} is running"
  level: WARN`,
    },
  ],
});

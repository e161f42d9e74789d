import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.debug.Return',
  legacyNames: ['io.kestra.core.tasks.debugs.Return'],
  title: 'Return a value',
  description: 'Renders `format` and exposes the result as the output `value`.',
  properties: {
    format: p.string().describe('The text to render.'),
  },
  outputs: { value: { type: 'string', description: 'The rendered `format`.' } },
  run(_ctx, props) {
    return { outputs: { value: props.format ?? null } };
  },
  examples: [
    {
      title: 'Return the execution date',
      code: `- id: today
  type: io.kestra.plugin.core.debug.Return
  format: "{{ execution.startDate | date('yyyy-MM-dd') }}"`,
    },
  ],
});

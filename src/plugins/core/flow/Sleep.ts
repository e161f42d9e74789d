import { defineTask, p, parseIsoDuration } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Sleep',
  title: 'Wait for a while',
  description: 'Waits for `duration`, then succeeds.',
  properties: {
    duration: p.duration().required().describe('How long to wait, e.g. `PT5S`.'),
  },
  outputs: {},
  resolve(_ctx, props) {
    return { duration: parseIsoDuration(String(props.duration)) ?? 0 };
  },
  examples: [
    {
      title: 'Wait five seconds',
      code: `- id: sleep
  type: io.kestra.plugin.core.flow.Sleep
  duration: PT5S`,
    },
  ],
});

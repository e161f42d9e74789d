import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Sleep',
  title: 'Wait for a while',
  description: 'Waits for `duration`, then succeeds.',
  properties: {
    duration: p.duration().required().describe('How long to wait, e.g. `PT5S`.'),
  },
  outputs: {},
  examples: [
    {
      title: 'Wait five seconds',
      code: `- id: sleep
  type: io.kestra.plugin.core.flow.Sleep
  duration: PT5S`,
    },
  ],
});

import { defineTask, p } from '../../api.js';
import { missingState, readState, stateKey, stateProps } from './state-store.js';

export default defineTask({
  type: 'io.kestra.plugin.core.state.Get',
  legacyNames: ['io.kestra.core.tasks.states.Get'],
  deprecated: 'use the KV store tasks (`io.kestra.plugin.core.kv.Get`, `Set`, `Delete`)',
  title: 'Read a state (deprecated)',
  description:
    "Reads the map of the state `name` that Set tasks of earlier executions wrote. A state is kept to the flow (to the namespace with `namespace: true`) and, inside a ForEach, to the current value; it lives in the namespace's KV store.",
  properties: {
    ...stateProps(),
    errorOnMissing: p.boolean().default(false).describe('Fail when the state does not exist.'),
  },
  outputs: {
    count: { type: 'integer', description: 'The number of keys of the state.' },
    data: { type: 'object', description: 'The state: an empty map when there is none.' },
  },
  async run(ctx, props) {
    const state = stateKey(ctx, props);
    const data = await readState(ctx, state);
    if (!data && props.errorOnMissing === true) throw missingState(state);
    return { outputs: { count: Object.keys(data ?? {}).length, data: data ?? {} } };
  },
  examples: [
    {
      title: 'Read the flow state `last_run`',
      code: `- id: get_state
  type: io.kestra.plugin.core.state.Get
  name: last_run`,
    },
  ],
});

import { defineTask, isRecord, p } from '../../api.js';
import { mergeState, readState, stateKey, stateProps, writeState } from './state-store.js';

export default defineTask({
  type: 'io.kestra.plugin.core.state.Set',
  legacyNames: ['io.kestra.core.tasks.states.Set'],
  deprecated: 'use the KV store tasks (`io.kestra.plugin.core.kv.Get`, `Set`, `Delete`)',
  title: 'Write a state (deprecated)',
  description:
    'Merges `data` into the map of the state `name`: new keys are added, existing ones replaced (maps are merged key by key). Like Kestra, it is not safe against executions of the flow writing the same state at once.',
  properties: {
    ...stateProps(),
    data: p.map(p.any()).describe('The keys and values to merge into the state.'),
  },
  outputs: {
    count: { type: 'integer', description: 'The number of keys of the state after the merge.' },
    key: { type: 'string', description: 'The KV key the state is kept under.' },
  },
  async run(ctx, props) {
    const state = stateKey(ctx, props);
    const merged = mergeState((await readState(ctx, state)) ?? {}, isRecord(props.data) ? props.data : {});
    await writeState(ctx, state, merged);
    return { outputs: { count: Object.keys(merged).length, key: state.key } };
  },
  examples: [
    {
      title: 'Remember the last file seen',
      code: `- id: set_state
  type: io.kestra.plugin.core.state.Set
  name: last_run
  data:
    file: "{{ execution.startDate }}.csv"`,
    },
  ],
});

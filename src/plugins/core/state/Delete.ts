import { defineTask, p } from '../../api.js';
import { missingState, stateKey, stateProps } from './state-store.js';

export default defineTask({
  type: 'io.kestra.plugin.core.state.Delete',
  legacyNames: ['io.kestra.core.tasks.states.Delete'],
  deprecated: 'use the KV store tasks (`io.kestra.plugin.core.kv.Get`, `Set`, `Delete`)',
  title: 'Delete a state (deprecated)',
  description: 'Deletes the state `name`.',
  properties: {
    ...stateProps(),
    errorOnMissing: p.boolean().default(false).describe('Fail when the state does not exist.'),
  },
  outputs: {
    deleted: { type: 'boolean', description: 'Whether there was a state to delete.' },
  },
  async run(ctx, props) {
    const state = stateKey(ctx, props);
    const deleted = await ctx.kv.delete(state.key);
    if (!deleted && props.errorOnMissing === true) throw missingState(state);
    return { outputs: { deleted } };
  },
  examples: [
    {
      title: 'Forget the flow state `last_run`',
      code: `- id: delete_state
  type: io.kestra.plugin.core.state.Delete
  name: last_run`,
    },
  ],
});

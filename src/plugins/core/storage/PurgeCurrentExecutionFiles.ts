import { defineTask, p } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles',
  legacyNames: [
    'io.kestra.core.tasks.storages.PurgeExecution',
    'io.kestra.plugin.core.storage.PurgeExecution',
  ],
  title: 'Delete the files of the current execution',
  description:
    'Deletes every file of internal storage that belongs to the current execution: input files, task outputs and trigger files. Nothing to delete is not an error.',
  properties: {
    includeChildExecutions: p
      .boolean()
      .default(false)
      .describe('Also delete the files of the subflow executions this execution started.'),
    includeStates: p.boolean().default(false).describe('Also delete the state files of the flow.'),
  },
  outputs: {
    uris: { type: 'array', description: 'URIs of the deleted files.' },
  },
  async run(ctx) {
    const uris = await ctx.storage.purgeExecution();
    ctx.logger.info(`Deleted ${uris.length} file(s) of the execution`);
    return { outputs: { uris } };
  },
  examples: [
    {
      title: 'Clean up at the end',
      code: `id: purge_example
namespace: company.team
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: temporary
finally:
  - id: purge
    type: io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles`,
    },
  ],
});

import { defineTask, p } from '../../api.js';
import { collectOutputFiles, parseInputFiles, writeInputFiles } from '../../shared/working-files.js';

/**
 * Kestra's LocalFiles (deprecated since 0.17): the files of a task's working directory, which
 * inside a WorkingDirectory is the one its tasks share. Runs as Kestra runs it.
 */
export default defineTask({
  type: 'io.kestra.plugin.core.storage.LocalFiles',
  legacyNames: ['io.kestra.core.tasks.storages.LocalFiles'],
  deprecated: 'use `inputFiles` and `outputFiles` of a WorkingDirectory or a script task',
  title: 'Create files in the working directory, or keep files from it (deprecated)',
  description:
    'Writes `inputs` into the working directory, then keeps the files matching `outputs` in internal storage (`uris`). Inside a WorkingDirectory the directory is the one its tasks share, so the next tasks read the files written here and this task keeps what the previous ones wrote; elsewhere it is a directory of its own.',
  properties: {
    inputs: p
      .union(p.map(p.string()), p.string())
      .describe(
        'Files to create: file name → content (or a `kestra://` URI to copy), or that map as JSON text.',
      ),
    outputs: p
      .list(p.string())
      .describe('Files (glob patterns relative to the working directory, such as `out/**`) to keep.'),
  },
  outputs: {
    uris: { type: 'object', description: 'URIs of the kept files, by path relative to the directory.' },
  },
  async run(ctx, props) {
    const dir = await ctx.workingDirectory();
    await writeInputFiles(ctx, dir, parseInputFiles(props.inputs, 'inputs'), 'inputs');
    const patterns = Array.isArray(props.outputs) ? props.outputs.map(String) : [];
    return { outputs: { uris: await collectOutputFiles(ctx, dir, patterns) } };
  },
  examples: [
    {
      title: 'Files shared with a script, then kept',
      code: `id: local_files_example
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: inputs
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          hello.txt: Hello World
      - id: work
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - mkdir -p out && cp hello.txt out/copy.txt
      - id: keep
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - out/**`,
    },
  ],
});

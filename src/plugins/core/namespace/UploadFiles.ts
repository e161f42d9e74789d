import { defineTask, p } from '../../api.js';
import { taskName } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.namespace.UploadFiles',
  title: 'Upload files as namespace files',
  description:
    'Stores files as namespace files: `files` picks files of the working directory by glob pattern (or `kestra://` URIs) and puts them under `destination`; `filesMap` maps a namespace path to a `kestra://` URI, so files can be renamed or moved.',
  properties: {
    namespace: p.string().required().describe('The namespace to upload to.'),
    files: p
      .union(p.list(p.string()), p.map(p.string(), { dynamic: false }))
      .describe(
        'Glob patterns (`glob:**/dbt/**`) or `kestra://` URIs of the files to upload. A map `path: uri` is the older form of `filesMap`.',
      ),
    filesMap: p
      .map(p.string())
      .describe(
        'Namespace path → `kestra://` URI, or an expression giving such a map (e.g. the files output of a task).',
      ),
    destination: p.string().default('/').describe('Folder the `files` are put in.'),
    conflict: p
      .enum(['OVERWRITE', 'ERROR', 'SKIP'])
      .default('OVERWRITE')
      .describe('What to do when a file already exists: replace it, fail, or keep the old one.'),
  },
  outputs: {
    files: { type: 'object', description: 'The uploaded files: namespace path → URI.' },
  },
  check(props, report) {
    const given = (key: string) => props[key] !== undefined && props[key] !== null;
    if (!given('files') && !given('filesMap')) {
      report([], `${taskName(props)} has nothing to upload: give \`files\` or \`filesMap\``);
    }
  },
  examples: [
    {
      title: 'Upload an input file under a chosen name',
      code: `id: upload_example
namespace: company.team
inputs:
  - id: script
    type: FILE
tasks:
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: "{{ flow.namespace }}"
    filesMap:
      /scripts/main.py: "{{ inputs.script }}"
    conflict: OVERWRITE`,
    },
    {
      title: 'Upload a folder of the working directory',
      code: `- id: upload_dbt
  type: io.kestra.plugin.core.namespace.UploadFiles
  namespace: company.team
  files:
    - "glob:**/dbt/**"
  destination: /dbt`,
    },
  ],
});

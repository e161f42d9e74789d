import { defineTask, p } from '../../api.js';
import { checkScript, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.node.Script',
  title: 'Run a Node.js script',
  description:
    'Writes the inline `script` to a file and runs it with `node`, after `beforeCommands` (e.g. `npm install`). Expressions in the script are rendered first.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.node),
    script: p.string().required().describe('The JavaScript source, usually a YAML block (`script: |`).'),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'node', mode: 'script', defaultImage: DEFAULT_IMAGES.node }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkScript(props, report);
  },
  examples: [
    {
      title: 'Publish an output from Node.js',
      code: `id: node_script
namespace: company.team
tasks:
  - id: node
    type: io.kestra.plugin.scripts.node.Script
    containerImage: node:22-slim
    script: |
      const total = [1, 2, 3].reduce((a, b) => a + b, 0);
      console.log('::' + JSON.stringify({ outputs: { total } }) + '::');`,
    },
  ],
});

import { defineTask, p } from '../../api.js';
import { checkCommands, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.node.Commands',
  title: 'Run Node.js commands',
  description: 'Runs shell commands in a Node.js environment, such as `node main.js` or `npm test`.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.node),
    commands: p
      .list(p.string())
      .required()
      .describe('The commands, run one after the other by `interpreter`.'),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'node', mode: 'commands', defaultImage: DEFAULT_IMAGES.node }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkCommands(props, report);
  },
  examples: [
    {
      title: 'Install a package and run a file',
      code: `id: node_commands
namespace: company.team
tasks:
  - id: node
    type: io.kestra.plugin.scripts.node.Commands
    containerImage: node:22-slim
    inputFiles:
      main.js: |
        const colors = require('colors');
        console.log('hello'.green);
    beforeCommands:
      - npm install colors
    commands:
      - node main.js`,
    },
  ],
});

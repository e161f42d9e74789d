import { defineTask, p } from '../../api.js';
import { checkCommands, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.shell.Commands',
  aliases: ['io.kestra.plugin.scripts.bash.Commands'],
  title: 'Run shell commands',
  description: 'Runs a list of shell commands one after the other, after `beforeCommands`.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.shell),
    commands: p
      .list(p.string())
      .required()
      .describe('The commands, run one after the other by `interpreter`.'),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'shell', mode: 'commands', defaultImage: DEFAULT_IMAGES.shell }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkCommands(props, report);
  },
  examples: [
    {
      title: 'Copy an input file and keep the copy',
      code: `id: shell_files
namespace: company.team
tasks:
  - id: copy
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      GREETING: hello
    inputFiles:
      data.txt: "{{ flow.id }}"
    outputFiles:
      - out.txt
    commands:
      - cp data.txt out.txt
      - echo "$GREETING" >> out.txt`,
    },
  ],
});

import { defineTask, p } from '../../api.js';
import { checkScript, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.shell.Script',
  title: 'Run a shell script',
  description:
    'Writes the inline `script` to a file and runs it with the shell, after `beforeCommands`. Expressions in the script are rendered first.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.shell),
    script: p.string().required().describe('The shell script, usually a YAML block (`script: |`).'),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'shell', mode: 'script', defaultImage: DEFAULT_IMAGES.shell }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkScript(props, report);
  },
  examples: [
    {
      title: 'Loop in shell and publish an output',
      code: `id: shell_script
namespace: company.team
tasks:
  - id: count
    type: io.kestra.plugin.scripts.shell.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: |
      for i in 1 2 3; do echo "line $i"; done
      echo '::{"outputs":{"lines":3}}::'`,
    },
  ],
});

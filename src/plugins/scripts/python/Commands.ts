import { defineTask, p } from '../../api.js';
import { checkCommands, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';
import { pythonProps } from './props.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.python.Commands',
  title: 'Run Python commands',
  description:
    'Runs shell commands in a Python environment, such as `python main.py` with files from `inputFiles` or `namespaceFiles`. ' +
    'The `kestra` module is importable by the scripts it runs.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.python),
    ...pythonProps,
    commands: p
      .list(p.string())
      .required()
      .describe('The commands, run one after the other by `interpreter`.'),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'python', mode: 'commands', defaultImage: DEFAULT_IMAGES.python }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkCommands(props, report);
  },
  examples: [
    {
      title: 'Run a Python file given inline',
      code: `id: python_commands
namespace: company.team
tasks:
  - id: run
    type: io.kestra.plugin.scripts.python.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      main.py: |
        import sys
        print("Python", sys.version)
    commands:
      - python main.py`,
    },
  ],
});

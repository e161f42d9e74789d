import { defineTask, p } from '../../api.js';
import { checkScript, checkScriptProps, DEFAULT_IMAGES, SCRIPT_OUTPUTS, scriptProps } from '../common.js';
import { scriptRun } from '../run/run-script.js';
import { pythonProps } from './props.js';

export default defineTask({
  type: 'io.kestra.plugin.scripts.python.Script',
  title: 'Run a Python script',
  description:
    'Writes the inline `script` to a file and runs it with `python`, after `beforeCommands`. Expressions in the script are rendered first. ' +
    'The `kestra` module is importable: `Kestra.outputs({...})` sets `outputs.<id>.vars`.',
  properties: {
    ...scriptProps(DEFAULT_IMAGES.python),
    ...pythonProps,
    script: p
      .string()
      .required()
      .describe(
        'The Python source, usually a YAML block (`script: |`). To run a file, use `python.Commands`.',
      ),
  },
  outputs: SCRIPT_OUTPUTS,
  run: scriptRun({ family: 'python', mode: 'script', defaultImage: DEFAULT_IMAGES.python }),
  check: (props, report) => {
    checkScriptProps(props, report);
    checkScript(props, report);
  },
  examples: [
    {
      title: 'Compute a value and pass it to the next task',
      code: `id: python_outputs
namespace: company.team
tasks:
  - id: compute
    type: io.kestra.plugin.scripts.python.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    script: |
      from kestra import Kestra
      total = sum(range(10))
      print(f"total is {total}")
      Kestra.outputs({"total": total})
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Total: {{ outputs.compute.vars.total }}"`,
    },
    {
      title: 'Write a file and keep it as an output file',
      code: `id: python_file
namespace: company.team
tasks:
  - id: write
    type: io.kestra.plugin.scripts.python.Script
    containerImage: python:3.13-slim
    outputFiles:
      - report.txt
    script: |
      with open("report.txt", "w") as f:
          f.write("Hello from {{ flow.id }}")`,
    },
  ],
});

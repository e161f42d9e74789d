import { defineRunner } from '../../api.js';

export default defineRunner({
  type: 'io.kestra.plugin.core.runner.Process',
  title: 'Run as a local process',
  description:
    'Runs the commands of a script task as a child process of the worker, in a fresh working directory, with the tools installed on that machine. `containerImage` is ignored.',
  properties: {},
  examples: [
    {
      title: 'Run a shell command without a container',
      code: `id: local_shell
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - echo "Hello from $(hostname)"`,
    },
  ],
});

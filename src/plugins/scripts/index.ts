/** The script plugins (`io.kestra.plugin.scripts.*`): script tasks and the Docker task runner. */
import type { PluginDefinition } from '../api.js';
import NodeCommands from './node/Commands.js';
import NodeScript from './node/Script.js';
import PythonCommands from './python/Commands.js';
import PythonScript from './python/Script.js';
import Docker from './runner/Docker.js';
import ShellCommands from './shell/Commands.js';
import ShellScript from './shell/Script.js';

export const SCRIPTS_PLUGINS: readonly PluginDefinition[] = [
  PythonScript,
  PythonCommands,
  ShellScript,
  ShellCommands,
  NodeScript,
  NodeCommands,
  Docker,
];

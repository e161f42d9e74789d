/** The Git plugins (`io.kestra.plugin.git.*`): clone, sync from and push to a repository, on the worker's `git` command. */
import type { PluginDefinition } from '../api.js';
import Clone from './Clone.js';
import PushFlows from './PushFlows.js';
import PushNamespaceFiles from './PushNamespaceFiles.js';
import SyncFlows from './SyncFlows.js';
import SyncNamespaceFiles from './SyncNamespaceFiles.js';

export const GIT_PLUGINS: readonly PluginDefinition[] = [
  Clone,
  SyncNamespaceFiles,
  SyncFlows,
  PushFlows,
  PushNamespaceFiles,
];

/** The scripts plugins. */
import type { PluginDefinition } from '../api.js';

export const SCRIPTS_PLUGINS: readonly PluginDefinition[] = [];

/** The jdbc plugins. */
import type { PluginDefinition } from '../api.js';

export const JDBC_PLUGINS: readonly PluginDefinition[] = [];

/** The notifications plugins. */
import type { PluginDefinition } from '../api.js';

export const NOTIFICATIONS_PLUGINS: readonly PluginDefinition[] = [];

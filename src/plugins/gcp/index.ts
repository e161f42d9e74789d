/** The gcp plugins. */
import type { PluginDefinition } from '../api.js';

export const GCP_PLUGINS: readonly PluginDefinition[] = [];

/** Every built-in plugin, in the order of the catalog (and of the docs): each family's `index.ts` lists its own. */
import type { PluginDefinition } from '../flow/catalog.js';
import { CORE_PLUGINS } from './core/index.js';
import { TRIGGER_PLUGINS } from './core/trigger/index.js';
import { SCRIPTS_PLUGINS } from './scripts/index.js';
import { JDBC_PLUGINS } from './jdbc/index.js';
import { GCP_PLUGINS } from './gcp/index.js';
import { NOTIFICATIONS_PLUGINS } from './notifications/index.js';
import { DBT_PLUGINS } from './dbt/index.js';
import { GIT_PLUGINS } from './git/index.js';
import { AI_PLUGINS } from './ai/index.js';

export const PLUGINS: readonly PluginDefinition[] = [
  ...CORE_PLUGINS,
  ...TRIGGER_PLUGINS,
  ...SCRIPTS_PLUGINS,
  ...JDBC_PLUGINS,
  ...GCP_PLUGINS,
  ...NOTIFICATIONS_PLUGINS,
  ...DBT_PLUGINS,
  ...GIT_PLUGINS,
  ...AI_PLUGINS,
];

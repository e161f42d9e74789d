/**
 * Every plugin Windhover knows, and the catalog that maps type names, aliases and Kestra's
 * legacy names to them. Each family lists its plugins in its own `index.ts`.
 */
import { createCatalog } from '../flow/catalog.js';
import type { PluginCatalog, PluginDefinition } from '../flow/catalog.js';
import type { TaskPlugin } from './api.js';
import { CORE_PLUGINS } from './core/index.js';
import { TRIGGER_PLUGINS } from './core/trigger/index.js';
import { SCRIPTS_PLUGINS } from './scripts/index.js';
import { JDBC_PLUGINS } from './jdbc/index.js';
import { GCP_PLUGINS } from './gcp/index.js';
import { NOTIFICATIONS_PLUGINS } from './notifications/index.js';
import { DBT_PLUGINS } from './dbt/index.js';
import { GIT_PLUGINS } from './git/index.js';
import { AI_PLUGINS } from './ai/index.js';
import { closeAllPools } from './jdbc/run/pools.js';
import ForEachItemSplit from './core/flow/for-each-item/split.js';
import ForEachItemItems from './core/flow/for-each-item/items.js';
import ForEachItemMerge from './core/flow/for-each-item/merge.js';

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

/** The catalog of every built-in plugin. */
export const catalog: PluginCatalog = createCatalog(PLUGINS);

/** A task type by canonical name, alias or legacy name, with its `run`/`resolve`. */
export function taskPlugin(type: string): TaskPlugin | undefined {
  // Every task definition is built by defineTask, which keeps `run` and `resolve` on it.
  return catalog.lookup('task', type);
}

/**
 * Closes what plugins keep open between tasks (database connection pools), for a process
 * that is shutting down: idle pools would otherwise hold it open until their idle timeout.
 */
export async function closePluginResources(): Promise<void> {
  await closeAllPools();
}

/** Task types the engine makes itself (ForEachItem's parts): not in the catalog, never in a flow. */
const INTERNAL_TASKS: ReadonlyMap<string, TaskPlugin> = new Map(
  [ForEachItemSplit, ForEachItemItems, ForEachItemMerge].map((plugin) => [plugin.type, plugin]),
);

/** An internal task type (see INTERNAL_TASKS), for the worker. */
export function internalTaskPlugin(type: string): TaskPlugin | undefined {
  return INTERNAL_TASKS.get(type);
}

/**
 * Every plugin Windhover knows, imported at once: for processes that need them all (the server,
 * its plugin browser, the docs and JSON Schema generators). Short commands use the on-demand
 * catalog (on-demand.ts) instead, which this module fills: both are one catalog.
 */
import type { PluginCatalog } from '../flow/catalog.js';
import type { TaskPlugin } from './api.js';
import { PLUGINS } from './all.js';
import { plugins } from './on-demand.js';

export { PLUGINS };

plugins.add(PLUGINS);

/** The catalog of every built-in plugin, all loaded. */
export const catalog: PluginCatalog = plugins;

/** A task type by canonical name, alias or legacy name, with its `run`/`resolve`. */
export function taskPlugin(type: string): TaskPlugin | undefined {
  // Every task definition is built by defineTask, which keeps `run` and `resolve` on it.
  return catalog.lookup('task', type);
}

/** The core plugins (`io.kestra.plugin.core.*`): tasks, flowables, triggers, conditions, runners. */
import type { PluginDefinition } from '../api.js';
import Log from './log/Log.js';
import Return from './debug/Return.js';
import Sequential from './flow/Sequential.js';
import If from './flow/If.js';

export const CORE_PLUGINS: readonly PluginDefinition[] = [Log, Return, Sequential, If];

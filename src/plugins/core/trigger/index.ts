/**
 * The trigger types (`io.kestra.plugin.core.trigger.*`), with the trigger conditions and the
 * local-process task runner, which the core plugin list takes in as one family.
 */
import type { PluginDefinition } from '../../api.js';
import { CONDITION_PLUGINS } from '../condition/index.js';
import Process from '../runner/Process.js';
import Flow from './Flow.js';
import Schedule from './Schedule.js';
import Webhook from './Webhook.js';

export const TRIGGER_PLUGINS: readonly PluginDefinition[] = [
  Schedule,
  Webhook,
  Flow,
  ...CONDITION_PLUGINS,
  Process,
];

/** The notifications plugins (`io.kestra.plugin.notifications.*`). */
import type { PluginDefinition } from '../api.js';
import SlackExecution from './slack/SlackExecution.js';
import SlackIncomingWebhook from './slack/SlackIncomingWebhook.js';

export const NOTIFICATIONS_PLUGINS: readonly PluginDefinition[] = [SlackIncomingWebhook, SlackExecution];

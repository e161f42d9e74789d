/** The plugins API (types and calls) for the plugin browser and the editor's docs panel. */
import { api } from './client';

/** One family of plugins (`GET /plugins`). */
export interface PluginGroup {
  name: string;
  title: string;
  group: string;
  tasks: string[];
  triggers: string[];
  conditions: string[];
  taskRunners: string[];
  aliases: Record<string, string>;
}

/** A JSON Schema property as the plugin docs describe it (only what the UI reads). */
export interface PropertySchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  $dynamic?: boolean;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
  items?: PropertySchema;
  $ref?: string;
  format?: string;
  [key: string]: unknown;
}

/** One plugin's documentation (`GET /plugins/{type}`). */
export interface PluginDoc {
  type: string;
  kind: 'task' | 'trigger' | 'condition' | 'runner';
  group: string;
  aliases: string[];
  legacyNames: string[];
  title?: string;
  description?: string;
  flowable?: boolean;
  ownProperties: string[];
  schema: {
    properties: { properties?: Record<string, PropertySchema>; required?: string[]; [key: string]: unknown };
    outputs: { properties?: Record<string, PropertySchema> };
  };
  examples: Array<{ title?: string; code: string }>;
}

/** Every plugin family. */
export function pluginGroups(signal?: AbortSignal) {
  return api<PluginGroup[]>('/plugins', { ...(signal ? { signal } : {}) });
}

/** One type's documentation (aliases resolve). */
export function pluginDoc(type: string, signal?: AbortSignal) {
  return api<PluginDoc>(`/plugins/${encodeURIComponent(type)}`, { ...(signal ? { signal } : {}) });
}

/** The flow JSON Schema (every plugin), for the editor's completion and hovers. */
export function flowSchema(signal?: AbortSignal) {
  return api<Record<string, unknown>>('/plugins/schemas/flow', { ...(signal ? { signal } : {}) });
}

/** The webhook triggers of a flow's YAML and the URL each one listens on. */
import { isMap, isSeq, parseDocument } from 'yaml';

const WEBHOOK_TYPES: ReadonlySet<string> = new Set([
  'io.kestra.plugin.core.trigger.Webhook',
  // Kestra's older name of the same trigger, still accepted by flows.
  'io.kestra.core.models.triggers.types.Webhook',
]);

/** Whether `type` names the Webhook trigger (under its current or its older name). */
export function isWebhookType(type: unknown): boolean {
  return typeof type === 'string' && WEBHOOK_TYPES.has(type);
}

/** Whether a webhook key is an expression the server renders when a call arrives. */
export function isKeyExpression(key: string): boolean {
  return key.includes('{{') || key.includes('{%');
}

/** The URL a webhook trigger with a literal `key` listens on. */
export function webhookUrl(origin: string, namespace: string, flowId: string, key: string): string {
  const path = [namespace, flowId, key].map(encodeURIComponent).join('/');
  return `${origin}/api/v1/main/executions/webhook/${path}`;
}

/** A webhook trigger: its URL when the key is literal, else the expression it is rendered from. */
export interface WebhookTrigger {
  triggerId: string;
  /** The full URL (literal key), or undefined when the key is an expression. */
  url?: string;
  /** The key as written, when it is an expression (rendered by the server at call time). */
  expression?: string;
}

/** The webhook triggers of `source` with their URLs on `origin` (e.g. `http://localhost:8080`). */
export function webhookTriggers(source: string, origin: string): WebhookTrigger[] {
  const doc = parseDocument(source, { uniqueKeys: false });
  if (!isMap(doc.contents)) return [];
  const flow = doc.toJS() as { id?: unknown; namespace?: unknown };
  const triggers = doc.contents.get('triggers');
  if (typeof flow.id !== 'string' || typeof flow.namespace !== 'string' || !isSeq(triggers)) return [];
  const found: WebhookTrigger[] = [];
  for (const item of triggers.items) {
    if (!isMap(item)) continue;
    const type = item.get('type');
    const key = item.get('key');
    if (!isWebhookType(type)) continue;
    const triggerId = String(item.get('id') ?? '');
    const keyText = typeof key === 'string' || typeof key === 'number' ? String(key) : '';
    if (isKeyExpression(keyText)) {
      found.push({ triggerId, expression: keyText });
      continue;
    }
    if (!keyText) continue;
    found.push({ triggerId, url: webhookUrl(origin, flow.namespace, flow.id, keyText) });
  }
  return found;
}

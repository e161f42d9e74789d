/**
 * The URLs of the flow's webhook triggers above its editor, each with a copy button, so the
 * caller's URL need not be pieced together from the namespace, the flow id and the key. A key
 * that is an expression is shown as such: the server renders it when a call arrives.
 */
import { useMemo } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { webhookTriggers } from './webhookUrls';

/** The webhook URLs of the saved `source` (nothing when it has no webhook trigger). */
export function WebhookUrls({ source }: { source: string }) {
  const triggers = useMemo(() => {
    try {
      return webhookTriggers(source, window.location.origin);
    } catch {
      return [];
    }
  }, [source]);
  if (triggers.length === 0) return null;
  return (
    <div className="webhook-urls" data-testid="webhook-urls">
      {triggers.map(({ triggerId, url, expression }) => (
        <div className="webhook-url" key={triggerId} data-testid="webhook-url">
          <span className="webhook-label">Webhook {triggerId}</span>
          {url ? (
            <>
              <code title={url}>{url}</code>
              <CopyButton text={url} copied="Webhook URL copied" />
            </>
          ) : (
            <span className="muted">
              The key is an expression (<code>{expression}</code>), rendered by the server: the URL ends with
              its value.
            </span>
          )}
        </div>
      ))}
    </div>
  );
}

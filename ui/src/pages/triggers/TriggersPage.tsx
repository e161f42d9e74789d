/**
 * The Triggers page: every trigger with its schedule (cron and a human reading), next and last
 * fire dates, an enable/disable switch and, for Schedule triggers, the backfill dialog.
 * Filters and the page live in the URL, so a filtered list can be shared and reloaded.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../app/urlParams';
import { searchTriggers, setTriggerDisabled } from '../../api/triggers';
import type { TriggerContext, TriggerKey, TriggerSearchItem } from '../../api/triggers';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate } from '../../components/format';
import { CopyButton } from '../../components/CopyButton';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { BackfillDialog } from './BackfillDialog';
import { isKeyExpression, isWebhookType, webhookUrl } from '../flows/webhookUrls';
import { describeCron, shortType } from './cron';
import './triggers.css';

const PAGE_SIZE = 25;

/** The Triggers page (`/triggers?namespace=&flowId=&q=&page=`). */
export default function TriggersPage() {
  const [params, editParams] = useUrlParams();
  const namespace = params.get('namespace') ?? '';
  const flowId = params.get('flowId') ?? '';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [backfillOf, setBackfillOf] = useState<TriggerKey | undefined>();

  const setFilter = (name: string, value: string) =>
    editParams((next) => {
      if (value) next.set(name, value);
      else next.delete(name);
      if (name !== 'page') next.delete('page');
    });

  const query = useQuery({
    queryKey: ['triggers', { namespace, flowId, q, page }],
    queryFn: ({ signal }) =>
      searchTriggers(
        {
          page,
          size: PAGE_SIZE,
          ...(namespace ? { namespace } : {}),
          ...(flowId ? { flowId } : {}),
          ...(q ? { q } : {}),
        },
        signal,
      ),
    placeholderData: keepPreviousData,
    // Next fire dates move on their own: keep them fresh while the page is open.
    refetchInterval: 15_000,
  });

  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="page">
      <PageHeader
        title="Triggers"
        actions={query.isFetching ? <span className="muted">Refreshing…</span> : undefined}
      />
      <div className="tg-filters card">
        <label>
          Namespace
          <input
            value={namespace}
            placeholder="company.team"
            onChange={(e) => setFilter('namespace', e.target.value.trim())}
            aria-label="Namespace filter"
          />
        </label>
        <label>
          Flow
          <input
            value={flowId}
            placeholder="flow id"
            onChange={(e) => setFilter('flowId', e.target.value.trim())}
            aria-label="Flow filter"
          />
        </label>
        <label className="tg-grow">
          Search
          <input
            type="search"
            value={q}
            placeholder="namespace, flow or trigger id"
            onChange={(e) => setFilter('q', e.target.value)}
            aria-label="Search triggers"
          />
        </label>
      </div>
      {query.isError ? (
        <ErrorBox error={query.error} title="Could not load the triggers" />
      ) : query.isPending ? (
        <Loading />
      ) : query.data.results.length === 0 ? (
        <div className="card empty">
          <strong>No triggers</strong>
          <span className="muted">
            {namespace || flowId || q
              ? 'No trigger matches these filters.'
              : 'Flows declare triggers in their YAML (a Schedule, a Webhook, a Flow trigger).'}
          </span>
        </div>
      ) : (
        <>
          <TriggerTable items={query.data.results} onBackfill={setBackfillOf} />
          <div className="tg-pager">
            <span className="muted">
              {total} trigger{total === 1 ? '' : 's'}
            </span>
            <button type="button" disabled={page <= 1} onClick={() => setFilter('page', String(page - 1))}>
              Previous
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button
              type="button"
              disabled={page >= pages}
              onClick={() => setFilter('page', String(page + 1))}
            >
              Next
            </button>
          </div>
        </>
      )}
      {backfillOf && <BackfillDialog trigger={backfillOf} onClose={() => setBackfillOf(undefined)} />}
    </div>
  );
}

function TriggerTable({
  items,
  onBackfill,
}: {
  items: TriggerSearchItem[];
  onBackfill: (key: TriggerKey) => void;
}) {
  return (
    <table className="table triggers-table">
      <thead>
        <tr>
          <th>Flow</th>
          <th>Trigger</th>
          <th>Schedule</th>
          <th title="In your browser's time zone">Next fire</th>
          <th title="In your browser's time zone">Last fire</th>
          <th>Enabled</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {items.map(({ triggerContext: t, abstractTrigger }) => (
          <TriggerRow
            key={`${t.namespace}/${t.flowId}/${t.triggerId}`}
            trigger={t}
            definition={abstractTrigger}
            onBackfill={onBackfill}
          />
        ))}
      </tbody>
    </table>
  );
}

function TriggerRow({
  trigger: t,
  definition,
  onBackfill,
}: {
  trigger: TriggerContext;
  /** The trigger as the flow declares it (its webhook `key`, say); null when the flow is gone. */
  definition: Record<string, unknown> | null;
  onBackfill: (key: TriggerKey) => void;
}) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: (disabled: boolean) => setTriggerDisabled(t, disabled),
    onSettled: () => client.invalidateQueries({ queryKey: ['triggers'] }),
  });
  const schedule = t.cron !== undefined;
  const reading = describeCron(t.cron);
  const running = t.backfill && !t.backfill.done ? t.backfill : undefined;
  const disabled = toggle.isPending && toggle.variables !== undefined ? toggle.variables : t.disabled;
  return (
    <tr data-testid={`trigger-${t.flowId}-${t.triggerId}`}>
      <td>
        <div className="muted tg-small">{t.namespace}</div>
        <Link to={`/flows/${t.namespace}/${t.flowId}`}>{t.flowId}</Link>
      </td>
      <td>
        <div className="tg-strong">{t.triggerId}</div>
        <div className="muted tg-small" title={t.type}>
          {shortType(t.type)}
        </div>
      </td>
      <td className="tg-schedule">
        {schedule ? (
          <>
            <code>{t.cron}</code>
            {reading && <div className="tg-cron-reading">{reading}</div>}
            {t.timezone && <div className="muted tg-small">{t.timezone}</div>}
            {t.error && <div className="error-text tg-small">{t.error}</div>}
          </>
        ) : isWebhookType(t.type) ? (
          <WebhookCell trigger={t} definition={definition} />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>{t.nextExecutionDate ? formatDate(t.nextExecutionDate) : <span className="muted">—</span>}</td>
      <td>{t.date ? formatDate(t.date) : <span className="muted">—</span>}</td>
      <td>
        <label
          className="tg-switch"
          title={disabled ? 'Disabled: click to enable' : 'Enabled: click to disable'}
        >
          <input
            type="checkbox"
            role="switch"
            checked={!disabled}
            disabled={toggle.isPending}
            aria-label={`Enable ${t.triggerId} of ${t.flowId}`}
            onChange={(e) => toggle.mutate(!e.target.checked)}
          />
          <span className="tg-switch-track" aria-hidden="true" />
        </label>
        {toggle.isError && <div className="error-text tg-small">{toggle.error.message}</div>}
        {t.stoppedBy && <div className="muted tg-small">stopped by {t.stoppedBy.slice(0, 8)}</div>}
      </td>
      <td className="tg-row-actions">
        {schedule && (
          <button type="button" onClick={() => onBackfill(t)}>
            {running ? `Backfill ${running.created}/${running.total}` : 'Backfill'}
          </button>
        )}
      </td>
    </tr>
  );
}

/** A webhook trigger's URL with a copy button, or the expression its key is rendered from. */
function WebhookCell({
  trigger: t,
  definition,
}: {
  trigger: TriggerContext;
  definition: Record<string, unknown> | null;
}) {
  const key = definition?.key;
  const keyText = typeof key === 'string' || typeof key === 'number' ? String(key) : '';
  if (!keyText) return <span className="muted">—</span>;
  if (isKeyExpression(keyText)) {
    return (
      <span className="muted tg-small">
        Webhook; the key is an expression (<code>{keyText}</code>) rendered by the server
      </span>
    );
  }
  const url = webhookUrl(window.location.origin, t.namespace, t.flowId, keyText);
  return (
    <div className="tg-webhook" data-testid="trigger-webhook-url">
      <code title={url}>{url}</code>
      <CopyButton text={url} copied="Webhook URL copied" />
    </div>
  );
}

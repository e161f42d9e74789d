/**
 * The home page's cards: failures of the last 24 hours with their first error line, what runs
 * or waits now, the next scheduled fires and the slowest flows. Each reads the REST API and
 * asks again every few seconds.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { searchExecutions } from '../../api/executions';
import { firstErrorLine, getSlowestFlows } from '../../api/home';
import { searchTriggers } from '../../api/triggers';
import type { Execution, StateName } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { StateBadge } from '../../components/StateBadge';
import { countOf, formatDate, formatDuration } from '../../components/format';
import { fromNow } from './homeWindow';
import { LIVE_MS, SLOW_LIVE_MS } from './live';

/** Rows each card lists (the rest are counted). */
const SHOWN = 8;
const ACTIVE_STATES: StateName[] = ['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'KILLING', 'RESTARTED'];

const enc = encodeURIComponent;
const executionPath = (e: Pick<Execution, 'namespace' | 'flowId' | 'id'>) =>
  `/executions/${enc(e.namespace)}/${enc(e.flowId)}/${e.id}`;

function FlowName({ namespace, flowId }: { namespace: string; flowId: string }) {
  return (
    <Link to={`/flows/${enc(namespace)}/${enc(flowId)}`} className="home-flow">
      <span className="muted">{namespace}.</span>
      {flowId}
    </Link>
  );
}

/** A card with a title, a count on the right and its rows (or a quiet line when there are none). */
function Card({
  title,
  count,
  testId,
  error,
  empty,
  children,
}: {
  title: string;
  count?: string;
  testId: string;
  error?: Error | null;
  empty: string | undefined;
  children: ReactNode;
}) {
  return (
    <section className="card home-card" data-testid={testId}>
      <header className="home-card-head">
        <h2>{title}</h2>
        {count && <span className="muted">{count}</span>}
      </header>
      {error ? (
        <ErrorBox error={error} title={`${title}: the server did not answer`} />
      ) : empty !== undefined ? (
        <p className="muted home-empty">{empty}</p>
      ) : (
        children
      )}
    </section>
  );
}

/** FAILED executions started in the last 24 hours, newest first, each with its first ERROR line. */
export function FailuresCard({ since }: { since: string }) {
  const failed = useQuery({
    queryKey: ['home', 'failed', since],
    queryFn: ({ signal }) => searchExecutions({ state: ['FAILED'], startDate: since, size: SHOWN }, signal),
    refetchInterval: LIVE_MS,
  });
  const rows = failed.data?.results ?? [];
  // One small read per failure shown; an ended execution's first error never changes.
  const errors = useQueries({
    queries: rows.map((execution) => ({
      queryKey: ['home', 'first-error', execution.id],
      queryFn: ({ signal }: { signal: AbortSignal }) => firstErrorLine(execution.id, signal),
      staleTime: Infinity,
    })),
  });
  const firstError = new Map(rows.map((execution, index) => [execution.id, errors[index]?.data?.message]));
  return (
    <Card
      title="Failures, last 24 hours"
      count={failed.data && countOf(failed.data.total, 'failure')}
      testId="home-failures"
      error={failed.error}
      empty={
        failed.isPending
          ? 'Loading…'
          : rows.length === 0
            ? 'No execution failed in the last 24 hours.'
            : undefined
      }
    >
      <ul className="home-list">
        {rows.map((execution) => (
          <li key={execution.id} data-testid="home-failure">
            <div className="home-row">
              <FlowName namespace={execution.namespace} flowId={execution.flowId} />
              <Link to={`${executionPath(execution)}/logs`} className="home-id">
                <code>{execution.id}</code>
              </Link>
              <span className="muted home-when">{formatDate(execution.state.startDate)}</span>
            </div>
            <div className="home-error" title={firstError.get(execution.id)}>
              {firstError.get(execution.id)?.split('\n')[0] ?? (
                <span className="muted">No error line logged.</span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Executions running, queued, paused or just created, newest first. */
export function ActiveCard({ now }: { now: number }) {
  const active = useQuery({
    queryKey: ['home', 'active'],
    queryFn: ({ signal }) => searchExecutions({ state: ACTIVE_STATES, size: SHOWN }, signal),
    refetchInterval: LIVE_MS,
  });
  const rows = active.data?.results ?? [];
  return (
    <Card
      title="Running and queued now"
      count={active.data && countOf(active.data.total, 'execution')}
      testId="home-active"
      error={active.error}
      empty={active.isPending ? 'Loading…' : rows.length === 0 ? 'Nothing runs or waits.' : undefined}
    >
      <ul className="home-list">
        {rows.map((execution) => (
          <li key={execution.id} data-testid="home-active-row" className="home-row">
            <StateBadge state={execution.state.current} />
            <FlowName namespace={execution.namespace} flowId={execution.flowId} />
            <Link to={executionPath(execution)} className="home-id">
              <code>{execution.id}</code>
            </Link>
            <span className="muted home-when">
              {formatDuration(Math.max(0, now - Date.parse(execution.state.startDate)))}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The enabled triggers with a next date (Schedules), soonest first. */
export function NextFiresCard({ now }: { now: number }) {
  const triggers = useQuery({
    queryKey: ['home', 'triggers'],
    queryFn: ({ signal }) => searchTriggers({ page: 1, size: 10_000 }, signal),
    refetchInterval: LIVE_MS,
  });
  const next = (triggers.data?.results ?? [])
    .map((item) => item.triggerContext)
    .filter((context) => !context.disabled && context.nextExecutionDate)
    .sort((a, b) => Date.parse(a.nextExecutionDate!) - Date.parse(b.nextExecutionDate!));
  return (
    <Card
      title="Next scheduled"
      count={triggers.data && countOf(next.length, 'schedule')}
      testId="home-next"
      error={triggers.error}
      empty={triggers.isPending ? 'Loading…' : next.length === 0 ? 'No enabled schedule.' : undefined}
    >
      <ul className="home-list">
        {next.slice(0, SHOWN).map((context) => (
          <li
            key={`${context.namespace}/${context.flowId}/${context.triggerId}`}
            className="home-row"
            data-testid="home-next-row"
          >
            <FlowName namespace={context.namespace} flowId={context.flowId} />
            <Link to={`/triggers?q=${enc(context.flowId)}`} className="muted">
              {context.triggerId}
            </Link>
            {context.cron && <code className="muted">{context.cron}</code>}
            <span className="home-when" title={formatDate(context.nextExecutionDate)}>
              {fromNow(context.nextExecutionDate!, now)}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Flows ranked by their longest ended execution of the last 7 days, with a bar of it. */
export function SlowestCard({ startDate, endDate }: { startDate: string; endDate: string }) {
  const slowest = useQuery({
    queryKey: ['home', 'slowest', startDate, endDate],
    queryFn: ({ signal }) => getSlowestFlows({ startDate, endDate, limit: SHOWN }, signal),
    refetchInterval: SLOW_LIVE_MS,
  });
  const rows = slowest.data?.results ?? [];
  const longest = Math.max(1, ...rows.map((row) => row.maxMs));
  return (
    <Card
      title="Slowest flows, last 7 days"
      testId="home-slowest"
      error={slowest.error}
      empty={
        slowest.isPending
          ? 'Loading…'
          : rows.length === 0
            ? 'No execution ended in the last 7 days.'
            : undefined
      }
    >
      <table className="table home-slowest">
        <thead>
          <tr>
            <th>Flow</th>
            <th>Longest</th>
            <th>Average</th>
            <th>Runs</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.namespace}/${row.flowId}`} data-testid="home-slowest-row">
              <td>
                <FlowName namespace={row.namespace} flowId={row.flowId} />
                <div className="home-bar" style={{ width: `${(row.maxMs / longest) * 100}%` }} />
              </td>
              <td>{formatDuration(row.maxMs)}</td>
              <td>{formatDuration(row.avgMs)}</td>
              <td>{row.executions.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/**
 * Every execution, newest first: filters kept in the URL (namespace, flow, states, labels,
 * dates), a chart per day by state over the filtered range, paging, and bulk kill/restart.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../app/urlParams';
import { killExecution, restartExecution, searchExecutions } from '../../api/executions';
import type { Execution } from '../../api/types';
import { TERMINAL_STATES } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StateBadge } from '../../components/StateBadge';
import { countOf, elapsed, formatDate, formatDuration } from '../../components/format';
import { ExecutionsChart } from './ExecutionsChart';
import { ExecutionsFilters } from './ExecutionsFilters';
import { chartRange, filtersFromQuery, PAGE_SIZE } from './executionFilters';
import './chips.css';
import './executions-list.css';

/** Refusals listed after a bulk command (the rest are counted). */
const SHOWN_FAILURES = 10;

/** What a bulk command did: how many were accepted, and each refusal. */
interface BulkResult {
  action: string;
  done: number;
  failures: Array<{ id: string; message: string }>;
}

export default function ExecutionsPage() {
  const [params, editParams] = useUrlParams();
  const search = filtersFromQuery(params);
  const { from, to } = chartRange(params);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['executions', search],
    queryFn: ({ signal }) => searchExecutions(search, signal),
    placeholderData: keepPreviousData,
  });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<BulkResult>();
  const [busy, setBusy] = useState(false);
  const rows = list.data?.results ?? [];
  const page = search.page ?? 1;
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  const setPage = (next: number) => {
    editParams((copy) => copy.set('page', String(next)), { replace: false });
  };
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));

  const runBulk = async (action: string, command: (id: string) => Promise<unknown>) => {
    setBusy(true);
    const failures: BulkResult['failures'] = [];
    const ids = [...selected];
    await Promise.all(
      ids.map((id) =>
        command(id).catch((error: unknown) =>
          failures.push({ id, message: error instanceof Error ? error.message : String(error) }),
        ),
      ),
    );
    setBulk({ action, done: ids.length - failures.length, failures });
    setSelected(new Set());
    setBusy(false);
    await queryClient.invalidateQueries({ queryKey: ['executions'] });
    await queryClient.invalidateQueries({ queryKey: ['executions-chart'] });
  };

  return (
    <div className="page">
      <PageHeader title="Executions" />
      <ExecutionsFilters
        params={params}
        onEdit={(edit) => {
          setSelected(new Set());
          editParams(edit, { replace: false });
        }}
      />
      <ExecutionsChart search={{ ...search, page: 1 }} from={from} to={to} />
      <div className="bulk-bar">
        <span className="muted">
          {selected.size > 0 ? `${selected.size} selected` : countOf(list.data?.total ?? 0, 'execution')}
        </span>
        <button
          type="button"
          className="danger"
          disabled={busy || selected.size === 0}
          onClick={() => void runBulk('Killed', killExecution)}
        >
          Kill selected
        </button>
        <button
          type="button"
          disabled={busy || selected.size === 0}
          onClick={() => void runBulk('Restarted', restartExecution)}
        >
          Restart selected
        </button>
      </div>
      {bulk && (
        <div className="bulk-result" role="status" data-testid="bulk-result">
          <strong>
            {bulk.action} {bulk.done}
            {bulk.failures.length > 0 && `, ${bulk.failures.length} refused:`}
          </strong>
          {bulk.failures.length > 0 && (
            <ul>
              {bulk.failures.slice(0, SHOWN_FAILURES).map((failure) => (
                <li key={failure.id}>{failure.message}</li>
              ))}
              {bulk.failures.length > SHOWN_FAILURES && (
                <li>and {bulk.failures.length - SHOWN_FAILURES} more</li>
              )}
            </ul>
          )}
        </div>
      )}
      {list.isError && <ErrorBox error={list.error} title="The executions cannot be listed" />}
      {list.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <div className="card empty muted">No execution matches these filters.</div>
      ) : (
        <table className="table executions-table" data-testid="executions-table">
          <thead>
            <tr>
              <th className="check">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))}
                />
              </th>
              <th>Id</th>
              <th>Flow</th>
              <th>State</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Labels</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((execution: Execution) => (
              <tr key={execution.id} data-testid="execution-row" data-state={execution.state.current}>
                <td className="check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${execution.id}`}
                    checked={selected.has(execution.id)}
                    onChange={() => toggle(execution.id)}
                  />
                </td>
                <td>
                  <Link
                    to={`/executions/${encodeURIComponent(execution.namespace)}/${encodeURIComponent(execution.flowId)}/${execution.id}`}
                  >
                    <code>{execution.id}</code>
                  </Link>
                </td>
                <td>
                  <span className="muted">{execution.namespace}.</span>
                  {execution.flowId}
                </td>
                <td>
                  <StateBadge state={execution.state.current} />
                </td>
                <td>{formatDate(execution.state.startDate)}</td>
                <td>
                  {TERMINAL_STATES.includes(execution.state.current) || execution.state.endDate
                    ? formatDuration(elapsed(execution.state.startDate, execution.state.endDate))
                    : '…'}
                </td>
                <td>
                  <div className="label-chips">
                    {execution.labels
                      .filter((label) => !label.key.startsWith('system.'))
                      .map((label) => (
                        <span className="chip" key={`${label.key}:${label.value}`}>
                          {label.key}: {label.value}
                        </span>
                      ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span className="muted">
          Page {page} of {pages}
        </span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </div>
    </div>
  );
}

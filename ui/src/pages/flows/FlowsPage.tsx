/**
 * The flows: text search, a namespace tree, labels as chips, the state of each flow's last
 * execution (one executions search for all flows), paging, and links to edit and execute.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../app/urlParams';
import { flowLabels, lastStates, recentExecutions, searchFlows } from '../../api/flows';
import type { Flow } from '../../api/flows';
import { DottedName } from '../../components/DottedName';
import { ErrorBox } from '../../components/ErrorBox';
import { InlineMarkdown } from '../../components/InlineMarkdown';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StateBadge } from '../../components/StateBadge';
import { NamespaceTree } from './NamespaceTree';
import './flows.css';

const PAGE_SIZE = 25;
// One page of recent executions gives the last state of every flow run lately.
const RECENT_EXECUTIONS = 1000;
const ALL_FLOWS = 10_000;

function matches(flow: Flow, text: string): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  const haystack = [
    flow.id,
    flow.namespace,
    flow.description ?? '',
    ...flowLabels(flow).map((l) => `${l.key}:${l.value}`),
  ];
  return haystack.some((s) => s.toLowerCase().includes(needle));
}

function inNamespace(flow: Flow, namespace: string | undefined): boolean {
  return !namespace || flow.namespace === namespace || flow.namespace.startsWith(`${namespace}.`);
}

/** The flows list page. */
export default function FlowsPage() {
  const [params, editParams] = useUrlParams();
  const q = params.get('q') ?? '';
  const namespace = params.get('namespace') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);

  const flows = useQuery({
    queryKey: ['flows', 'all'],
    queryFn: ({ signal }) => searchFlows({ page: 1, size: ALL_FLOWS }, signal),
  });
  const executions = useQuery({
    queryKey: ['executions', 'recent', RECENT_EXECUTIONS],
    queryFn: ({ signal }) => recentExecutions({ size: RECENT_EXECUTIONS }, signal),
  });
  const states = useMemo(() => lastStates(executions.data?.results ?? []), [executions.data]);
  const all = useMemo(() => flows.data?.results ?? [], [flows.data]);
  const filtered = useMemo(
    () => all.filter((f) => inNamespace(f, namespace) && matches(f, q.trim())),
    [all, namespace, q],
  );
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = filtered.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);

  const update = (changes: Record<string, string | undefined>) =>
    editParams((next) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
    });

  return (
    <div className="page flows-page">
      <PageHeader
        title="Flows"
        actions={
          <Link
            to={namespace ? `/flows/new?namespace=${encodeURIComponent(namespace)}` : '/flows/new'}
            className="button primary"
            data-testid="create-flow"
          >
            + Create flow
          </Link>
        }
      />
      {flows.isPending ? (
        <Loading />
      ) : flows.isError ? (
        <ErrorBox error={flows.error} title="The flows could not be loaded" />
      ) : (
        <div className="flows-layout">
          <NamespaceTree
            namespaces={all.map((f) => f.namespace)}
            selected={namespace}
            onSelect={(ns) => update({ namespace: ns, page: undefined })}
          />
          <section className="flows-main">
            <div className="flows-toolbar">
              <input
                type="search"
                placeholder="Search flows by id, namespace, description or label"
                aria-label="Search flows"
                value={q}
                onChange={(e) => update({ q: e.target.value, page: undefined })}
              />
              <span className="muted">
                {filtered.length} of {all.length} flows
              </span>
            </div>
            {filtered.length === 0 ? (
              <div className="card flows-empty">
                {all.length === 0 ? (
                  <>
                    No flows yet. <Link to="/flows/new">Create the first one</Link>.
                  </>
                ) : (
                  'No flow matches this search.'
                )}
              </div>
            ) : (
              <div className="card flows-table-card">
                <table className="table flows-table" data-testid="flows-table">
                  <thead>
                    <tr>
                      <th>Flow</th>
                      <th className="col-namespace">Namespace</th>
                      <th className="col-labels">Labels</th>
                      <th className="col-state">Last execution</th>
                      <th className="num col-revision">Revision</th>
                      <th className="col-actions" aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((flow) => {
                      const key = `${flow.namespace}.${flow.id}`;
                      const state = states.get(key);
                      const base = `/flows/${flow.namespace}/${flow.id}`;
                      return (
                        <tr key={key} data-flow={key}>
                          <td>
                            <Link to={base} className="flow-id">
                              {flow.id}
                            </Link>
                            {flow.description && (
                              <div className="flow-description" title={flow.description}>
                                <InlineMarkdown text={flow.description} />
                              </div>
                            )}
                          </td>
                          <td>
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => update({ namespace: flow.namespace, page: undefined })}
                            >
                              <DottedName name={flow.namespace} />
                            </button>
                          </td>
                          <td>
                            <div className="chips">
                              {flowLabels(flow).map((l) => (
                                <span className="chip" key={l.key} title={`${l.key}: ${l.value}`}>
                                  {l.key}: {l.value}
                                </span>
                              ))}
                            </div>
                          </td>
                          <td>{state ? <StateBadge state={state} /> : <span className="muted">—</span>}</td>
                          <td className="num">{flow.revision}</td>
                          <td className="row-actions">
                            <Link to={`${base}/edit`} className="button">
                              Edit
                            </Link>
                            <Link to={`${base}/execute`} className="button">
                              Execute
                            </Link>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            {pages > 1 && (
              <div className="pager" aria-label="Pages">
                <button
                  type="button"
                  disabled={current <= 1}
                  onClick={() => update({ page: String(current - 1) })}
                >
                  ‹ Previous
                </button>
                <span className="muted">
                  Page {current} of {pages}
                </span>
                <button
                  type="button"
                  disabled={current >= pages}
                  onClick={() => update({ page: String(current + 1) })}
                >
                  Next ›
                </button>
              </div>
            )}
          </section>
        </div>
      )}
    </div>
  );
}

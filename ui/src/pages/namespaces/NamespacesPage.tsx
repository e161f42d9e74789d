/**
 * The Namespaces page: the namespaces the flows declare (parents included, as a tree by their
 * dots) with their flow counts, and a field to open any namespace, such as one that only
 * holds KV entries or files.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { listAllFlows } from '../../api/namespaces';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { namespaceProblem, namespaceRows } from './namespaceList';
import './namespaces.css';

/** The Namespaces page (`/namespaces`). */
export default function NamespacesPage() {
  const flows = useQuery({ queryKey: ['flows', 'all'], queryFn: ({ signal }) => listAllFlows(signal) });
  const rows = useMemo(() => namespaceRows(flows.data?.results ?? []), [flows.data]);
  const [filter, setFilter] = useState('');
  const [goTo, setGoTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const navigate = useNavigate();
  const open = (event: FormEvent) => {
    event.preventDefault();
    const name = goTo.trim();
    const why = namespaceProblem(name);
    if (why) return setProblem(why);
    void navigate(`/namespaces/${name}`);
  };
  const shown = rows.filter((row) => row.namespace.includes(filter.trim().toLowerCase()));

  return (
    <div className="page">
      <PageHeader title="Namespaces" />
      <div className="ns-bar card">
        <label className="ns-grow">
          Filter
          <input
            type="search"
            value={filter}
            placeholder="company.team"
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Filter namespaces"
          />
        </label>
        <form className="ns-open" onSubmit={open}>
          <label>
            Open a namespace
            <input
              value={goTo}
              placeholder="any.namespace"
              onChange={(e) => {
                setGoTo(e.target.value);
                setProblem(undefined);
              }}
              aria-label="Namespace to open"
            />
          </label>
          <button type="submit">Open</button>
        </form>
      </div>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      {flows.isError ? (
        <ErrorBox error={flows.error} title="Could not load the flows" />
      ) : flows.isPending ? (
        <Loading />
      ) : shown.length === 0 ? (
        <div className="card empty">
          <strong>{rows.length === 0 ? 'No namespaces yet' : 'No namespace matches'}</strong>
          <span className="muted">
            A namespace exists once a flow declares it; open one above to keep KV entries or files in it.
          </span>
        </div>
      ) : (
        <table className="table ns-table">
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Flows</th>
              <th aria-label="Links" />
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.namespace} data-testid={`namespace-${row.namespace}`}>
                <td>
                  <span className="ns-indent" style={{ paddingLeft: `${row.depth * 18}px` }}>
                    <Link to={`/namespaces/${row.namespace}`}>{row.namespace}</Link>
                  </span>
                </td>
                <td>
                  {row.own}
                  {row.total > row.own && <span className="muted"> ({row.total} with children)</span>}
                </td>
                <td className="ns-row-actions">
                  <Link to={`/namespaces/${row.namespace}/kv`}>KV</Link>
                  <Link to={`/namespaces/${row.namespace}/files`}>Files</Link>
                  <Link to={`/namespaces/${row.namespace}/flows`}>Flows</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

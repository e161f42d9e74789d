/** The flows: a first list (issue 8 grows it into search, namespace tree, labels and last states). */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';

interface FlowSummary {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
}

export default function FlowsPage() {
  const flows = useQuery({
    queryKey: ['flows', 'search'],
    queryFn: ({ signal }) => api<Page<FlowSummary>>('/flows/search', { query: { size: 1000 }, signal }),
  });
  return (
    <div className="page">
      <PageHeader title="Flows" />
      {flows.isPending ? (
        <Loading />
      ) : flows.isError ? (
        <ErrorBox error={flows.error} title="The flows could not be loaded" />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Namespace</th>
              <th>Flow</th>
              <th>Revision</th>
            </tr>
          </thead>
          <tbody>
            {flows.data.results.map((flow) => (
              <tr key={`${flow.namespace}.${flow.id}`}>
                <td>{flow.namespace}</td>
                <td>
                  <Link to={`/flows/${flow.namespace}/${flow.id}`}>{flow.id}</Link>
                </td>
                <td>{flow.revision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The Flows tab of a namespace: its flows, with links to the editor and the execute form. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { listNamespaceFlows } from '../../api/namespaces';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';

/** The flows of one namespace (not its children). */
export function FlowsTab({ namespace }: { namespace: string }) {
  const flows = useQuery({
    queryKey: ['flows', 'namespace', namespace],
    queryFn: ({ signal }) => listNamespaceFlows(namespace, signal),
  });
  if (flows.isError) return <ErrorBox error={flows.error} title="Could not load the flows" />;
  if (flows.isPending) return <Loading />;
  if (flows.data.length === 0)
    return (
      <div className="card empty">
        <strong>No flows in {namespace}</strong>
        <Link to="/flows/new">Create a flow</Link>
      </div>
    );
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Flow</th>
          <th>Description</th>
          <th>Revision</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {[...flows.data]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((flow) => (
            <tr key={flow.id} data-testid={`ns-flow-${flow.id}`}>
              <td>
                <Link to={`/flows/${namespace}/${flow.id}`}>{flow.id}</Link>
                {flow.disabled && <span className="muted ns-small"> (disabled)</span>}
              </td>
              <td className="muted">{flow.description ?? ''}</td>
              <td>{flow.revision}</td>
              <td className="ns-row-actions">
                <Link to={`/flows/${namespace}/${flow.id}`}>Edit</Link>
                <Link to={`/flows/${namespace}/${flow.id}/execute`}>Execute</Link>
                <Link to={`/executions?namespace=${namespace}&flowId=${flow.id}`}>Executions</Link>
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

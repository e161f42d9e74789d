/** The latest executions of a flow, each linking to its page. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { recentExecutions } from '../../api/flows';
import { ErrorBox } from '../../components/ErrorBox';
import { elapsed, formatDate, formatDuration } from '../../components/format';
import { Loading } from '../../components/Loading';
import { StateBadge } from '../../components/StateBadge';

const SIZE = 50;

/** The executions tab of the flow page. */
export function FlowExecutionsTab({ namespace, flowId }: { namespace: string; flowId: string }) {
  const executions = useQuery({
    queryKey: ['executions', 'flow', namespace, flowId],
    queryFn: ({ signal }) => recentExecutions({ namespace, flowId, size: SIZE }, signal),
    refetchInterval: 5_000,
  });
  if (executions.isPending) return <Loading />;
  if (executions.isError)
    return <ErrorBox error={executions.error} title="The executions could not be loaded" />;
  const list = executions.data.results.filter((e) => e.namespace === namespace && e.flowId === flowId);
  if (list.length === 0)
    return (
      <div className="card flows-empty">
        No executions yet. <Link to={`/flows/${namespace}/${flowId}/execute`}>Execute the flow</Link>.
      </div>
    );
  return (
    <div className="card flows-table-card">
      <table className="table flows-table" data-testid="flow-executions">
        <thead>
          <tr>
            <th>Execution</th>
            <th>State</th>
            <th>Started</th>
            <th className="num">Duration</th>
            <th className="num">Revision</th>
          </tr>
        </thead>
        <tbody>
          {list.map((e) => (
            <tr key={e.id}>
              <td>
                <Link to={`/executions/${e.namespace}/${e.flowId}/${e.id}`}>
                  <code>{e.id}</code>
                </Link>
              </td>
              <td>
                <StateBadge state={e.state.current} />
              </td>
              <td>{formatDate(e.state.startDate)}</td>
              <td className="num">{formatDuration(elapsed(e.state.startDate, e.state.endDate))}</td>
              <td className="num">{e.flowRevision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {executions.data.total > SIZE && (
        <div className="pane-note">
          The {SIZE} latest of {executions.data.total}:{' '}
          <Link to={`/executions?namespace=${namespace}&flowId=${flowId}`}>see all</Link>
        </div>
      )}
    </div>
  );
}

/**
 * The topology tab: the flow's graph (of the execution's revision), each task coloured by the
 * state of its latest run; choosing a task lists its runs.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { getFlowGraph } from '../../api/executions';
import type { Execution, StateName } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { FlowGraph } from '../../components/graph/FlowGraph';
import { Loading } from '../../components/Loading';
import { StateBadge } from '../../components/StateBadge';
import { elapsed, formatDuration } from '../../components/format';
import { taskRunLabel } from './taskRuns';

const SHOWN_RUNS = 50;

/** The graph with states, and the runs of the chosen task. */
export function TopologyView({ execution }: { execution: Execution }) {
  const graph = useQuery({
    queryKey: ['flow-graph', execution.namespace, execution.flowId, execution.flowRevision],
    queryFn: ({ signal }) =>
      getFlowGraph(execution.namespace, execution.flowId, execution.flowRevision, signal),
  });
  const [taskId, setTaskId] = useState<string>();
  const states = useMemo(() => {
    const latest: Record<string, StateName> = {};
    for (const run of execution.taskRunList) latest[run.taskId] = run.state.current;
    return latest;
  }, [execution]);
  const runs = execution.taskRunList.filter((run) => run.taskId === taskId);

  if (graph.isPending) return <Loading label="Drawing the flow…" />;
  if (graph.isError) return <ErrorBox error={graph.error} title="The flow's graph cannot be drawn" />;
  return (
    <div className="topology" data-testid="topology">
      <div className="card topology-graph">
        <FlowGraph
          graph={graph.data}
          states={states}
          {...(taskId ? { selected: taskId } : {})}
          onSelect={(id) => setTaskId(id === taskId ? undefined : id)}
        />
      </div>
      {taskId && (
        <div className="card" data-testid="topology-runs">
          <h3>
            {taskId}{' '}
            <span className="muted">
              ({runs.length === 1 ? '1 run' : `${runs.length.toLocaleString()} runs`})
            </span>
          </h3>
          {runs.length === 0 ? (
            <p className="muted">This task has not run.</p>
          ) : (
            <ul className="topology-list">
              {runs.slice(0, SHOWN_RUNS).map((run) => (
                <li key={run.id}>
                  <StateBadge state={run.state.current} /> {taskRunLabel(run)}{' '}
                  <span className="muted">
                    {formatDuration(elapsed(run.state.startDate, run.state.endDate))}
                    {run.attempts.length > 1 ? `, ${run.attempts.length} attempts` : ''}
                  </span>
                </li>
              ))}
              {runs.length > SHOWN_RUNS && (
                <li className="muted">and {runs.length - SHOWN_RUNS} more (see the Gantt)</li>
              )}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

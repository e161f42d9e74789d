/** The topology tab: the flow's graph, each task coloured by the state of its last run. */
import type { Execution } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';

/** Until the shared graph component lands, the tasks and their last states as a list. */
export function TopologyView({ execution }: { execution: Execution }) {
  const last = new Map(execution.taskRunList.map((run) => [run.taskId, run.state.current]));
  return (
    <div className="card" data-testid="topology">
      <ul className="topology-list">
        {[...last].map(([taskId, state]) => (
          <li key={taskId}>
            <StateBadge state={state} /> {taskId}
          </li>
        ))}
      </ul>
    </div>
  );
}

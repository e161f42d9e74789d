/**
 * One execution, live until it ends: header with state and actions, tabs for the Gantt
 * timeline, the topology, the log, the outputs and an overview.
 */
import { lazy, Suspense, useState } from 'react';
import { Link, NavLink, useParams } from 'react-router-dom';
import { TERMINAL_STATES } from '../../api/types';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StateBadge } from '../../components/StateBadge';
import { formatDate, formatDuration } from '../../components/format';
import { ExecutionActions } from './ExecutionActions';
import { Gantt } from './Gantt';
import { LogsView } from './LogsView';
import { OutputsView } from './OutputsView';
import { OverviewView } from './OverviewView';
import { TopologyView } from './TopologyView';
import { stateSpan, taskRunLabel } from './taskRuns';
import { useNow } from './useNow';
import { useLiveExecution } from './useLiveExecution';
import './chips.css';
import './execute.css';
import './execution.css';

// The debugger bundles the expression engine: it loads with the Outputs tab only.
const OutputsDebugger = lazy(() => import('./debugger/OutputsDebugger'));

const duration = ({ start, end }: { start: number; end: number }) => end - start;

const TABS = [
  ['gantt', 'Gantt'],
  ['topology', 'Topology'],
  ['logs', 'Logs'],
  ['outputs', 'Outputs'],
  ['overview', 'Overview'],
] as const;

export default function ExecutionPage() {
  const { namespace = '', flowId = '', executionId = '', tab = 'gantt' } = useParams();
  const { query, live, refollow } = useLiveExecution(executionId);
  const [selected, setSelected] = useState<string>();
  // One clock for the header's duration and the Gantt: both tick while the execution runs.
  const running = query.data !== undefined && !TERMINAL_STATES.includes(query.data.state.current);
  const now = useNow(running);
  const base = `/executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}/${executionId}`;
  const crumbs = (
    <>
      <Link to="/executions">Executions</Link> / {namespace} /{' '}
      <Link to={`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}`}>{flowId}</Link>
    </>
  );
  if (query.isPending) return <Loading label="Loading the execution…" />;
  if (query.isError)
    return (
      <div className="page">
        <PageHeader title={executionId} crumbs={crumbs} />
        <ErrorBox error={query.error} title="This execution cannot be loaded" />
      </div>
    );
  const execution = query.data;
  const ended = TERMINAL_STATES.includes(execution.state.current);
  const selectedRun = execution.taskRunList.find((run) => run.id === selected);
  const known = TABS.some(([id]) => id === tab);

  return (
    <div className="page execution-page">
      <PageHeader
        crumbs={crumbs}
        title={
          <span className="execution-title">
            <code>{execution.id}</code>
            <span data-testid="execution-state">
              <StateBadge state={execution.state.current} />
            </span>
            {live && (
              <span className="live-dot" title="Following live">
                live
              </span>
            )}
          </span>
        }
        actions={
          <Link
            className="button"
            to={`/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}/execute`}
          >
            New execution
          </Link>
        }
      />
      <div className="execution-summary muted">
        <span>Started {formatDate(execution.state.startDate)}</span>
        <span>Duration {formatDuration(duration(stateSpan(execution.state, now)))}</span>
        <span>
          {execution.taskRunList.length.toLocaleString()} task run
          {execution.taskRunList.length === 1 ? '' : 's'}
        </span>
        {execution.labels
          .filter((label) => !label.key.startsWith('system.'))
          .map((label) => (
            <span className="chip" key={`${label.key}:${label.value}`}>
              {label.key}: {label.value}
            </span>
          ))}
      </div>
      <ExecutionActions
        execution={execution}
        selected={selectedRun}
        onChanged={refollow}
        onRefused={() => void query.refetch()}
        logsPath={`${base}/logs`}
      />
      <nav className="tabs">
        {TABS.map(([id, label]) => (
          <NavLink
            key={id}
            to={id === 'gantt' ? base : `${base}/${id}`}
            className={tab === id ? 'active' : ''}
            end
          >
            {label}
          </NavLink>
        ))}
      </nav>
      {!known && <ErrorBox error={`No tab called "${tab}".`} title="Unknown tab" />}
      {tab === 'gantt' && (
        <Gantt execution={execution} selected={selected} onSelect={setSelected} now={now} />
      )}
      {tab === 'topology' && <TopologyView execution={execution} />}
      {tab === 'logs' && (
        <LogsView
          executionId={execution.id}
          ended={ended}
          taskRunLabel={(id) => {
            const run = execution.taskRunList.find((candidate) => candidate.id === id);
            return run ? taskRunLabel(run) : id;
          }}
        />
      )}
      {tab === 'outputs' && (
        <>
          <Suspense fallback={<Loading label="Loading the debugger…" />}>
            <OutputsDebugger execution={execution} />
          </Suspense>
          <OutputsView execution={execution} />
        </>
      )}
      {tab === 'overview' && <OverviewView execution={execution} />}
    </div>
  );
}

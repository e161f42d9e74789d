/** The overview tab: dates, inputs, labels, trigger and the state history. */
import type { Execution } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { elapsed, formatDate, formatDuration } from '../../components/format';

function Json({ value }: { value: unknown }) {
  return <pre className="json-block">{JSON.stringify(value, null, 2)}</pre>;
}

/** Everything about the execution that is not a task run. */
export function OverviewView({ execution }: { execution: Execution }) {
  const { state } = execution;
  return (
    <div className="overview" data-testid="overview">
      <section className="card">
        <h3>Execution</h3>
        <dl className="facts">
          <dt>Id</dt>
          <dd>
            <code>{execution.id}</code>
          </dd>
          <dt>Flow</dt>
          <dd>
            {execution.namespace}.{execution.flowId} (revision {execution.flowRevision})
          </dd>
          <dt>State</dt>
          <dd>
            <StateBadge state={state.current} />
          </dd>
          <dt>Started</dt>
          <dd>{formatDate(state.startDate)}</dd>
          <dt>Ended</dt>
          <dd>{state.endDate ? formatDate(state.endDate) : '—'}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(elapsed(state.startDate, state.endDate))}</dd>
          {execution.scheduleDate && (
            <>
              <dt>Scheduled for</dt>
              <dd>{formatDate(execution.scheduleDate)}</dd>
            </>
          )}
          {execution.originalId !== execution.id && (
            <>
              <dt>Replay of</dt>
              <dd>
                <code>{execution.originalId}</code>
              </dd>
            </>
          )}
          {execution.parentId && (
            <>
              <dt>Parent</dt>
              <dd>
                <code>{execution.parentId}</code>
              </dd>
            </>
          )}
        </dl>
      </section>
      <section className="card">
        <h3>Labels</h3>
        {execution.labels.length === 0 ? (
          <p className="muted">No labels.</p>
        ) : (
          <div className="label-chips">
            {execution.labels.map((label) => (
              <span className="chip" key={`${label.key}:${label.value}`}>
                {label.key}: {label.value}
              </span>
            ))}
          </div>
        )}
      </section>
      <section className="card">
        <h3>Inputs</h3>
        {Object.keys(execution.inputs ?? {}).length === 0 ? (
          <p className="muted">No inputs.</p>
        ) : (
          <Json value={execution.inputs} />
        )}
      </section>
      <section className="card">
        <h3>Trigger</h3>
        {execution.trigger ? (
          <Json value={execution.trigger} />
        ) : (
          <p className="muted">Started by hand or through the API.</p>
        )}
      </section>
      <section className="card">
        <h3>State history</h3>
        <table className="table">
          <thead>
            <tr>
              <th>State</th>
              <th>Date</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {state.histories.map((history, index) => (
              <tr key={index}>
                <td>
                  <StateBadge state={history.state} />
                </td>
                <td>{formatDate(history.date)}</td>
                <td className="muted">{formatDuration(elapsed(state.histories[0]!.date, history.date))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** A browser of the execution's outputs: per task run, a tree of values; `kestra://` files previewed and downloadable. */
import { useState } from 'react';
import type { Execution } from '../../api/types';
import { FileValue } from './FilePreview';
import { taskRunLabel } from './taskRuns';

const isFile = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith('kestra://');

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** One value: a scalar, a file, or an expandable object/list. */
function ValueNode({
  name,
  value,
  executionId,
  depth,
}: {
  name: string;
  value: unknown;
  executionId: string;
  depth: number;
}) {
  const [open, setOpen] = useState(depth < 1);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return (
      <li className="tree-node">
        <button
          type="button"
          className="ghost tree-toggle"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
        >
          <span className="tree-caret">{open ? '▾' : '▸'}</span>
          <span className="tree-key">{name}</span>
          <span className="muted">
            {Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}
          </span>
        </button>
        {open && (
          <ul className="tree">
            {entries.map(([key, child]) => (
              <ValueNode key={key} name={key} value={child} executionId={executionId} depth={depth + 1} />
            ))}
          </ul>
        )}
      </li>
    );
  }
  return (
    <li className="tree-node tree-leaf">
      <span className="tree-key">{name}</span>
      {isFile(value) ? (
        <FileValue executionId={executionId} uri={value} />
      ) : (
        <code className="tree-value">{JSON.stringify(value)}</code>
      )}
    </li>
  );
}

/** The outputs tab: the execution's own outputs, then each task run's. */
export function OutputsView({ execution }: { execution: Execution }) {
  const runs = execution.taskRunList.filter((run) => !isEmpty(run.outputs));
  const [filter, setFilter] = useState('');
  const shown = runs.filter((run) => taskRunLabel(run).toLowerCase().includes(filter.toLowerCase()));
  if (runs.length === 0 && isEmpty(execution.outputs))
    return <p className="muted empty">No task has outputs.</p>;
  return (
    <div className="outputs" data-testid="outputs">
      {runs.length > 10 && (
        <input
          type="search"
          placeholder="Filter tasks"
          aria-label="Filter tasks"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {!isEmpty(execution.outputs) && (
        <section className="card">
          <h3>Flow outputs</h3>
          <ul className="tree">
            {Object.entries(execution.outputs ?? {}).map(([key, value]) => (
              <ValueNode key={key} name={key} value={value} executionId={execution.id} depth={1} />
            ))}
          </ul>
        </section>
      )}
      {shown.slice(0, 200).map((run) => (
        <section className="card" key={run.id} data-testid="task-outputs" data-task={run.taskId}>
          <h3>{taskRunLabel(run)}</h3>
          <ul className="tree">
            {Object.entries(run.outputs).map(([key, value]) => (
              <ValueNode key={key} name={key} value={value} executionId={execution.id} depth={1} />
            ))}
          </ul>
        </section>
      ))}
      {shown.length > 200 && (
        <p className="muted">{shown.length - 200} more task runs: filter to find one.</p>
      )}
    </div>
  );
}

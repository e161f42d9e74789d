/**
 * The outputs debugger (Outputs tab): type an expression, see it rendered against the
 * execution as you type — by our own engine in the browser, where Kestra's UI asks the server
 * on each try. A syntax error shows with its line and column, and a caret under the spot.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { ServerRender } from './ServerRender';
import { api } from '../../../api/client';
import type { Execution } from '../../../api/types';
import { debugVariables } from './debugVariables';
import type { FlowDefinition } from './debugVariables';
import { evaluate } from './evaluate';
import type { Evaluation } from './evaluate';
import './debugger.css';

/** What the browser says of a function or filter only the server has (evaluate.ts, shims/). */
const SERVER_ONLY = /needs the server|runs on the server only/;

/** The flow revision the execution ran (for `vars` and the task types of loops). */
function useFlowRevision(execution: Execution) {
  return useQuery({
    queryKey: ['flow-revision', execution.namespace, execution.flowId, execution.flowRevision],
    queryFn: ({ signal }) =>
      api<FlowDefinition>(
        `/flows/${encodeURIComponent(execution.namespace)}/${encodeURIComponent(execution.flowId)}`,
        { query: { revision: execution.flowRevision, source: false }, signal },
      ),
    staleTime: Infinity,
    retry: false,
  });
}

/** A first expression worth trying: the first task's outputs, else the inputs. */
function firstExpression(execution: Execution): string {
  const run = execution.taskRunList.find((candidate) => Object.keys(candidate.outputs ?? {}).length > 0);
  return run ? `{{ outputs.${run.taskId} }}` : '{{ inputs }}';
}

/** The error's line of the expression with a caret under its column. */
function ErrorSpot({
  expression,
  result,
}: {
  expression: string;
  result: Extract<Evaluation, { ok: false }>;
}) {
  if (result.line === undefined || result.column === undefined) return null;
  const line = expression.split('\n')[result.line - 1] ?? '';
  return (
    <pre className="debugger-spot" aria-hidden="true">
      {line}
      {'\n'}
      {' '.repeat(Math.max(0, result.column - 1))}^
    </pre>
  );
}

/** The debugger card, above the outputs tree. */
export default function OutputsDebugger({ execution }: { execution: Execution }) {
  const [expression, setExpression] = useState(() => firstExpression(execution));
  const flow = useFlowRevision(execution);
  const id = useId();
  // Until the flow revision answers, `vars` is empty; everything else is in the execution.
  const variables = useMemo(() => debugVariables(execution, flow.data), [execution, flow.data]);
  const result = useMemo(() => evaluate(expression, variables), [expression, variables]);

  return (
    <section className="card outputs-debugger" data-testid="outputs-debugger">
      <h3>
        <label htmlFor={id}>Debug an expression</label>
      </h3>
      <textarea
        id={id}
        className="debugger-input"
        value={expression}
        onChange={(event) => setExpression(event.target.value)}
        rows={Math.min(6, expression.split('\n').length)}
        spellCheck={false}
        placeholder="{{ outputs.task_id.value | upper }}"
        data-testid="debugger-input"
      />
      {result.ok ? (
        <pre className="debugger-value" data-testid="debugger-value">
          {result.text === '' ? <span className="muted">(empty)</span> : result.text}
        </pre>
      ) : (
        <div className="debugger-error" role="alert" data-testid="debugger-error">
          <div>
            {result.line !== undefined && (
              <strong>
                Line {result.line}, column {result.column}:{' '}
              </strong>
            )}
            {result.message} <span className="muted">({result.code})</span>
          </div>
          <ErrorSpot expression={expression} result={result} />
          {SERVER_ONLY.test(result.message) && <ServerRender execution={execution} expression={expression} />}
        </div>
      )}
      <p className="muted debugger-hint">
        Rendered in your browser against this execution&apos;s <code>outputs</code>, <code>inputs</code>,{' '}
        <code>labels</code>, <code>vars</code>, <code>execution</code> and <code>flow</code>
        {flow.isError && ' (the flow revision could not be read: vars is empty)'}. <code>kv()</code>,{' '}
        <code>secret()</code> and file functions need the server: render those there.
      </p>
    </section>
  );
}

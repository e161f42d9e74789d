/**
 * Renders the debugger's expression on the server (Kestra's `POST /executions/{id}/eval/
 * {taskRunId}`, as the execution's last task run saw it), for what only the server has: kv(),
 * secret() (masked in the answer), read() and the file functions. On demand, not per keystroke.
 */
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { Execution } from '../../../api/types';

interface EvalAnswer {
  result?: string;
  error?: string;
}

/** A button that asks the server, and its answer for the expression it was asked. */
export function ServerRender({ execution, expression }: { execution: Execution; expression: string }) {
  const last = execution.taskRunList[execution.taskRunList.length - 1];
  const ask = useMutation({
    mutationFn: (text: string) =>
      api<EvalAnswer>(
        `/executions/${encodeURIComponent(execution.id)}/eval/${encodeURIComponent(last!.id)}`,
        {
          method: 'POST',
          body: text,
          contentType: 'text/plain',
        },
      ),
  });
  if (!last) return null;
  // An answer to an expression since edited is stale: not shown.
  const answer = ask.variables === expression ? ask.data : undefined;
  return (
    <div className="debugger-server">
      <button type="button" onClick={() => ask.mutate(expression)} disabled={ask.isPending}>
        {ask.isPending ? 'Rendering on the server…' : 'Render on the server'}
      </button>
      {answer?.result !== undefined && (
        <pre className="debugger-value" data-testid="debugger-server-value">
          {answer.result}
        </pre>
      )}
      {answer?.error !== undefined && <div data-testid="debugger-server-error">{answer.error}</div>}
      {ask.isError && ask.variables === expression && (
        <div data-testid="debugger-server-error">
          {ask.error instanceof Error ? ask.error.message : String(ask.error)}
        </div>
      )}
    </div>
  );
}

/** The docs of the plugin type under the editor's cursor (compact; a link to the full page). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { pluginDoc } from '../../api/plugins';
import { Loading } from '../../components/Loading';
import { PluginDocView } from '../plugins/PluginDocView';

/** Docs for `type`, or a hint when the cursor is not in a task. */
export function DocsPanel({ type }: { type: string | undefined }) {
  const doc = useQuery({
    queryKey: ['plugin', type],
    queryFn: ({ signal }) => pluginDoc(type!, signal),
    enabled: type !== undefined,
    staleTime: Infinity,
    retry: false,
    placeholderData: keepPreviousData,
  });
  if (type === undefined)
    return <div className="pane-hint">Put the cursor in a task or trigger to see its documentation.</div>;
  if (doc.isPending) return <Loading />;
  if (doc.isError)
    return (
      <div className="pane-hint">
        No documentation for <code>{type}</code>: {doc.error.message}
      </div>
    );
  return (
    <div className="docs-panel">
      <div className="pane-title">
        Documentation <Link to={`/plugins/${doc.data.type}`}>open ↗</Link>
      </div>
      <PluginDocView doc={doc.data} compact />
    </div>
  );
}

/** The docs of the plugin type under the editor's cursor (compact; a link to the full page). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { pluginDoc, pluginGroups } from '../../api/plugins';
import type { PluginGroup } from '../../api/plugins';
import { Loading } from '../../components/Loading';
import { PluginDocView } from '../plugins/PluginDocView';

/** Every type name the server documents: canonical names and their aliases. */
function knownTypes(groups: PluginGroup[]): Set<string> {
  const names = new Set<string>();
  for (const group of groups) {
    for (const type of [...group.tasks, ...group.triggers, ...group.conditions, ...group.taskRunners])
      names.add(type);
    for (const alias of Object.keys(group.aliases)) names.add(alias);
  }
  return names;
}

/** Docs for `type`, or a hint when the cursor is not in a task. */
export function DocsPanel({ type }: { type: string | undefined }) {
  // The same query as the plugins page: one request, shared.
  const groups = useQuery({
    queryKey: ['plugins', 'groups'],
    queryFn: ({ signal }) => pluginGroups(signal),
    staleTime: Infinity,
  });
  const known = useMemo(() => knownTypes(groups.data ?? []), [groups.data]);
  // A half-typed name (`io.kestra.plugin.scripts.py`) is not asked for: it would only answer 404.
  // Without the list (an old server), every name is asked for, as before.
  const documented = type !== undefined && (groups.isError || known.has(type));
  const doc = useQuery({
    queryKey: ['plugin', type],
    queryFn: ({ signal }) => pluginDoc(type!, signal),
    enabled: documented,
    staleTime: Infinity,
    retry: false,
    placeholderData: keepPreviousData,
  });
  if (type === undefined)
    return <div className="pane-hint">Put the cursor in a task or trigger to see its documentation.</div>;
  if (groups.isPending) return <Loading />;
  if (!documented)
    return (
      <div className="pane-hint" data-testid="docs-unknown-type">
        No plugin type <code>{type}</code> (yet): keep typing, or pick one from the completion list.
      </div>
    );
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

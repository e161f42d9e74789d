/**
 * The plugin browser: every task and trigger type grouped by family, searchable (`/plugins`), and
 * one type's documentation (`/plugins/:type`).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, NavLink, useParams } from 'react-router-dom';
import { pluginDoc, pluginGroups } from '../../api/plugins';
import type { PluginGroup } from '../../api/plugins';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { countOf } from '../../components/format';
import { PluginDocView } from './PluginDocView';
import './plugins.css';

const KINDS = [
  ['tasks', 'Tasks', 'task'],
  ['triggers', 'Triggers', 'trigger'],
  ['conditions', 'Conditions', 'condition'],
  ['taskRunners', 'Task runners', 'task runner'],
] as const;

/** Whether another type of the list has the same short name (kv.Delete, storage.Delete…). */
function sameName(types: string[], type: string): boolean {
  return types.some((other) => other !== type && shortName(other) === shortName(type));
}

function packageOf(type: string): string {
  return type.split('.').slice(-2, -1)[0] ?? '';
}

function byShortName(a: string, b: string): number {
  return shortName(a).localeCompare(shortName(b));
}

function shortName(type: string): string {
  return type.split('.').pop() ?? type;
}

/**
 * The page title of a type: its short name, after its family's name when other families have a
 * type of that name too ("Python Script", not a bare "Script"; "Log" stays "Log").
 */
function typeTitle(groups: PluginGroup[], type: string): string {
  const name = shortName(type);
  const all = groups.flatMap((g) => KINDS.flatMap(([kind]) => g[kind]));
  const family = groups.find((g) => KINDS.some(([kind]) => g[kind].includes(type)));
  return family && sameName(all, type) ? `${family.title} ${name}` : name;
}

function filterGroups(groups: PluginGroup[], text: string): PluginGroup[] {
  const needle = text.trim().toLowerCase();
  const keep = (types: string[]) => types.filter((t) => t.toLowerCase().includes(needle)).sort(byShortName);
  return groups
    .map((g) => ({
      ...g,
      tasks: keep(g.tasks),
      triggers: keep(g.triggers),
      conditions: keep(g.conditions),
      taskRunners: keep(g.taskRunners),
    }))
    .filter((g) => KINDS.some(([kind]) => g[kind].length > 0));
}

function TypeDoc({ type }: { type: string }) {
  const doc = useQuery({
    queryKey: ['plugin', type],
    queryFn: ({ signal }) => pluginDoc(type, signal),
    staleTime: Infinity,
    retry: false,
  });
  if (doc.isPending) return <Loading />;
  if (doc.isError) return <ErrorBox error={doc.error} title={`No documentation for ${type}`} />;
  return <PluginDocView doc={doc.data} />;
}

/** The plugins page: the list of families and types, and the selected type's docs. */
export default function PluginsPage() {
  const { type } = useParams();
  const [search, setSearch] = useState('');
  const groups = useQuery({
    queryKey: ['plugins', 'groups'],
    queryFn: ({ signal }) => pluginGroups(signal),
    staleTime: Infinity,
  });
  const shown = useMemo(() => filterGroups(groups.data ?? [], search), [groups.data, search]);
  // A deep link to a type: its entry in the index scrolls into view.
  useEffect(() => {
    document.querySelector('.plugin-kind a.active')?.scrollIntoView({ block: 'nearest' });
  }, [type, groups.data]);
  const count = shown.reduce((n, g) => n + KINDS.reduce((m, [kind]) => m + g[kind].length, 0), 0);

  return (
    <div className="page plugins-page">
      <PageHeader
        title={type ? typeTitle(groups.data ?? [], type) : 'Plugins'}
        crumbs={type ? <Link to="/plugins">Plugins</Link> : undefined}
      />
      {groups.isPending ? (
        <Loading />
      ) : groups.isError ? (
        <ErrorBox error={groups.error} title="The plugins could not be loaded" />
      ) : (
        <div className="plugins-layout">
          <aside className="plugins-index card">
            <input
              type="search"
              placeholder="Search types"
              aria-label="Search plugin types"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <div className="muted plugins-count">{countOf(count, 'type')}</div>
            <div className="plugins-groups" data-testid="plugin-groups">
              {shown.map((group) => (
                <section key={group.group} className="plugin-group" data-group={group.group}>
                  <h3 title={group.group}>{group.title}</h3>
                  {KINDS.filter(([kind]) => group[kind].length > 0).map(([kind, label]) => (
                    <div key={kind} className="plugin-kind">
                      <div className="plugin-kind-label">{label}</div>
                      <ul>
                        {group[kind].map((t) => (
                          <li key={t}>
                            <NavLink
                              to={`/plugins/${t}`}
                              title={t}
                              className={() => (t === type ? 'active' : '')}
                            >
                              {shortName(t)}
                              {sameName(group[kind], t) && (
                                <span className="plugin-package"> {packageOf(t)}</span>
                              )}
                            </NavLink>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </section>
              ))}
              {shown.length === 0 && <p className="muted">No type matches “{search}”.</p>}
            </div>
          </aside>
          <main className="plugins-detail">
            {type ? (
              <div className="card">
                <TypeDoc type={type} />
              </div>
            ) : (
              <div className="card plugins-overview">
                <h2>Plugins</h2>
                <p className="muted">
                  {countOf(count, 'type')} in {countOf(shown.length, 'family', 'families')}. Pick a type on
                  the left for its properties, outputs and examples.
                </p>
                <div className="plugins-families">
                  {shown.map((group) => (
                    <div key={group.group} className="plugins-family">
                      <strong>{group.title}</strong>
                      <code>{group.group}</code>
                      <span className="muted">
                        {KINDS.filter(([kind]) => group[kind].length > 0)
                          .map(
                            ([kind, , one]) =>
                              `${group[kind].length} ${one}${group[kind].length === 1 ? '' : 's'}`,
                          )
                          .join(' · ')}
                      </span>
                    </div>
                  ))}
                </div>
              </div>
            )}
          </main>
        </div>
      )}
    </div>
  );
}

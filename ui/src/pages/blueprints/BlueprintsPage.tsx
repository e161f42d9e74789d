/**
 * The blueprints gallery at `/blueprints`: ready flows served by the server (our examples and
 * the course's pipelines), each with its title, description, tags and topology, found by text
 * or tag. "Use" opens the flow in the new-flow editor with its YAML filled in.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { getBlueprint, listBlueprints } from '../../api/blueprints';
import type { BlueprintSummary } from '../../api/blueprints';
import { graphOfSource } from '../../api/flows';
import { ErrorBox } from '../../components/ErrorBox';
import { FlowGraph } from '../../components/graph/FlowGraph';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import './blueprints.css';

/** The topology of one blueprint: its YAML from the server, drawn by the editor's graph. */
function BlueprintTopology({ id }: { id: string }) {
  const graph = useQuery({
    queryKey: ['blueprint-graph', id],
    queryFn: async ({ signal }) => graphOfSource((await getBlueprint(id, signal)).source, signal),
    staleTime: Infinity,
  });
  if (graph.isPending) return <div className="blueprint-topology muted">Drawing…</div>;
  if (graph.isError)
    return <div className="blueprint-topology muted">No topology: {graph.error.message}</div>;
  return (
    <div className="blueprint-topology">
      <FlowGraph graph={graph.data} />
    </div>
  );
}

function BlueprintCard({ blueprint, onTag }: { blueprint: BlueprintSummary; onTag: (tag: string) => void }) {
  return (
    <article className="card blueprint-card" data-testid="blueprint" data-blueprint={blueprint.id}>
      <header className="blueprint-card-head">
        <h2>{blueprint.title}</h2>
        <Link
          to={`/flows/new?blueprint=${encodeURIComponent(blueprint.id)}`}
          className="button primary"
          data-testid="use-blueprint"
        >
          Use
        </Link>
      </header>
      <p className="blueprint-description">{blueprint.description}</p>
      <div className="blueprint-tags">
        {blueprint.tags.map((tag) => (
          <button key={tag} type="button" className="blueprint-tag" onClick={() => onTag(tag)}>
            {tag}
          </button>
        ))}
      </div>
      <BlueprintTopology id={blueprint.id} />
    </article>
  );
}

function matches(blueprint: BlueprintSummary, text: string, tag: string | undefined): boolean {
  if (tag && !blueprint.tags.includes(tag)) return false;
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [blueprint.title, blueprint.description, ...blueprint.tags, ...blueprint.includedTasks].some(
    (field) => field.toLowerCase().includes(needle),
  );
}

export default function BlueprintsPage() {
  const list = useQuery({ queryKey: ['blueprints'], queryFn: ({ signal }) => listBlueprints(signal) });
  const [text, setText] = useState('');
  const [tag, setTag] = useState<string | undefined>();
  const blueprints = list.data?.results;
  const tags = useMemo(() => [...new Set((blueprints ?? []).flatMap((b) => b.tags))].sort(), [blueprints]);
  const shown = (blueprints ?? []).filter((b) => matches(b, text, tag));
  return (
    <div className="page blueprints-page" data-testid="blueprints-page">
      <PageHeader title="Blueprints" />
      <div className="blueprint-filters">
        <input
          type="search"
          placeholder="Search blueprints (title, description, task type)"
          aria-label="Search blueprints"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div className="blueprint-tags" role="group" aria-label="Tags">
          <button
            type="button"
            className={`blueprint-tag${tag === undefined ? ' active' : ''}`}
            onClick={() => setTag(undefined)}
          >
            All
          </button>
          {tags.map((name) => (
            <button
              key={name}
              type="button"
              className={`blueprint-tag${tag === name ? ' active' : ''}`}
              aria-pressed={tag === name}
              onClick={() => setTag(tag === name ? undefined : name)}
            >
              {name}
            </button>
          ))}
        </div>
      </div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} />}
      {blueprints && shown.length === 0 && <p className="muted">No blueprint matches.</p>}
      <div className="blueprint-grid">
        {shown.map((blueprint) => (
          <BlueprintCard key={blueprint.id} blueprint={blueprint} onTag={setTag} />
        ))}
      </div>
    </div>
  );
}

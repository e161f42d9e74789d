/**
 * A flow's topology as SVG: tasks and triggers as boxes (coloured by state when given), clusters
 * around flowables, edges with their relation (dashed for errors/finally, labelled for switch
 * cases). Used beside the YAML in the editor and on the execution page.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { FlowGraphData } from '../../api/flows';
import type { StateName } from '../../api/types';
import { layoutGraph } from './layout';
import type { PlacedEdge, PlacedNode } from './layout';
import './graph.css';

export interface FlowGraphProps {
  graph: FlowGraphData;
  /** The state of each task id (from an execution's task runs). */
  states?: Record<string, StateName>;
  onSelect?: (taskId: string) => void;
  /** The selected task id, highlighted. */
  selected?: string;
  /** LR (default): left to right; TB: top to bottom (narrow panels). */
  direction?: 'LR' | 'TB';
}

function shortType(type: string): string {
  return type.split('.').pop() ?? type;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function edgePath(edge: PlacedEdge): string {
  return edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

function NodeBox({
  placed,
  state,
  selected,
  onSelect,
}: {
  placed: PlacedNode;
  state?: StateName;
  selected: boolean;
  onSelect?: (taskId: string) => void;
}) {
  const { node, x, y, width, height } = placed;
  if (node.type === 'GraphClusterRoot' || node.type === 'GraphClusterEnd') {
    const root = placed.uid === 'root.Start' || placed.uid === 'root.End';
    return (
      <circle
        className={`graph-dot${root ? ' graph-dot-root' : ''}`}
        cx={x}
        cy={y}
        r={root ? 7 : 4}
        data-uid={placed.uid}
      />
    );
  }
  const trigger = node.type === 'GraphTrigger';
  const info = trigger ? node.trigger : node.task;
  const id = info?.id ?? placed.uid;
  const classes = ['graph-node', trigger ? 'graph-trigger' : 'graph-task'];
  if (state) classes.push(`graph-state-${state.toLowerCase()}`);
  if (selected) classes.push('graph-selected');
  const select = !trigger && onSelect ? () => onSelect(id) : undefined;
  return (
    <g
      className={classes.join(' ')}
      transform={`translate(${x - width / 2},${y - height / 2})`}
      data-task-id={trigger ? undefined : id}
      data-trigger-id={trigger ? id : undefined}
      data-state={state}
      onClick={select}
      role={select ? 'button' : undefined}
      tabIndex={select ? 0 : undefined}
      onKeyDown={select ? (e) => (e.key === 'Enter' || e.key === ' ') && select() : undefined}
    >
      <title>{`${id}\n${info?.type ?? ''}${state ? `\n${state}` : ''}`}</title>
      <rect width={width} height={height} rx={8} />
      <rect className="graph-node-bar" width={5} height={height} rx={2} />
      <text className="graph-node-id" x={14} y={20}>
        {clip(id, 21)}
      </text>
      <text className="graph-node-type" x={14} y={37}>
        {trigger ? '⚡ ' : ''}
        {clip(shortType(info?.type ?? ''), 23)}
      </text>
    </g>
  );
}

/** The SVG topology of a flow graph (`GET /flows/{ns}/{id}/graph`). */
export function FlowGraph({ graph, states, onSelect, selected, direction = 'LR' }: FlowGraphProps) {
  const layout = useMemo(() => {
    try {
      return layoutGraph(graph, direction);
    } catch (error) {
      // A graph dagre cannot lay out must not take the page down: say so instead.
      return error instanceof Error ? error : new Error(String(error));
    }
  }, [graph, direction]);
  // A graph wider than its panel scrolls: start with its middle (where the flow's spine is) in view.
  const containerRef = useRef<HTMLDivElement>(null);
  const width = layout instanceof Error ? 0 : layout.width;
  useEffect(() => {
    const container = containerRef.current;
    if (container) container.scrollLeft = (container.scrollWidth - container.clientWidth) / 2;
  }, [width]);
  if (layout instanceof Error)
    return <div className="graph-empty">The graph could not be drawn: {layout.message}</div>;
  if (graph.nodes.filter((n) => n.type === 'GraphTask').length === 0)
    return <div className="graph-empty">No tasks yet.</div>;
  return (
    <div className="flow-graph" data-testid="flow-graph" ref={containerRef}>
      <svg
        // Shrinks to the panel's width (never grows past its natural size): a narrow panel shows it all,
        // and below 75% it scrolls instead, so that labels stay readable.
        style={{ width: '100%', maxWidth: layout.width, minWidth: layout.width * 0.75, height: 'auto' }}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label="Flow topology"
      >
        <defs>
          <marker
            id="graph-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
          </marker>
        </defs>
        {layout.clusters.map((c) => (
          <g key={c.uid} className="graph-cluster" data-cluster={c.label}>
            <rect x={c.x - c.width / 2} y={c.y - c.height / 2} width={c.width} height={c.height} rx={10} />
            <text x={c.x - c.width / 2 + 10} y={c.y - c.height / 2 + 14}>
              {c.label}
            </text>
          </g>
        ))}
        {layout.edges.map((edge, index) => {
          const mid = edge.points[Math.floor(edge.points.length / 2)];
          return (
            <g key={index} className={`graph-edge graph-edge-${edge.relation.toLowerCase()}`}>
              <path d={edgePath(edge)} markerEnd="url(#graph-arrow)" />
              {edge.value && mid && (
                <text x={mid.x + 4} y={mid.y - 4} className="graph-edge-label">
                  {edge.value}
                </text>
              )}
            </g>
          );
        })}
        {layout.nodes.map((placed) => {
          const id = placed.node.task?.id;
          return (
            <NodeBox
              key={placed.uid}
              placed={placed}
              {...(id && states?.[id] ? { state: states[id] } : {})}
              selected={id !== undefined && id === selected}
              {...(onSelect ? { onSelect } : {})}
            />
          );
        })}
      </svg>
    </div>
  );
}

/**
 * Lays a flow graph out with dagre: tasks and triggers as boxes, start/end as small dots, and
 * clusters (flowables, errors/finally, triggers) as compound nodes drawn around their children.
 */
import dagre from '@dagrejs/dagre';
import type { FlowGraphData } from '../../api/flows';

export type GraphNodeData = FlowGraphData['nodes'][number];

export interface PlacedNode {
  uid: string;
  node: GraphNodeData;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedCluster {
  uid: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  source: string;
  target: string;
  relation: string;
  value?: string;
  points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  clusters: PlacedCluster[];
}

export const BOX = { width: 170, height: 46 };
const DOT = 14;

function clusterLabel(uid: string, taskId: string | undefined): string {
  if (taskId) return taskId;
  if (uid === 'cluster_Triggers') return 'triggers';
  return uid.replace(/^cluster_root\./, '');
}

/** Positions every node, edge and cluster of `graph` (direction LR: left to right, TB: top to bottom). */
export function layoutGraph(graph: FlowGraphData, direction: 'LR' | 'TB'): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 18, ranksep: 32, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(graph.nodes.map((n) => n.uid));
  for (const node of graph.nodes) {
    const box = node.type === 'GraphTask' || node.type === 'GraphTrigger';
    g.setNode(node.uid, box ? { ...BOX } : { width: DOT, height: DOT });
  }
  const clusters = graph.clusters ?? [];
  // Which cluster lists a node: a flowable's own cluster sits inside the cluster of its node.
  const clusterOfNode = new Map<string, string>();
  for (const cluster of clusters) for (const uid of cluster.nodes) clusterOfNode.set(uid, cluster.uid);
  for (const cluster of clusters) g.setNode(cluster.uid, { label: cluster.uid });
  for (const cluster of clusters) {
    for (const uid of cluster.nodes) if (known.has(uid)) g.setParent(uid, cluster.uid);
    const flowableUid = cluster.taskId ? cluster.uid.replace(/^cluster_/, '') : undefined;
    if (flowableUid && known.has(flowableUid)) {
      const outer = clusterOfNode.get(flowableUid);
      g.setParent(flowableUid, cluster.uid);
      if (outer && outer !== cluster.uid) g.setParent(cluster.uid, outer);
    }
  }
  graph.edges.forEach((edge, index) => {
    if (known.has(edge.source) && known.has(edge.target))
      g.setEdge(edge.source, edge.target, {}, `e${index}`);
  });
  dagre.layout(g);
  // dagre's labels are untyped: after layout every node has a box, the graph its size.
  const box = (uid: string) => g.node(uid) as { x: number; y: number; width: number; height: number };

  const nodes: PlacedNode[] = graph.nodes.map((node) => {
    const placed = box(node.uid);
    return { uid: node.uid, node, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
  });
  const placedClusters: PlacedCluster[] = clusters
    .map((cluster) => {
      const placed = box(cluster.uid);
      return {
        uid: cluster.uid,
        label: clusterLabel(cluster.uid, cluster.taskId),
        x: placed.x,
        y: placed.y,
        width: placed.width,
        height: placed.height,
      };
    })
    .filter((c) => Number.isFinite(c.x) && c.width > 0);
  const edges: PlacedEdge[] = [];
  graph.edges.forEach((edge, index) => {
    const placed = g.edge({ v: edge.source, w: edge.target, name: `e${index}` }) as
      { points?: Array<{ x: number; y: number }> } | undefined;
    if (!placed?.points) return;
    edges.push({
      source: edge.source,
      target: edge.target,
      relation: edge.relation.relationType,
      ...(edge.relation.value ? { value: edge.relation.value } : {}),
      points: placed.points,
    });
  });
  const size = g.graph() as { width?: number; height?: number };
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges, clusters: placedClusters };
}

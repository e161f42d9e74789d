/**
 * The graph of a flow, in the spirit of Kestra's `FlowGraph`: nodes (tasks, triggers, start and
 * end of each cluster), edges with a relation type, and clusters for flowable tasks and the
 * errors/finally branches. A task list runs in order unless its tasks declare `dependsOn`
 * (then the edges follow the dependencies); Parallel-like flowables fan out.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { FlowTask, FlowTrigger } from '../../flow/index.js';
import { loadYamlSource } from '../../flow/source.js';
import type { StoredFlow } from '../../store/contract.js';
import { yamlBody } from './flow-json.js';

export type RelationType = 'SEQUENTIAL' | 'PARALLEL' | 'CHOICE' | 'ERROR' | 'FINALLY' | 'DEPENDS_ON';

export interface GraphNode {
  uid: string;
  type: 'GraphTask' | 'GraphTrigger' | 'GraphClusterRoot' | 'GraphClusterEnd';
  task?: { id: string; type: string };
  trigger?: { id: string; type: string };
}

export interface GraphEdge {
  source: string;
  target: string;
  relation: { relationType: RelationType; value?: string };
}

export interface GraphCluster {
  uid: string;
  /** The flowable task (absent for the triggers and the errors/finally clusters of the flow). */
  taskId?: string;
  nodes: string[];
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

const PARALLEL = /\.(Parallel|EachParallel|ForEach|ForEachItem)$/;
const CHILD_LISTS = ['tasks', 'then', 'else', 'defaults', 'errors', 'finally'] as const;

function isTask(value: unknown): value is FlowTask {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as FlowTask).id === 'string' &&
    typeof (value as FlowTask).type === 'string'
  );
}

function taskList(value: unknown): FlowTask[] {
  return Array.isArray(value) ? value.filter(isTask) : [];
}

class GraphBuilder {
  readonly graph: FlowGraph = { nodes: [], edges: [], clusters: [] };

  node(node: GraphNode, cluster?: GraphCluster): string {
    this.graph.nodes.push(node);
    cluster?.nodes.push(node.uid);
    return node.uid;
  }

  edge(source: string, target: string, relationType: RelationType, value?: string): void {
    this.graph.edges.push({ source, target, relation: { relationType, ...(value ? { value } : {}) } });
  }

  /** Links a task list between `from` and `to`: in order, or by `dependsOn` when declared. */
  list(
    tasks: FlowTask[],
    from: string,
    to: string,
    prefix: string,
    relation: RelationType,
    cluster?: GraphCluster,
    value?: string,
  ): void {
    if (tasks.length === 0) {
      this.edge(from, to, relation, value);
      return;
    }
    const ends = new Map<string, { start: string; end: string }>();
    for (const task of tasks) ends.set(task.id, this.task(task, prefix, cluster));
    const dag = tasks.some((t) => Array.isArray(t.dependsOn));
    if (!dag && relation !== 'PARALLEL') {
      let previous = from;
      tasks.forEach((task, index) => {
        const { start, end } = ends.get(task.id)!;
        if (index === 0) this.edge(previous, start, relation, value);
        else this.edge(previous, start, 'SEQUENTIAL');
        previous = end;
      });
      this.edge(previous, to, 'SEQUENTIAL');
      return;
    }
    const needed = new Set<string>();
    for (const task of tasks) {
      const deps = (Array.isArray(task.dependsOn) ? task.dependsOn : []).filter(
        (d): d is string => typeof d === 'string' && ends.has(d),
      );
      const { start } = ends.get(task.id)!;
      if (deps.length === 0) this.edge(from, start, dag ? 'PARALLEL' : relation, value);
      for (const dep of deps) {
        needed.add(dep);
        this.edge(ends.get(dep)!.end, start, 'DEPENDS_ON');
      }
    }
    for (const task of tasks) if (!needed.has(task.id)) this.edge(ends.get(task.id)!.end, to, 'SEQUENTIAL');
  }

  /** A task: one node, or a cluster (start node, its children, end node) for a flowable. */
  task(task: FlowTask, prefix: string, parent?: GraphCluster): { start: string; end: string } {
    const uid = `${prefix}${task.id}`;
    const lists = CHILD_LISTS.map((name) => [name, taskList(task[name])] as const).filter(
      ([, l]) => l.length > 0,
    );
    const cases =
      task.cases !== null && typeof task.cases === 'object' && !Array.isArray(task.cases)
        ? Object.entries(task.cases as Record<string, unknown>).map(
            ([value, list]) => [value, taskList(list)] as const,
          )
        : [];
    const node = this.node({ uid, type: 'GraphTask', task: { id: task.id, type: task.type } }, parent);
    if (lists.length === 0 && cases.length === 0) return { start: node, end: node };
    const cluster: GraphCluster = { uid: `cluster_${uid}`, taskId: task.id, nodes: [] };
    this.graph.clusters.push(cluster);
    const end = this.node({ uid: `${uid}.end`, type: 'GraphClusterEnd' }, cluster);
    const inner = `${uid}.`;
    for (const [name, list] of lists) {
      if (name === 'errors') this.list(list, node, end, inner, 'ERROR', cluster);
      else if (name === 'finally') this.list(list, node, end, inner, 'FINALLY', cluster);
      else if (name === 'then' || name === 'else' || name === 'defaults')
        this.list(list, node, end, inner, 'CHOICE', cluster);
      else this.list(list, node, end, inner, PARALLEL.test(task.type) ? 'PARALLEL' : 'SEQUENTIAL', cluster);
    }
    for (const [value, list] of cases) {
      if (list.length === 0) continue;
      this.list(list, node, end, inner, 'CHOICE', cluster, value);
    }
    return { start: node, end };
  }

  triggers(triggers: FlowTrigger[], start: string): void {
    if (triggers.length === 0) return;
    const cluster: GraphCluster = { uid: 'cluster_Triggers', nodes: [] };
    this.graph.clusters.push(cluster);
    for (const trigger of triggers) {
      const uid = this.node(
        {
          uid: `Triggers.${trigger.id}`,
          type: 'GraphTrigger',
          trigger: { id: trigger.id, type: trigger.type },
        },
        cluster,
      );
      this.edge(uid, start, 'SEQUENTIAL');
    }
  }
}

/** The graph of a stored flow revision. */
export function flowGraph(stored: StoredFlow): FlowGraph {
  return definitionGraph(stored.definition);
}

/** The graph of a flow definition, valid or not (tasks without an id or a type are left out). */
export function definitionGraph(definition: Record<string, unknown>): FlowGraph {
  const builder = new GraphBuilder();
  const start = builder.node({ uid: 'root.Start', type: 'GraphClusterRoot' });
  const end = builder.node({ uid: 'root.End', type: 'GraphClusterEnd' });
  builder.triggers(Array.isArray(definition.triggers) ? (definition.triggers as FlowTrigger[]) : [], start);
  builder.list(taskList(definition.tasks), start, end, 'root.', 'SEQUENTIAL');
  for (const [name, relation] of [
    ['errors', 'ERROR'],
    ['finally', 'FINALLY'],
    ['afterExecution', 'SEQUENTIAL'],
  ] as const) {
    const list = taskList(definition[name]);
    if (list.length === 0) continue;
    const cluster: GraphCluster = { uid: `cluster_root.${name}`, nodes: [] };
    builder.graph.clusters.push(cluster);
    builder.list(list, start, end, `root.${name}.`, relation, cluster);
  }
  return builder.graph;
}

/**
 * The graph of YAML source that is not saved (Kestra's `POST /flows/graph`): the editor draws it
 * as the user types, so a flow with validation errors still gets the graph of what parses. The
 * YAML is read as flows are (linear, aliases bounded); what does not read is a 422.
 */
export function sourceGraph(text: string): FlowGraph {
  const source = loadYamlSource(text);
  const problem = source.problems.find((p) => p.severity === 'error');
  if (problem) {
    const reason = problem.message.replace(/^YAML syntax error: /, '');
    throw new WindhoverError(
      ErrorCodes.FLOW_INVALID,
      `The YAML does not parse (line ${problem.line}, column ${problem.column}): ${reason}`,
      { code: problem.code, line: problem.line, column: problem.column },
    );
  }
  if (source.documents.length > 1)
    throw new WindhoverError(
      ErrorCodes.FLOW_INVALID,
      `The body holds ${source.documents.length} flows (separated by \`---\`): send one flow to draw its graph`,
    );
  const value = source.documents[0]?.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new WindhoverError(ErrorCodes.FLOW_INVALID, 'A flow is a YAML mapping (id, namespace, tasks…)');
  return definitionGraph(value as Record<string, unknown>);
}

/** Registers `POST /flows/graph` (the graph of a YAML body). */
export function registerFlowGraphRoutes(app: FastifyInstance): void {
  app.post(
    '/flows/graph',
    {
      schema: {
        summary: 'The graph of a flow given as YAML (not saved): tasks, flowables, dependencies, triggers',
        tags: ['Flows'],
      },
    },
    (request) => Promise.resolve(sourceGraph(yamlBody(request.body))),
  );
}

/**
 * The same work written for both systems: a chain of n light steps behind a webhook that answers
 * after the last one, and a mixed flow (10 light steps with an If and a small loop).
 * n8n: a Webhook node (`responseMode: lastNode`) and Set nodes. Windhover: a Webhook trigger with
 * `wait: true` and `io.kestra.plugin.core.debug.Return` tasks.
 */

/** The webhook path segment (n8n) and key (Windhover) of each benchmarked flow. */
export type FlowName = 'chain-1' | 'chain-41' | 'mixed' | 'soak';

/** The body every benchmark request sends; the mixed flow branches on `n` and loops over `items`. */
export const REQUEST_BODY = JSON.stringify({ n: 3, items: [1, 2, 3] });

/** Windhover's flow id for a benchmark name (ids take no dash). */
export function windhoverFlowId(name: FlowName): string {
  return name.replace('-', '_');
}

/** Windhover's webhook path of a benchmark flow. */
export function windhoverWebhookPath(name: FlowName): string {
  return `/api/v1/main/executions/webhook/peers/${windhoverFlowId(name)}/${name}`;
}

/** n8n's production webhook path of a benchmark workflow. */
export function n8nWebhookPath(name: FlowName): string {
  return `/webhook/${name}`;
}

const trigger = (name: FlowName, wait = true): string =>
  `triggers:\n  - id: webhook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: ${name}\n` +
  (wait ? '    wait: true\n' : '');

/** A Windhover flow of n chained Return tasks, each rendering one expression; `wait: false` answers at once. */
export function windhoverChain(name: FlowName, n: number, wait = true): string {
  const tasks = Array.from(
    { length: n },
    (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ taskrun.id }}"\n`,
  );
  return `id: ${windhoverFlowId(name)}\nnamespace: peers\ntasks:\n${tasks.join('')}${trigger(name, wait)}`;
}

/** Windhover's mixed flow: 10 task runs (s1, if, one branch, s3, the loop, 3 iterations, s5, s6). */
export function windhoverMixed(): string {
  const ret = (id: string, format: string, indent = '  ') =>
    `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.debug.Return\n${indent}  format: "${format}"\n`;
  return (
    `id: mixed\nnamespace: peers\ntasks:\n` +
    ret('s1', '{{ trigger.body.n }}') +
    `  - id: branch\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ trigger.body.n > 2 }}"\n    then:\n` +
    ret('big', 'big {{ trigger.body.n }}', '      ') +
    `    else:\n` +
    ret('small', 'small {{ trigger.body.n }}', '      ') +
    ret('s3', '{{ trigger.body.items | length }}') +
    `  - id: loop\n    type: io.kestra.plugin.core.flow.ForEach\n    values: "{{ trigger.body.items }}"\n    tasks:\n` +
    ret('double', 'double {{ taskrun.value }}', '      ') +
    ret('s5', 'looped') +
    ret('s6', 'done {{ outputs.s1.value }}') +
    trigger('mixed')
  );
}

/** One n8n node as its workflow JSON holds it. */
interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  webhookId?: string;
}

type Connections = Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;

/** An n8n workflow as `n8n import:workflow` reads it. */
export interface N8nWorkflow {
  id: string;
  name: string;
  active: boolean;
  nodes: N8nNode[];
  connections: Connections;
  settings: Record<string, unknown>;
}

let nodeCounter = 0;
const uuid = (): string => {
  nodeCounter++;
  return `00000000-0000-4000-8000-${nodeCounter.toString(16).padStart(12, '0')}`;
};

function webhookNode(name: FlowName): N8nNode {
  return {
    ...node('Webhook', 'webhook', 2, 0, {
      httpMethod: 'POST',
      path: name,
      responseMode: 'lastNode',
      options: {},
    }),
    webhookId: uuid(),
  };
}

/** A node of the given type at x on the canvas. */
function node(
  name: string,
  type: string,
  typeVersion: number,
  x: number,
  parameters: Record<string, unknown>,
): N8nNode {
  return { id: uuid(), name, type: `n8n-nodes-base.${type}`, typeVersion, position: [x, 0], parameters };
}

/** A Set node assigning one field (a string unless told) from an n8n expression. */
function setNode(name: string, field: string, expression: string, x: number, type = 'string'): N8nNode {
  return node(name, 'set', 3.4, x, {
    assignments: { assignments: [{ id: uuid(), name: field, value: `=${expression}`, type }] },
    options: {},
  });
}

function link(connections: Connections, from: string, to: string, output = 0): void {
  const outputs = (connections[from] ??= { main: [] }).main;
  while (outputs.length <= output) outputs.push([]);
  outputs[output]!.push({ node: to, type: 'main', index: 0 });
}

/** A 16-character workflow id, as n8n makes them. */
function workflowId(name: FlowName): string {
  return `peers${name.replace('-', '')}`.padEnd(16, '0').slice(0, 16);
}

const SETTINGS = { executionOrder: 'v1' };

/** An n8n workflow: the Webhook node then n chained Set nodes; the answer is the last node's. */
export function n8nChain(name: FlowName, n: number): N8nWorkflow {
  const nodes: N8nNode[] = [webhookNode(name)];
  const connections: Connections = {};
  for (let i = 0; i < n; i++) {
    const node = setNode(`t${i}`, 'value', `{{ $execution.id }}-${i}`, 200 * (i + 1));
    link(connections, nodes.at(-1)!.name, node.name);
    nodes.push(node);
  }
  return { id: workflowId(name), name, active: false, nodes, connections, settings: SETTINGS };
}

/** n8n's mixed workflow: Set, If with a Set on each branch, Set, Split Out, Loop Over Items with a Set, two Sets. */
export function n8nMixed(): N8nWorkflow {
  const nodes: N8nNode[] = [webhookNode('mixed')];
  const connections: Connections = {};
  const s1 = setNode('s1', 'n', '{{ $json.body.n }}', 200);
  const branch = node('branch', 'if', 2.2, 400, {
    conditions: {
      options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
      conditions: [
        {
          id: uuid(),
          leftValue: "={{ $('Webhook').item.json.body.n }}",
          rightValue: 2,
          operator: { type: 'number', operation: 'gt' },
        },
      ],
      combinator: 'and',
    },
    looseTypeValidation: true,
    options: {},
  });
  const big = setNode('big', 'size', "big {{ $('Webhook').item.json.body.n }}", 600);
  const small = setNode('small', 'size', "small {{ $('Webhook').item.json.body.n }}", 600);
  // s3 keeps the items as an array for Split Out (Kestra's ForEach reads them from the trigger).
  const s3 = setNode('s3', 'items', "{{ $('Webhook').item.json.body.items }}", 800, 'array');
  const split = node('split', 'splitOut', 1, 1000, { fieldToSplitOut: 'items', options: {} });
  const loop = node('loop', 'splitInBatches', 3, 1200, { batchSize: 1, options: {} });
  const double = setNode('double', 'value', '{{ $json.items * 2 }}', 1400);
  const s5 = setNode('s5', 'value', 'looped', 1400);
  const s6 = setNode('s6', 'value', "done {{ $('s1').first().json.n }}", 1600);
  nodes.push(s1, branch, big, small, s3, split, loop, double, s5, s6);
  link(connections, 'Webhook', 's1');
  link(connections, 's1', 'branch');
  link(connections, 'branch', 'big', 0);
  link(connections, 'branch', 'small', 1);
  link(connections, 'big', 's3');
  link(connections, 'small', 's3');
  link(connections, 's3', 'split');
  link(connections, 'split', 'loop');
  // Loop Over Items: output 0 is "done" (all items), output 1 the next batch.
  link(connections, 'loop', 's5', 0);
  link(connections, 'loop', 'double', 1);
  link(connections, 'double', 'loop');
  link(connections, 's5', 's6');
  return { id: workflowId('mixed'), name: 'mixed', active: false, nodes, connections, settings: SETTINGS };
}
